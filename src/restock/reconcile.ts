// Reconciling a batch whose outcome is partial (truncated, capped) or unknown
// (5xx, dropped connection, timeout) against what the pool holds now.
//
// The reference does not say which lines of a partial batch were stored, so
// the pool is read back and compared by hash lookup (O(pool + batch)). A
// serial present now was stored. A serial absent now was either not stored,
// or stored and then sold in the window between the send and the read-back
// (removeSold takes delivered keys out of the pool). Resending the latter
// would sell one key twice, so with removeSold on, absent serials are checked
// against the deliveredItems of recent orders:
//   - delivered in an order → it was stored (then sold): never resent;
//   - not delivered, and the orders read cover the whole window (fewer than
//     the page limit, or the oldest is older than the send minus a clock-skew
//     margin) and none of them is still pending/processing → not stored;
//   - otherwise → unknown: it goes to the uncertain file (not the unsent one).
// Occurrences are counted, so a serial repeated in the batch (no duplicate
// removal) is matched copy by copy.

export interface OrdersWindow {
  delivered: Set<string>;
  /** Every order created since the send is in `delivered`, and none is still being fulfilled. */
  complete: boolean;
}

export interface Classified {
  stored: number;
  /** Stored, then delivered in an order before the read-back. */
  sold: number;
  /** Known not stored. */
  absent: string[];
  /** Fate unknown: neither in the pool nor provably never stored. */
  unknown: string[];
}

export function classify(
  batch: readonly string[],
  poolItems: Iterable<string>,
  removeSold: boolean,
  orders: OrdersWindow | undefined,
): Classified {
  const want = new Map<string, number>();
  for (const s of batch) want.set(s, 0);
  for (const item of poolItems) {
    const n = want.get(item);
    if (n !== undefined) want.set(item, n + 1);
  }
  const out: Classified = { stored: 0, sold: 0, absent: [], unknown: [] };
  for (const s of batch) {
    const n = want.get(s)!;
    if (n > 0) {
      want.set(s, n - 1);
      out.stored++;
    } else if (!removeSold) {
      out.absent.push(s);
    } else if (orders?.delivered.has(s)) {
      out.sold++;
    } else if (orders?.complete) {
      out.absent.push(s);
    } else {
      out.unknown.push(s);
    }
  }
  return out;
}

export const CLOCK_SKEW_MS = 10 * 60_000;
export const ORDERS_PAGE = 200;

/** Builds the window from GET /orders?limit=200 (newest first). */
export function ordersWindow(orders: readonly unknown[], sentAtMs: number): OrdersWindow {
  const delivered = new Set<string>();
  let oldest = Number.POSITIVE_INFINITY;
  let pending = false;
  for (const o of orders) {
    if (typeof o !== 'object' || o === null) continue;
    const order = o as { deliveredItems?: unknown; createdAt?: unknown; status?: unknown };
    if (Array.isArray(order.deliveredItems)) {
      for (const d of order.deliveredItems) if (typeof d === 'string') delivered.add(d);
    }
    const at = typeof order.createdAt === 'string' ? Date.parse(order.createdAt) : Number.NaN;
    if (Number.isNaN(at)) continue;
    oldest = Math.min(oldest, at);
    const inWindow = at >= sentAtMs - CLOCK_SKEW_MS;
    if (inWindow && (order.status === 'pending' || order.status === 'processing')) pending = true;
  }
  const covered = orders.length < ORDERS_PAGE || oldest < sentAtMs - CLOCK_SKEW_MS;
  return { delivered, complete: covered && !pending };
}
