// The settle policy as pure functions: what an answer or a read-back proves
// about a batch of serials, and what may be sent again. settle.ts does the
// requests; this file decides. Every rule uses only what was verified, and
// says "uncertain" where the service's answers cannot tell:
//
// 1. An answer counts only if the pool could have given it (plausibleAnswer).
//    Anything else is an unknown outcome, settled by reading the pool back.
// 2. A serial whose request may still be processed (a timeout, a dropped
//    connection, a gateway's 502/504, a run stopped mid-request) is never
//    sent again, in any pool kind: absent now, it may land later. It is
//    uncertain (the end of the run looks once more; see settle.ts).
// 3. A read-back proves something only where the pool's change since it was
//    last seen is explained by this run and the sales it saw:
//    - a pool that drops duplicates holds each serial at most once, so a
//      serial present is stored (by this run or before it, either way once);
//      one absent was not stored, unless an order new since the run began
//      delivered it (stored, then sold; but while the request may still
//      land, the copy sold may have been one the pool held before:
//      uncertain), or sales cannot be ruled out (the orders window was not
//      seen whole): uncertain;
//    - a pool that keeps duplicates proves nothing by presence (an older copy
//      may be there). The service appends the stored prefix of a request's
//      lines, so when no sale touched the pool, the pool must have grown by
//      exactly that prefix and end with it. Any other change (another writer,
//      a sale, a size never observed) leaves the batch uncertain, and says so.
import type { StockAddResult } from '../api/resources/stock.js';
import type { Sales } from './sales.js';

/** How the pool treats a serial it already holds, and sold ones. */
export interface PoolKind {
  /** `removeDuplicates` sent with every stock add. */
  dedup: boolean;
  /** Delivered serials (may) leave the pool. */
  removeSold: boolean;
}

/**
 * Could the pool have given this answer to `sent` lines? Keeping duplicates,
 * nothing is dropped: every line is stored unless the request was truncated
 * or capped, so `added` must equal `sent` without those flags, and be less
 * with them. Dropping duplicates, any `added` up to `sent` is possible.
 */
export function plausibleAnswer(a: StockAddResult, sent: number, dedup: boolean): boolean {
  if (!Number.isInteger(a.added) || a.added < 0 || a.added > sent) return false;
  if (!Number.isInteger(a.total) || a.total < a.added) return false;
  if (dedup) return true;
  return a.truncated || a.capped ? a.added < sent : a.added === sent;
}

/** A verified read-back of the pool: complete body, every item whole. */
export interface ReadBack {
  /** Items in the pool. */
  size: number;
  /** Occurrences of each serial asked about. */
  counts: ReadonlyMap<string, number>;
  /** The newest items, oldest first (at least as many as the batch, keeping duplicates). */
  tail: readonly string[];
}

export interface Facts {
  /** The serials being settled, in the order their request carried them. */
  batch: readonly string[];
  /** A request carrying them may still be processed by the service. */
  mayStillLand: boolean;
  /** `batch` is exactly what one request carried (keeping duplicates, the prefix rule needs it). */
  oneRequest: boolean;
  /** The pool's size when last observed before that request, if it was. */
  sizeBefore: number | null;
  /** Sales of this run, when sold keys leave the pool; undefined when they stay. */
  sales: Sales | undefined;
  /**
   * Keys seen delivered (by orders of this run) before `sizeBefore` was
   * observed: those sales are in that size already. Keeping duplicates, any
   * delivery beyond them changes the pool unexplained. (Unknown: 0, so every
   * sale of the run counts.)
   */
  deliveredBefore?: number;
}

export interface Verdict {
  /** In the pool: stored (by this run, or already there once). */
  stored: number;
  /** Stored, then delivered by an order of this run. */
  sold: number;
  /** Known not stored, and no request carrying them can land any more: may be sent again. */
  resend: string[];
  /** Fate unknown: never sent again by this run. */
  uncertain: string[];
  /** The pool changed in a way this run and its sales cannot explain (another writer). */
  unexplained: boolean;
}

function countOf(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

/** The pool's newest items end with `batch`'s first k. */
function endsWith(tail: readonly string[], batch: readonly string[], k: number): boolean {
  if (k > tail.length) return false;
  for (let i = 0; i < k; i++) if (tail[tail.length - k + i] !== batch[i]) return false;
  return true;
}

/** What a verified read-back proves about `f.batch` (rules 2 and 3 above). */
export function judgeReadBack(pool: PoolKind, read: ReadBack, f: Facts): Verdict {
  const v: Verdict = { stored: 0, sold: 0, resend: [], uncertain: [], unexplained: false };
  const sales = pool.removeSold ? f.sales : undefined;
  /** Absent and not seen sold: not stored if no sale can be missed and nothing can land later. */
  const absent = (s: string) => {
    if ((pool.removeSold && !sales?.whole) || f.mayStillLand) v.uncertain.push(s);
    else v.resend.push(s);
  };
  if (pool.dedup) {
    for (const s of f.batch) {
      if ((read.counts.get(s) ?? 0) > 0) v.stored++;
      // Delivered since the run began: this request stored it, or a copy the pool held
      // before was sold. While the request may still land, that is unknown: landing after
      // the sale, it would put the key back in stock.
      else if (sales?.sold.has(s)) {
        if (f.mayStillLand) v.uncertain.push(s);
        else v.sold++;
      } else absent(s);
    }
    return v;
  }
  // Keeping duplicates: only a pool whose change is exactly this batch's prefix
  // proves anything. A sale since the pool's size was observed (seen by an
  // orders read after the last one that size already included) could hide
  // another writer's add, so then nothing is inferred.
  const quiet =
    !pool.removeSold || (sales?.whole === true && sales.delivered <= (f.deliveredBefore ?? 0));
  // The pool's growth says how many lines landed; its newest items must be those lines.
  const k = f.sizeBefore === null ? -1 : read.size - f.sizeBefore;
  const explained =
    quiet && f.oneRequest && k >= 0 && k <= f.batch.length && endsWith(read.tail, f.batch, k);
  if (!explained) {
    v.uncertain.push(...f.batch);
    // Sales and an unknown starting size explain a change; anything else is another writer.
    v.unexplained = quiet && f.sizeBefore !== null && f.oneRequest;
    return v;
  }
  // The pool grew by exactly the matched prefix: those are this batch's, the rest is not there.
  const prefix = countOf(f.batch.slice(0, k));
  for (const [s, n] of prefix) {
    // The prefix's copies must all be in the pool, or the match was made of something else.
    if ((read.counts.get(s) ?? 0) < n) {
      v.uncertain.push(...f.batch);
      v.unexplained = true;
      return v;
    }
  }
  v.stored = k;
  for (const s of f.batch.slice(k)) absent(s);
  return v;
}

/**
 * A truncated or capped answer in a pool that keeps duplicates: nothing is
 * dropped, and lines past the limit (or the cap) are not stored, so the
 * first `added` lines are exactly what was stored.
 */
export function answeredPrefix(batch: readonly string[], added: number): Verdict {
  return {
    stored: added,
    sold: 0,
    resend: batch.slice(added),
    uncertain: [],
    unexplained: false,
  };
}

/**
 * Batch sizes: a run starts small and doubles after each clean, quick
 * answer, up to the limit it has learned from the service, a body size of
 * ours and `max`. It shrinks after a 413, a truncation or an answer that
 * took too long (or never came): under rule 2 a request that times out may
 * leave its serials uncertain, so a request should finish well within the
 * timeout. `--batch-size` pins the size (only a 413 or a truncation, which
 * the service imposes, changes it then).
 */
export interface Sizing {
  size: number;
  /** The largest size the service is known to take (learned from a 413 or a truncation). */
  ceiling: number | null;
  /** The largest size this run may use. */
  max: number;
  pinned: boolean;
}

/** Bodies stay under this (the stock string, JSON-escaped): a size of ours, not the service's. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The first batch, unless a small `max` asks for less (then a sixteenth of it, so growth shows). */
export const START_BATCH = 1000;

export function firstSize(max: number): number {
  return Math.max(1, Math.min(START_BATCH, Math.ceil(max / 16)));
}

export type SizeEvent =
  /** A plain answer: `ms` it took, against the whole-request timeout; the body's bytes. */
  | { kind: 'clean'; ms: number; timeoutMs: number; bodyBytes: number }
  /** The body was too large. */
  | { kind: 'too-large' }
  /** Truncated; keeping duplicates, `accepted` lines is exactly what the service takes. */
  | { kind: 'truncated'; accepted: number | null }
  /** No answer in time (a timeout, a dropped connection): smaller is safer. */
  | { kind: 'no-answer' };

export function nextSize(s: Sizing, e: SizeEvent): Sizing {
  const half = Math.max(1, Math.floor(s.size / 2));
  switch (e.kind) {
    case 'too-large':
      return { ...s, size: half, ceiling: half };
    case 'truncated': {
      // Keeping duplicates the answer says how many lines the service took; else halve.
      const ceiling = e.accepted && e.accepted > 0 ? Math.min(s.size - 1, e.accepted) : half;
      return { ...s, size: Math.max(1, ceiling), ceiling: Math.max(1, ceiling) };
    }
    case 'no-answer':
      // Too slow at this size: never that large again in this run.
      return s.pinned ? s : { ...s, size: half, ceiling: Math.min(s.ceiling ?? half, half) };
    case 'clean': {
      if (s.pinned) return s;
      // Slow: back off before a request risks the timeout; quick: grow. Far
      // from both the timeout and our body limit (the round trip, not the
      // work, is what the answer took), four times; else twice.
      if (e.ms * 2 > e.timeoutMs) return { ...s, size: half };
      if (e.ms * 4 > e.timeoutMs || e.bodyBytes * 2 > MAX_BODY_BYTES) return s;
      const far = e.ms * 16 <= e.timeoutMs && e.bodyBytes * 4 <= MAX_BODY_BYTES;
      const limit = Math.min(s.ceiling ?? s.max, s.max);
      return { ...s, size: Math.max(s.size, Math.min(s.size * (far ? 4 : 2), limit)) };
    }
  }
}
