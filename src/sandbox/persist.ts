// Keeps the shop in a JSON file across restarts.
//
// Saving serialises the whole shop, so it must not run per request: changes
// mark the store dirty and a save runs at most once per interval (200 ms, or
// ten times the last save's duration when the shop is large), and on close.
// Each save is atomic: write a temp file beside the target (mode 0600),
// fsync it, rename it over the target, fsync the folder. A crash leaves the
// old file or the new one, never half of one.
import { constants, promises as fs, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SerialPool } from './pool.js';
import type { Coupon, Order, Product, Store, Warehouse } from './store.js';

const VERSION = 1;

interface Snapshot {
  version: number;
  keys?: string[];
  warehouses: (Omit<Warehouse, 'pool'> & { items: string[] })[];
  products: (Omit<Product, 'inline'> & { inlineStock: string[] | null })[];
  orders: Order[];
  coupons: Coupon[];
}

export function snapshot(store: Store, keys: string[] | undefined): Snapshot {
  return {
    version: VERSION,
    ...(keys ? { keys } : {}),
    warehouses: [...store.warehouses.values()].map(({ pool, ...w }) => ({
      ...w,
      items: pool.list(),
    })),
    products: [...store.products.values()].map(({ inline, ...p }) => ({
      ...p,
      inlineStock: inline ? inline.list() : null,
    })),
    orders: [...store.orders.values()],
    coupons: store.coupons,
  };
}

/**
 * Loads `file` into `store`. Returns undefined when the file does not exist;
 * throws naming the file when it is unreadable or not a sandbox shop (and
 * the file is left alone).
 */
export function loadInto(store: Store, file: string): { keys?: string[] } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read sandbox data file ${file}: ${(e as Error).message}`);
  }
  let snap: Snapshot;
  try {
    snap = JSON.parse(text) as Snapshot;
    if (snap?.version !== VERSION || !Array.isArray(snap.products)) {
      throw new Error(`not a version ${VERSION} sandbox shop`);
    }
    for (const { items, ...w } of snap.warehouses) {
      store.warehouses.set(w.id, { ...w, pool: new SerialPool(items) });
    }
    for (const { inlineStock, ...p } of snap.products) {
      store.products.set(p.id, { ...p, inline: inlineStock ? new SerialPool(inlineStock) : null });
    }
    for (const o of snap.orders) store.orders.set(o.invoiceId, o);
    store.coupons.push(...snap.coupons);
  } catch (e) {
    throw new Error(
      `sandbox data file ${file} is corrupt (${(e as Error).message}); fix or move it, it was left untouched`,
    );
  }
  return snap.keys ? { keys: snap.keys } : {};
}

export async function writeAtomic(file: string, data: string): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fs.chmod(file, 0o600);
  try {
    const dh = await fs.open(dir, constants.O_RDONLY);
    await dh.sync().finally(() => dh.close());
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}

/** Debounced, serialised saves of one store to one file. */
export class Persister {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private interval = 200;
  private lastSaved = 0;

  constructor(
    private readonly store: Store,
    private readonly file: string,
    private readonly keys: () => string[] | undefined,
    private readonly onError: (e: Error) => void,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSaved + this.interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save().catch(this.onError);
    }, wait);
    this.timer.unref();
  }

  /** Saves now if anything changed; waits for any save in flight. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  private save(): Promise<void> {
    this.writing = this.writing
      .catch(() => {})
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        const started = Date.now();
        try {
          await writeAtomic(this.file, JSON.stringify(snapshot(this.store, this.keys())));
        } catch (e) {
          this.dirty = true;
          throw e;
        }
        this.lastSaved = Date.now();
        this.interval = Math.max(200, 10 * (this.lastSaved - started));
      });
    return this.writing;
  }
}
