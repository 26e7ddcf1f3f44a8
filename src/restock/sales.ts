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
import type { Resources } from '../api/resources/index.js';

export const ORDERS_PAGE = 200;
/** Orders open at the snapshot, no longer open and off the newest page, read one by one up to this. */
const MAX_SINGLE_READS = 20;
const OPEN = ['pending', 'processing'];

export interface SalesSnapshot {
  /** invoiceId → status before the first send. */
  statuses: Array<[string, string]>;
  /** Every open order was listed (neither status list was a full page). */
  whole: boolean;
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
}

function lite(o: unknown): OrderLite | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const { invoiceId, status, deliveredItems } = o as Record<string, unknown>;
  if (typeof invoiceId !== 'string') return undefined;
  return {
    invoiceId,
    status: typeof status === 'string' ? status : '',
    deliveredItems: Array.isArray(deliveredItems)
      ? deliveredItems.filter((d): d is string => typeof d === 'string')
      : [],
  };
}

function liteList(list: readonly unknown[]): OrderLite[] {
  return list.map(lite).filter((o): o is OrderLite => o !== undefined);
}

async function readPages(shop: Resources, signal: AbortSignal) {
  const page = (status?: string) =>
    shop.orders.list({ limit: ORDERS_PAGE, status, signal }).then((a) => liteList(a.data));
  const [recent, ...open] = await Promise.all([page(), ...OPEN.map(page)]);
  return { recent: recent!, open };
}

export async function takeSnapshot(shop: Resources, signal: AbortSignal): Promise<SalesSnapshot> {
  const { recent, open } = await readPages(shop, signal);
  const statuses = new Map<string, string>();
  for (const o of [...recent, ...open.flat()]) statuses.set(o.invoiceId, o.status);
  return {
    statuses: [...statuses],
    whole: open.every((list) => list.length < ORDERS_PAGE),
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
): Sales & { toRead: string[] } {
  const before = new Map(snap.statuses);
  const sold = new Set<string>();
  // New since the snapshot, or open then and no longer (it may have completed
  // and delivered). Any other change (completed → refunded) delivers nothing.
  const counts = (o: OrderLite) => {
    const was = before.get(o.invoiceId);
    return was === undefined || (OPEN.includes(was) && was !== o.status);
  };
  let delivered = 0;
  const deliver = (o: OrderLite) => {
    for (const d of o.deliveredItems) sold.add(d);
    delivered += o.deliveredItems.length;
  };
  for (const o of recent) if (counts(o)) deliver(o);
  // The newest page holds every new order if it reaches an order of the snapshot.
  const reachesBack = recent.length < ORDERS_PAGE || recent.some((o) => before.has(o.invoiceId));
  const seen = new Map<string, OrderLite>();
  for (const o of [...recent, ...openNow]) seen.set(o.invoiceId, o);
  const toRead: string[] = [];
  for (const [id, status] of before) {
    if (!OPEN.includes(status) || seen.has(id)) continue;
    // Open then, no longer listed as open, and off the newest page: it changed.
    if (!singles.has(id)) {
      toRead.push(id);
      continue;
    }
    const o = singles.get(id);
    if (o && counts(o)) deliver(o);
  }
  const whole =
    snap.whole && reachesBack && toRead.length === 0 && [...singles.values()].every(Boolean);
  return { sold, delivered, whole, toRead };
}

export async function salesSince(
  shop: Resources,
  snap: SalesSnapshot,
  signal: AbortSignal,
): Promise<Sales> {
  const { recent, open } = await readPages(shop, signal);
  const openNow = open.flat();
  const first = judgeSales(snap, recent, openNow);
  if (first.toRead.length === 0) return first;
  if (first.toRead.length > MAX_SINGLE_READS) {
    return { sold: first.sold, delivered: first.delivered, whole: false };
  }
  const singles = new Map<string, OrderLite | undefined>();
  for (const id of first.toRead)
    singles.set(id, lite((await shop.orders.get(id, { signal })).data));
  return judgeSales(snap, recent, openNow, singles);
}
