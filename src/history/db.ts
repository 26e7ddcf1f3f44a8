// The order history: a plain SQLite file (docs/history.md has the schema),
// opened through node-sqlite3-wasm, SQLite compiled to WebAssembly, so the
// same code runs from the npm package and from the single executable with
// nothing to compile or load from disk. This is the only module that loads
// it, and only the history commands load this module.
//
// node-sqlite3-wasm locks a database with a `<file>.lock` folder that every
// connection, reader or writer, takes alone and that a killed process leaves
// behind. So every use of the file goes through our lock first (a FileLock
// with stale-lock recovery: a dead holder's lock is taken over), and a
// holder of our lock removes a leftover `<file>.lock`: no live astrosell can
// own it. A second astrosell waits for the first (up to `waitMs`), then
// stops with a line naming the holder. A write happens in one transaction:
// killed before COMMIT, SQLite's rollback journal undoes it on the next open.
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  rmdirSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import type { Clock } from '../clock.js';
import { CliError } from '../errors.js';
import { FileLock, type LockHolder } from '../fs/file-lock.js';
import { SALE_STATUSES } from '../records/order.js';

/** The schema this build writes; `PRAGMA user_version` of the file. */
export const SCHEMA_VERSION = 1;

/** Each step takes the file from version i to i + 1; run in one transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE orders (
     invoice_id    TEXT PRIMARY KEY,
     created_at    TEXT,
     created_ms    INTEGER,
     status        TEXT,
     product_id    TEXT,
     product_title TEXT,
     quantity      INTEGER,
     total         REAL,
     currency      TEXT,
     gateway       TEXT,
     delivered     INTEGER,
     json          TEXT NOT NULL,
     first_seen_ms INTEGER NOT NULL,
     updated_ms    INTEGER NOT NULL
   );
   CREATE INDEX orders_by_time ON orders (created_ms);
   CREATE INDEX orders_by_status ON orders (status, created_ms);
   CREATE TABLE syncs (
     id         INTEGER PRIMARY KEY,
     at_ms      INTEGER NOT NULL,
     seen       INTEGER NOT NULL,
     added      INTEGER NOT NULL,
     changed    INTEGER NOT NULL,
     gap_after  TEXT,
     gap_before TEXT,
     page_oldest TEXT
   );`,
];

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Statuses an order may still leave: a sync re-reads these orders one by one. */
export const OPEN_STATUSES = ['pending', 'processing'] as const;

class HistoryBusy extends CliError {
  constructor(
    readonly holder: LockHolder,
    file: string,
  ) {
    super(
      `the order history ${file} is in use by another astrosell (pid ${holder.pid}${
        holder.label ? `, ${holder.label}` : ''
      })`,
      'failure',
      { hint: 'try again when it ends; a sync from cron should not overlap the next one' },
    );
  }
}

export interface OpenOptions {
  /** Create the file (and its folder) if missing; else a missing file is an error. */
  create: boolean;
  /** What this process does, shown to another one that waits for it. */
  label: string;
  /** How long to wait for another astrosell using the file. */
  waitMs?: number;
  /** Told once when this process starts waiting. */
  onWait?: (holder: LockHolder) => void;
  clock: Clock;
}

/** What a sync writes for one order. */
export interface OrderRow {
  invoiceId: string;
  /** The order as the service sent it, less what docs/history.md says is not kept. */
  json: string;
  createdAt: string | null;
  status: string | null;
  productId: string | null;
  productTitle: string | null;
  quantity: number | null;
  total: number | null;
  currency: string | null;
  gateway: string | null;
  delivered: number | null;
}

export interface OrderQuery {
  sinceMs?: number;
  untilMs?: number;
  status?: string;
  product?: { id: string; title: unknown };
  limit?: number;
}

/** Units of one product sold over a window. */
export interface ProductSales {
  productId: string | null;
  productTitle: string | null;
  sold: number;
}

/** An order reduced to what `stats` counts. */
export interface OrderFacts {
  at: number;
  status: string;
  currency: string;
  total: number;
  product: string;
  gateway: string;
}

export interface UpsertResult {
  added: number;
  changed: number;
}

export class History {
  private constructor(
    readonly file: string,
    private readonly db: Database,
    private readonly lock: FileLock,
  ) {}

  static async open(file: string, o: OpenOptions): Promise<History> {
    if (!o.create && !existsSync(file)) {
      throw new CliError(`no order history at ${file}`, 'failure', {
        hint: 'run `astrosell orders sync` first (with the same --db, profile or base URL)',
      });
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new CliError(`the order history ${file} is a folder, not a file`, 'failure', {
        hint: 'pass a file with --db (an SQLite file astrosell creates on the first sync)',
      });
    }
    mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
    const lock = new FileLock(`${file}.astrosell-lock`, {
      fileMode: FILE_MODE,
      dirMode: DIR_MODE,
      label: o.label,
      busy: (holder) => new HistoryBusy(holder, file),
    });
    await takeLock(lock, o.clock, o.waitMs ?? 60_000, o.onWait);
    // The journal SQLite makes beside the database holds orders too; the
    // SQLite we bundle creates it 0600 whatever the umask
    // (test/history/sync.e2e.test.ts checks it), so the process's umask is
    // left alone.
    try {
      removeLeftLock(file);
      closeSync(openSync(file, 'a', FILE_MODE));
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
        chmodSync(file, FILE_MODE);
      }
      const db = openDatabase(file);
      const history = new History(file, db, lock);
      try {
        history.migrate();
      } catch (error) {
        db.close();
        if (error instanceof CliError) throw error;
        throw new CliError(
          `cannot read the order history ${file}: ${(error as Error).message}`,
          'failure',
          { hint: 'is it an SQLite file written by astrosell? pass another file with --db' },
        );
      }
      return history;
    } catch (error) {
      lock.unlock();
      throw error;
    }
  }

  close(): void {
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      this.lock.unlock();
    }
  }

  private migrate(): void {
    const version = Number(this.db.get('PRAGMA user_version')?.user_version ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new CliError(
        `the order history ${this.file} has schema version ${version}, newer than this astrosell knows (${SCHEMA_VERSION})`,
        'failure',
        { hint: 'upgrade astrosell, or pass another file with --db' },
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[v] as string);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      });
    }
  }

  /** Runs `fn` in one transaction: all of it is stored, or none. */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  count(): number {
    return Number(this.db.get('SELECT count(*) AS n FROM orders')?.n ?? 0);
  }

  /** The newest order's createdAt, as sent. */
  newest(): string | undefined {
    const row = this.db.get(
      'SELECT created_at FROM orders WHERE created_ms IS NOT NULL ORDER BY created_ms DESC LIMIT 1',
    );
    return typeof row?.created_at === 'string' ? row.created_at : undefined;
  }

  /** When the history starts: the oldest order of the first sync's newest page. */
  start(): string | undefined {
    const row = this.db.get(
      'SELECT page_oldest FROM syncs WHERE page_oldest IS NOT NULL ORDER BY at_ms LIMIT 1',
    );
    return typeof row?.page_oldest === 'string' ? row.page_oldest : undefined;
  }

  /** Which of these invoice ids the history holds. */
  known(ids: readonly string[]): Set<string> {
    const found = new Set<string>();
    const stmt = this.db.prepare('SELECT 1 AS x FROM orders WHERE invoice_id = ?');
    try {
      for (const id of ids) if (stmt.get(id)) found.add(id);
    } finally {
      stmt.finalize();
    }
    return found;
  }

  /** Invoice ids of kept orders whose status may still change. */
  openIds(): string[] {
    return this.db
      .all(
        `SELECT invoice_id FROM orders WHERE status IN (${OPEN_STATUSES.map(() => '?').join(',')})`,
        [...OPEN_STATUSES],
      )
      .map((r) => String(r.invoice_id));
  }

  /** Inserts new orders, updates those the service changed; call inside `transaction`. */
  upsert(rows: readonly OrderRow[], nowMs: number): UpsertResult {
    const exists = this.db.prepare('SELECT json FROM orders WHERE invoice_id = ?');
    const write = this.db.prepare(
      `INSERT INTO orders (invoice_id, created_at, created_ms, status, product_id, product_title,
         quantity, total, currency, gateway, delivered, json, first_seen_ms, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (invoice_id) DO UPDATE SET
         created_at = excluded.created_at, created_ms = excluded.created_ms,
         status = excluded.status, product_id = excluded.product_id,
         product_title = excluded.product_title, quantity = excluded.quantity,
         total = excluded.total, currency = excluded.currency, gateway = excluded.gateway,
         delivered = excluded.delivered, json = excluded.json, updated_ms = excluded.updated_ms`,
    );
    const out = { added: 0, changed: 0 };
    try {
      for (const r of rows) {
        const before = exists.get(r.invoiceId);
        if (before && before.json === r.json) continue;
        const ms = r.createdAt === null ? Number.NaN : Date.parse(r.createdAt);
        write.run([
          r.invoiceId,
          r.createdAt,
          Number.isFinite(ms) ? ms : null,
          r.status,
          r.productId,
          r.productTitle,
          r.quantity,
          r.total,
          r.currency,
          r.gateway,
          r.delivered,
          r.json,
          nowMs,
          nowMs,
        ]);
        if (before) out.changed++;
        else out.added++;
      }
    } finally {
      exists.finalize();
      write.finalize();
    }
    return out;
  }

  recordSync(
    nowMs: number,
    seen: number,
    r: UpsertResult,
    gap: { after: string | null; before: string } | undefined,
    pageOldest: string | undefined,
  ): void {
    this.db.run(
      `INSERT INTO syncs (at_ms, seen, added, changed, gap_after, gap_before, page_oldest)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        nowMs,
        seen,
        r.added,
        r.changed,
        gap?.after ?? null,
        gap?.before ?? null,
        pageOldest ?? null,
      ],
    );
  }

  /**
   * Units sold (SALE_STATUSES; units as `unitsOf` counts them) per product
   * id and title, of orders created since sinceMs. No upper bound: an order
   * the service stamped ahead of our clock is a sale all the same.
   */
  sales(sinceMs: number): ProductSales[] {
    return this.db
      .all(
        `SELECT product_id, product_title, sum(coalesce(quantity, delivered, 1)) AS sold
         FROM orders WHERE created_ms >= ? AND status IN (${SALE_STATUSES.map(() => '?').join(', ')})
         GROUP BY product_id, product_title`,
        [sinceMs, ...SALE_STATUSES],
      )
      .map((r) => ({
        productId: typeof r.product_id === 'string' ? r.product_id : null,
        productTitle: typeof r.product_title === 'string' ? r.product_title : null,
        sold: Number(r.sold ?? 0),
      }));
  }

  /** When the last sync wrote, in ms; undefined if none did. */
  lastSync(): number | undefined {
    const row = this.db.get('SELECT max(at_ms) AS at FROM syncs');
    return typeof row?.at === 'number' ? row.at : undefined;
  }

  /** What `stats` counts of each order created in [sinceMs, untilMs), oldest first. */
  facts(sinceMs: number, untilMs: number): OrderFacts[] {
    const out: OrderFacts[] = [];
    const stmt = this.db.prepare(
      `SELECT created_ms, status, currency, total, product_id, product_title, gateway
       FROM orders WHERE created_ms >= ? AND created_ms < ? ORDER BY created_ms`,
    );
    try {
      for (const r of stmt.iterate([sinceMs, untilMs])) {
        out.push({
          at: Number(r.created_ms),
          status: typeof r.status === 'string' ? r.status : 'unknown',
          currency: typeof r.currency === 'string' ? r.currency : '?',
          total: typeof r.total === 'number' ? r.total : 0,
          product:
            typeof r.product_title === 'string'
              ? r.product_title
              : typeof r.product_id === 'string'
                ? r.product_id
                : 'unknown',
          gateway: typeof r.gateway === 'string' ? r.gateway : 'unknown',
        });
      }
    } finally {
      stmt.finalize();
    }
    return out;
  }

  /** Orders newest first, as stored (the service's JSON). */
  orders(q: OrderQuery): Record<string, unknown>[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.sinceMs !== undefined) {
      where.push('created_ms >= ?');
      args.push(q.sinceMs);
    }
    if (q.untilMs !== undefined) {
      where.push('created_ms < ?');
      args.push(q.untilMs);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.product !== undefined) {
      // Orders name their product by id where the service sends one, else by title.
      where.push('(product_id = ? OR (product_id IS NULL AND product_title IS ?))');
      args.push(q.product.id, typeof q.product.title === 'string' ? q.product.title : '');
    }
    const sql = `SELECT json FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_ms DESC, invoice_id DESC${q.limit === undefined ? '' : ` LIMIT ${Math.floor(q.limit)}`}`;
    const out: Record<string, unknown>[] = [];
    const stmt = this.db.prepare(sql);
    try {
      for (const row of stmt.iterate(args)) {
        out.push(JSON.parse(String(row.json)) as Record<string, unknown>);
      }
    } finally {
      stmt.finalize();
    }
    return out;
  }
}

/**
 * node-sqlite3-wasm's own lock, an empty folder, left by a killed astrosell:
 * we hold our lock, so no live one owns it. Anything else by that name is
 * not ours to remove.
 */
function removeLeftLock(file: string): void {
  try {
    rmdirSync(`${file}.lock`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new CliError(
      `cannot open the order history ${file}: ${file}.lock is in the way (${code})`,
      'failure',
      { hint: 'it is not the empty lock folder astrosell leaves; move it away' },
    );
  }
}

function openDatabase(file: string): Database {
  try {
    const db = new Database(file);
    // Our lock already keeps every other astrosell out: SQLite may keep its
    // own for the connection's life instead of taking it (a folder made and
    // removed) around every statement.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    return db;
  } catch (error) {
    throw new CliError(
      `cannot open the order history ${file}: ${(error as Error).message}`,
      'failure',
      { hint: 'is it an SQLite file written by astrosell? pass another file with --db' },
    );
  }
}

async function takeLock(
  lock: FileLock,
  clock: Clock,
  waitMs: number,
  onWait: ((holder: LockHolder) => void) | undefined,
): Promise<void> {
  const deadline = clock.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      lock.lock();
      return;
    } catch (error) {
      if (!(error instanceof HistoryBusy) || clock.now() >= deadline) throw error;
      if (!told) onWait?.(error.holder);
      told = true;
      await clock.sleep(50);
    }
  }
}
