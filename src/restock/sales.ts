// Which serials were sold during this run, for pools whose sold keys leave.
//
// A serial absent from the pool after an unknown outcome was either never
// stored, or stored and then sold. Only sales made during this run can be the
// second kind: an order that existed before, with the same status, never
// counts, however recently it delivered the same serial (a key sold last
// week and restocked today after a refund is still to be stored).
//
// So before the first stock add the run takes a snapshot of the orders
// (invoiceId → status): the newest page, and every pending or processing
// order (those can still complete and deliver). At reconcile time, an order
// counts if it is absent from the snapshot or its status changed. The window
// is seen whole only when the newest page reaches back into the snapshot (or
// is the whole list) and every order open at the snapshot is accounted for;
// otherwise a serial that is absent and not seen delivered is of unknown fate.
// An order in a status the reference does not list (it names them only by
// example) is taken as open too: only completed, refunded, expired and
// cancelled orders are done delivering.
import { createHash } from 'node:crypto';
import type { Resources } from '../api/resources/index.js';
import { ORDERS_PAGE_MAX as ORDERS_PAGE } from '../api/resources/orders.js';

/** Orders open at the snapshot, no longer open and off the newest page, read one by one up to this. */
const MAX_SINGLE_READS = 20;
const OPEN = ['pending', 'processing'];
/**
 * Statuses after which an order delivers nothing more. Any other may still
 * complete: the open ones, and any status the service adds (the reference
 * lists them only by example).
 */
const FINAL = ['completed', 'refunded', 'expired', 'cancelled'];
const mayDeliver = (status: string) => !FINAL.includes(status);
/** Statuses of an order that delivered its keys. */
const DELIVERED = ['completed', 'refunded'];

export interface SalesSnapshot {
  /**
   * invoiceId → status before the first send, how many keys it had delivered
   * then, and a digest of those keys (an old order that delivers more, or
   * other keys, since is not "old": a key replaced by support, a refunded
   * order completed again). The count and the digest are absent in journals
   * of earlier versions.
   */
  statuses: Array<[string, string] | [string, string, number] | [string, string, number, string]>;
  /** Every open order was listed (neither status list was a full page). */
  whole: boolean;
  /**
   * The service's time when it answered the newest page (its Date header, in
   * whole seconds), when it said: an order created before it and missing from
   * the snapshot was cut off the page, not made during the run. Absent in
   * journals of earlier versions.
   */
  at?: number;
}

export interface Sales {
  /** Serials delivered by orders new or changed since the snapshot. */
  sold: Set<string>;
  /** How many keys those orders delivered (a key delivered twice counts twice). */
  delivered: number;
  /** Every such order was seen. */
  whole: boolean;
}

interface OrderLite {
  invoiceId: string;
  status: string;
  deliveredItems: string[];
  productTitle?: string;
  /** How many keys it bought, if it says. */
  quantity?: number;
  /** When it was made (ms), if it says. */
  createdAt?: number;
  /** The order's shape was not as documented (an id, a status, string keys): it proves nothing. */
  odd?: boolean;
}

/**
 * A time as the reference gives it (ISO 8601, with its zone). One without a
 * zone would be read as this machine's local time: hours off, either way.
 */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function lite(o: unknown): OrderLite {
  if (typeof o !== 'object' || o === null) {
    return { invoiceId: '', status: '', deliveredItems: [], productTitle: undefined, odd: true };
  }
  const { invoiceId, status, deliveredItems, productTitle, createdAt, quantity } = o as Record<
    string,
    unknown
  >;
  const made =
    typeof createdAt === 'string' && ZONED.test(createdAt) ? Date.parse(createdAt) : Number.NaN;
  const items = deliveredItems ?? [];
  const keys = Array.isArray(items) && items.every((d) => typeof d === 'string');
  return {
    invoiceId: typeof invoiceId === 'string' ? invoiceId : '',
    status: typeof status === 'string' ? status : '',
    deliveredItems: keys ? (items as string[]) : [],
    productTitle: typeof productTitle === 'string' ? productTitle : undefined,
    ...(Number.isFinite(made) ? { createdAt: made } : {}),
    ...(Number.isSafeInteger(quantity) ? { quantity: quantity as number } : {}),
    odd: typeof invoiceId !== 'string' || typeof status !== 'string' || !keys,
  };
}

/** A digest of an order's delivered keys, in order: equal only if the keys are. */
export function keysDigest(keys: readonly string[]): string {
  const h = createHash('sha256');
  for (const k of keys) h.update(`${k.length}:${k}`);
  return h.digest('base64url').slice(0, 22);
}

function liteList(list: readonly unknown[]): OrderLite[] {
  return list.map(lite);
}

function rawLite(a: { raw?: unknown; data: unknown }): OrderLite {
  return lite(typeof a.raw === 'string' ? JSON.parse(a.raw) : a.data);
}

/**
 * Whose keys an order delivered: this pool's (its product draws from it),
 * another pool's, or unknown (its title is shared by products of both, or
 * missing). Orders name their product by title only.
 */
export type OrderPool = (o: { productTitle?: string }) => 'this' | 'other' | 'unknown';

/** Every order counts as this pool's (the tests' default; the engine passes the target's). */
export const anyPool: OrderPool = () => 'this';

async function readPages(shop: Resources, signal: AbortSignal) {
  // The orders as the service sent them: the resource layer drops what is not as
  // documented, and here an order it would drop must make the window unsure instead.
  const page = (status?: string) =>
    shop.orders.list({ limit: ORDERS_PAGE, status, signal }).then((a) => {
      const raw: unknown = typeof a.raw === 'string' ? JSON.parse(a.raw) : a.data;
      const date = a.headers?.date;
      const at = typeof date === 'string' ? Date.parse(date) : Number.NaN;
      return { list: liteList(Array.isArray(raw) ? raw : [undefined]), at };
    });
  const [recent, ...open] = await Promise.all([page(), ...OPEN.map(page)]);
  return { recent: recent!.list, open: open.map((p) => p.list), at: recent!.at };
}

export async function takeSnapshot(shop: Resources, signal: AbortSignal): Promise<SalesSnapshot> {
  const { recent, open, at } = await readPages(shop, signal);
  const statuses = new Map<string, [string, string, number, string]>();
  for (const o of [...recent, ...open.flat()]) {
    if (!o.odd) {
      const keys = o.deliveredItems;
      statuses.set(o.invoiceId, [o.invoiceId, o.status, keys.length, keysDigest(keys)]);
    }
  }
  const odd = [...recent, ...open.flat()].some((o) => o.odd);
  return {
    statuses: [...statuses.values()],
    whole: !odd && open.every((list) => list.length < ORDERS_PAGE),
    ...(Number.isFinite(at) ? { at } : {}),
  };
}

/**
 * The pure part: from the snapshot and the orders read now, the serials sold
 * since, and which open orders of the snapshot must still be read one by one.
 */
export function judgeSales(
  snap: SalesSnapshot,
  recent: readonly OrderLite[],
  openNow: readonly OrderLite[],
  singles: ReadonlyMap<string, OrderLite | undefined> = new Map(),
  pool: OrderPool = anyPool,
): Sales & { toRead: string[] } {
  const before = new Map(snap.statuses.map(([id, status]) => [id, status]));
  const deliveredThen = new Map(snap.statuses.map(([id, , n, digest]) => [id, { n, digest }]));
  const sold = new Set<string>();
  /** Something was seen that the window cannot account for: absence then proves nothing. */
  let doubt = false;
  // New since the snapshot, or open then (or in any status that is not final)
  // and no longer (it may have completed and delivered). Any other change
  // (completed → refunded) delivers nothing; an old order that now lists
  // other delivered keys than then (more, or a key replaced; a refunded order
  // completed again) is a doubt: which of its keys are new cannot be told.
  const counts = (o: OrderLite) => {
    const was = before.get(o.invoiceId);
    if (was === undefined) return true;
    if (mayDeliver(was) && was !== o.status) return true;
    const then = deliveredThen.get(o.invoiceId);
    const keys = o.deliveredItems;
    const changed =
      then !== undefined &&
      ((then.n !== undefined && keys.length !== then.n) ||
        (then.digest !== undefined && keysDigest(keys) !== then.digest));
    if (changed) doubt = true;
    return false;
  };
  let delivered = 0;
  const deliver = (o: OrderLite) => {
    if (o.odd) {
      doubt = true;
      return;
    }
    const whose = pool(o);
    if (whose === 'other') return;
    // Done and listing fewer keys than it bought (a refund may stop listing them: the
    // reference lists them "once completed"): which keys it took cannot be told.
    if (DELIVERED.includes(o.status) && o.deliveredItems.length < (o.quantity ?? 0)) doubt = true;
    if (whose === 'unknown') {
      if (o.deliveredItems.length) doubt = true;
      return;
    }
    for (const d of o.deliveredItems) sold.add(d);
    delivered += o.deliveredItems.length;
  };
  // Missing from the snapshot yet older than it — listed (newest first) after
  // an order the snapshot knew, or made before the service's time at the
  // snapshot — an order was cut off the page the snapshot read (a short or
  // empty page): not a sale of this run, but the snapshot was not whole, so
  // absence proves nothing.
  const firstKnown = recent.findIndex((o) => before.has(o.invoiceId));
  // An empty snapshot page places nothing by position: an order whose time
  // cannot be read then (no Date header at the snapshot, a `createdAt` in a
  // format of its own) is not proven new either: taken as old, the window as
  // unsure. (A page without any order of a snapshot that held some holds only
  // orders newer than all of them: the list is newest first.)
  const madeBefore = (o: OrderLite) =>
    snap.at !== undefined && o.createdAt !== undefined && o.createdAt < snap.at;
  const older = (o: OrderLite, i: number) =>
    firstKnown >= 0
      ? i > firstKnown || madeBefore(o)
      : before.size > 0
        ? madeBefore(o)
        : snap.at === undefined || o.createdAt === undefined || madeBefore(o);
  recent.forEach((o, i) => {
    if (!o.odd && !before.has(o.invoiceId) && older(o, i)) {
      if (o.deliveredItems.length && pool(o) !== 'other') doubt = true;
      return;
    }
    if (o.odd || counts(o)) deliver(o);
  });
  // The newest page holds every new order only if it reaches an order of the
  // snapshot (a service may answer fewer than asked for: a short page proves nothing).
  const reachesBack =
    recent.length === 0 ? before.size === 0 : recent.some((o) => before.has(o.invoiceId));
  const seen = new Map<string, OrderLite>();
  for (const o of [...recent, ...openNow]) seen.set(o.invoiceId, o);
  const toRead: string[] = [];
  for (const [id, status] of before) {
    if (!mayDeliver(status) || seen.has(id)) continue;
    // Open then (or in a status that may still deliver), no longer listed as open, and
    // off the newest page: it may have changed.
    if (!singles.has(id)) {
      toRead.push(id);
      continue;
    }
    const o = singles.get(id);
    if (o && (o.odd || counts(o))) deliver(o);
  }
  for (const o of openNow) if (o.odd) doubt = true;
  const whole =
    !doubt &&
    snap.whole &&
    reachesBack &&
    toRead.length === 0 &&
    [...singles.values()].every(Boolean);
  return { sold, delivered, whole, toRead };
}

export async function salesSince(
  shop: Resources,
  snap: SalesSnapshot,
  signal: AbortSignal,
  pool: OrderPool = anyPool,
  /** Called once the orders are read, before they are judged (to learn the products they name). */
  beforeJudge?: () => Promise<void>,
): Promise<Sales> {
  const { recent, open } = await readPages(shop, signal);
  await beforeJudge?.();
  const openNow = open.flat();
  const first = judgeSales(snap, recent, openNow, new Map(), pool);
  if (first.toRead.length === 0) return first;
  if (first.toRead.length > MAX_SINGLE_READS) {
    return { sold: first.sold, delivered: first.delivered, whole: false };
  }
  const singles = new Map<string, OrderLite | undefined>();
  for (const id of first.toRead) singles.set(id, rawLite(await shop.orders.get(id, { signal })));
  return judgeSales(snap, recent, openNow, singles, pool);
}
