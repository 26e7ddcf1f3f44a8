// `orders sync`: read what the service can still tell (the newest page, the
// newest page of each status an older order can move to, and each kept order
// still open) and upsert it into the history in one transaction.
//
// The service lists at most 200 orders and has no paging, so a history is
// whole only if every sync's newest page overlaps what was kept before. A
// full newest page that holds none of the kept orders means orders created
// between the two may have been missed: the sync says so, with the window,
// and records it (docs/history.md).

import type { Resources } from '../api/resources/index.js';
import type { Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';
import type { History, OrderRow } from './db.js';

/** Statuses an older order can move to: their newest page is read too. */
export const LATE_STATUSES = ['refunded'] as const;
/** Open orders re-read at once. */
const CONCURRENCY = 4;

export interface SyncReport {
  file: string;
  /** Distinct orders read from the service. */
  seen: number;
  added: number;
  changed: number;
  /** Orders in the history after the sync. */
  total: number;
  /** The oldest order of the newest page (where the service's window starts). */
  pageOldest: string | undefined;
  /** The history was empty: it starts at `pageOldest`. */
  first: boolean;
  /** Orders created after `after` and before `before` may be missing. */
  gap: { after: string | null; before: string } | undefined;
  /** Kept open orders the service no longer knows (404): left as kept. */
  vanished: number;
}

export interface SyncDeps {
  shop: Resources;
  clock: Clock;
  signal?: AbortSignal;
  open(create: boolean): Promise<History>;
  /** Test aid: pause this long inside the write transaction (a kill there must lose nothing). */
  pauseInTransactionMs?: number;
  onPause?: () => void;
}

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The row kept for an order: its JSON as sent, less the delivered serials
 * (money: whoever reads the file could use them) and the buyer's email
 * (personal data), which no history feature needs; their count is kept.
 */
export function rowOf(o: Raw): OrderRow {
  const { deliveredItems, customerEmail: _email, ...kept } = o;
  return {
    invoiceId: String(o.invoiceId),
    json: JSON.stringify(kept),
    createdAt: str(o.createdAt),
    status: str(o.status),
    productId: str(o.productId),
    productTitle: str(o.productTitle),
    quantity: num(o.quantity),
    total: num(o.total),
    currency: str(o.currency),
    gateway: str(o.gateway),
    delivered: Array.isArray(deliveredItems) ? deliveredItems.length : null,
  };
}

export async function syncOrders(d: SyncDeps): Promise<SyncReport> {
  // 1. What the history holds that may still change (the file is held only briefly).
  let openIds: string[];
  let file: string;
  {
    const h = await d.open(true);
    try {
      openIds = h.openIds();
      file = h.file;
    } finally {
      h.close();
    }
  }

  // 2. The service: pages first, then each open order not on any page.
  const page = (await d.shop.orders.newest({ signal: d.signal })).data;
  const newest = page.orders;
  const fetched = new Map<string, Raw>();
  for (const o of newest) fetched.set(o.invoiceId, o);
  for (const status of LATE_STATUSES) {
    for (const o of (await d.shop.orders.newest({ status, signal: d.signal })).data.orders)
      if (!fetched.has(o.invoiceId)) fetched.set(o.invoiceId, o);
  }
  const toRead = openIds.filter((id) => !fetched.has(id));
  let vanished = 0;
  let next = 0;
  const worker = async () => {
    while (next < toRead.length) {
      const id = toRead[next++] as string;
      try {
        // Read as leniently as a page: an answer that is not an order is not kept.
        const o = (await d.shop.orders.find(id, { signal: d.signal })).data;
        if (o) fetched.set(id, o);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        vanished++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, toRead.length) }, worker));

  // 3. One transaction: all of this sync is stored, or none of it.
  const h = await d.open(true);
  try {
    const before = h.count();
    const ids = newest.map((o) => o.invoiceId);
    const known = h.known(ids);
    const pageOldest = str(newest.at(-1)?.createdAt) ?? undefined;
    const full = page.full;
    const gap =
      full && before > 0 && known.size === 0 && pageOldest !== undefined
        ? { after: h.newest() ?? null, before: pageOldest }
        : undefined;
    const now = d.clock.now();
    const result = h.transaction(() => {
      const r = h.upsert([...fetched.values()].map(rowOf), now);
      h.recordSync(now, fetched.size, r, gap, pageOldest);
      if (d.pauseInTransactionMs) {
        d.onPause?.();
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, d.pauseInTransactionMs);
      }
      return r;
    });
    return {
      file,
      seen: fetched.size,
      ...result,
      total: h.count(),
      pageOldest,
      first: before === 0 && full,
      gap,
      vanished,
    };
  } finally {
    h.close();
  }
}
