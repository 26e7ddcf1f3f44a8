// What became of a batch whose answer does not say which serials were stored
// (a truncated or capped answer in a pool that drops duplicates, or no usable
// answer at all), judged from the pool read back and the sales of this run.
// Pure functions, table-tested; pool-scan.ts reads the pool, sales.ts the orders.
//
// In a pool that drops duplicates, a serial in the pool is stored (by this
// batch or before it: either way it is there once, and sending it again
// would be dropped). A serial absent is stored-then-sold if an order of this
// run delivered it; otherwise it was not stored, when sales can be ruled out
// (sold keys stay, or every sale of the run was seen); otherwise its fate is
// unknown.
//
// In a pool that keeps duplicates, presence proves nothing (an older copy may
// be there). What holds instead: the service stores a prefix of a request's
// lines (those past its limit are not stored) and appends them to the pool,
// so a batch that landed is the pool's newest items. The part of the batch
// at the end of the pool is stored; the rest was not, unless a sale could
// have taken some of it (then unknown). When an older copy makes that match
// ambiguous, every serial of the batch is of unknown fate.
import type { PoolScan } from './pool-scan.js';
import type { Sales } from './sales.js';

export interface Classified {
  /** In the pool (or, keeping duplicates, found among its newest items). */
  stored: number;
  /** Stored, then delivered by an order of this run. */
  sold: number;
  /** Known not stored. */
  absent: string[];
  /** Fate unknown: may be stored. */
  unknown: string[];
  /**
   * Keeping duplicates: the batch's first serials are the pool's newest
   * items, so the request that carried exactly this batch was processed and
   * what is absent will not land later.
   */
  landed?: boolean;
}

/** `sales` is undefined when sold keys stay in the pool. */
export function classifyDedup(
  batch: readonly string[],
  scan: Pick<PoolScan, 'counts'>,
  sales: Sales | undefined,
): Classified {
  const out: Classified = { stored: 0, sold: 0, absent: [], unknown: [] };
  for (const s of batch) {
    if ((scan.counts.get(s) ?? 0) > 0) out.stored++;
    else if (sales?.sold.has(s)) out.sold++;
    else if (!sales || sales.whole) out.absent.push(s);
    else out.unknown.push(s);
  }
  return out;
}

/** No sale of this run is known to have changed the pool's size. */
function noSales(sales: Sales | undefined): boolean {
  return !sales || (sales.whole && sales.sold.size === 0);
}

function countOf(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

/** The longest prefix of `batch` that the pool's newest items end with. */
export function storedPrefix(batch: readonly string[], tail: readonly string[]): number {
  for (let k = Math.min(batch.length, tail.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = tail[tail.length - k + i] === batch[i];
    if (same) return k;
  }
  return 0;
}

/**
 * `sizeBefore`: the pool's size before the batch, when known. Without sales
 * in between, the pool must then have grown by exactly the matched prefix
 * (a match made of older copies, say a repeated input, is caught by this).
 */
export function classifyKeepDup(
  batch: readonly string[],
  scan: Pick<PoolScan, 'counts' | 'tail' | 'size'>,
  sales: Sales | undefined,
  sizeBefore?: number,
): Classified {
  const k = storedPrefix(batch, scan.tail);
  const unknown = { stored: 0, sold: 0, absent: [], unknown: [...batch] };
  const verified = sizeBefore !== undefined && noSales(sales);
  if (verified && scan.size !== sizeBefore + k) return unknown;
  const prefix = countOf(batch.slice(0, k));
  const rest = batch.slice(k);
  // Copies in the pool beyond the matched prefix: older copies, or a landing
  // the tail does not show. Unless the pool's growth confirmed the match,
  // they leave the match in doubt.
  const extra = (s: string) => (scan.counts.get(s) ?? 0) - (prefix.get(s) ?? 0);
  if (!verified && batch.some((s) => extra(s) > 0 && (k > 0 || sales?.sold.has(s)))) {
    return unknown;
  }
  const restMaySold = sales !== undefined && (!sales.whole || rest.some((s) => sales.sold.has(s)));
  const landed = k > 0;
  return restMaySold
    ? { stored: k, sold: 0, absent: [], unknown: rest, landed }
    : { stored: k, sold: 0, absent: rest, unknown: [], landed };
}

/** A truncated or capped answer in a pool that keeps duplicates: the first `added` lines were stored. */
export function classifyAnsweredPrefix(batch: readonly string[], added: number): Classified {
  return { stored: added, sold: 0, absent: batch.slice(added), unknown: [] };
}
