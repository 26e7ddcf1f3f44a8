// Sending one unit and settling it: every serial of the unit ends stored,
// known not stored (unsent) or of unknown fate (uncertain), or the run stops
// with the unit in flight. The policy for answers that do not say what was
// stored lives here:
//   - a whole 2xx answer: stored (added, or dropped by the pool);
//   - truncated/capped: in a pool that keeps duplicates the first `added`
//     lines were stored; otherwise the pool is read back (reconcile.ts);
//     a truncated remainder is resent in smaller batches, at most
//     MAX_IDLE_TRUNCATIONS times in a row without progress; capped: the pool
//     is full and nothing more is sent;
//   - 413: smaller batches; any other 4xx: refused, nothing of it stored;
//   - no usable answer (5xx, malformed 2xx, dropped, timeout): read back.
//
// One rule decides whether a serial absent after a read-back is sent again,
// on a live run and on --resume alike: only if no request carrying it may
// still be processed by the service (it answered, or refused), or the pool
// drops duplicates (a late landing then changes nothing). Otherwise it is
// listed as uncertain, never resent blindly.
import type { Resources } from '../api/resources/index.js';
import type { Clock } from '../context.js';
import { type CliError, InterruptedError } from '../errors.js';
import type { Progress } from '../render/progress.js';
import {
  type Classified,
  classifyAnsweredPrefix,
  classifyDedup,
  classifyKeepDup,
} from './reconcile.js';
import { retryRead } from './retry-read.js';
import { type Sales, type SalesSnapshot, salesSince } from './sales.js';
import { scanPool, sendStock, type Target } from './target.js';

/** Unknown outcomes in a row within one unit before the run stops (resumable). */
const MAX_UNKNOWN_ROUNDS = 5;
/** Truncated answers in a row that stored nothing before the rest is given up as unsent. */
export const MAX_IDLE_TRUNCATIONS = 4;
/** Wait before reading back after a failure the service may still be working on. */
export const SETTLE_MS = 300;

/** What the engine shares with the settling of units; this file alone changes it. */
export interface Run {
  shop: Resources;
  target: Target;
  clock: Clock;
  /** Aborted when Ctrl-C's grace period ends: the request in flight is given up. */
  signal: AbortSignal;
  sales: SalesSnapshot | null;
  batchSize: number;
  capped: boolean;
  /** Pool size after the last answer or read-back (keeping duplicates, it checks a read-back). */
  poolTotal: number | null;
  progress: Progress;
}

export type UnitEnd =
  | { kind: 'settled' }
  /** Nothing more is sent: the rest of the input is unsent for `reason`. */
  | { kind: 'refused'; error: CliError; reason: string }
  | { kind: 'capped'; reason: string }
  | { kind: 'idle'; reason: string }
  /** The run stops with this unit in flight; a resume settles it again from the pool. */
  | {
      kind: 'stop';
      error: CliError;
      /** Sent, fate not settled. */
      inflight: string[];
      /** Not sent by this run. */
      pending: string[];
      mayStillLand: boolean;
    };

export interface UnitOutcome {
  /** = added + dropped + found */
  sent: number;
  added: number;
  dropped: number;
  found: number;
  sold: number;
  requests: number;
  unsent: Array<{ serial: string; reason: string }>;
  uncertain: string[];
  end: UnitEnd;
}

/** Nothing sent, nothing settled yet. */
export function emptyOutcome(end: UnitEnd = { kind: 'settled' }): UnitOutcome {
  return {
    sent: 0,
    added: 0,
    dropped: 0,
    found: 0,
    sold: 0,
    requests: 0,
    unsent: [],
    uncertain: [],
    end,
  };
}

const POOL_FULL = 'pool full';
const IDLE = 'not stored: the service kept truncating without storing anything';

/**
 * `resume`: the unit was in flight when an earlier run stopped; the pool is
 * read back before any of it is sent again.
 */
export async function settleUnit(
  run: Run,
  serials: string[],
  resume?: { mayStillLand: boolean },
): Promise<UnitOutcome> {
  const o = emptyOutcome();
  // Resent after an answer was lost while the first request may still land
  // (a pool that drops duplicates): if they are then not sent again after
  // all, they are of unknown fate, not "known not stored".
  const mayLand = new Set<string>();
  const unsent = (list: readonly string[], reason: string) => {
    for (const serial of list) {
      if (mayLand.has(serial)) o.uncertain.push(serial);
      else o.unsent.push({ serial, reason });
    }
  };
  const stop = (error: CliError, inflight: string[], pending: string[], mayStillLand: boolean) => {
    const notSent = pending.filter((x) => !mayLand.has(x));
    const unsure = inflight.concat(pending.filter((x) => mayLand.has(x)));
    o.end = { kind: 'stop', error, inflight: unsure, pending: notSent, mayStillLand };
    return o;
  };
  /** Read back after an unknown outcome: found ones count, absent ones may go again. */
  const readBack = async (
    batch: string[],
    mayStillLand: boolean,
    /** `batch` is exactly what the last request carried (not a resumed unit, which may have had several). */
    oneRequest = true,
  ): Promise<string[]> => {
    const r = await reconcile(run, batch);
    o.sent += r.stored + r.sold;
    o.found += r.stored + r.sold;
    o.sold += r.sold;
    o.uncertain.push(...r.unknown);
    if (!mayStillLand || (oneRequest && r.landed)) return r.absent;
    if (run.target.dedup) {
      for (const x of r.absent) mayLand.add(x);
      return r.absent;
    }
    o.uncertain.push(...r.absent);
    return [];
  };

  let pending = serials;
  if (resume && pending.length) {
    try {
      pending = await readBack(pending, resume.mayStillLand, false);
    } catch (error) {
      return stop(error as CliError, pending, [], resume.mayStillLand);
    }
  }
  let unknownRounds = 0;
  let idle = 0;
  while (pending.length) {
    if (run.capped) {
      unsent(pending, POOL_FULL);
      o.end = { kind: 'capped', reason: POOL_FULL };
      return o;
    }
    const size = run.batchSize;
    const batch = pending.slice(0, size);
    const rest = pending.slice(size);
    if (run.signal.aborted) return stop(new InterruptedError(), [], pending, false);
    o.requests++;
    const res = await sendStock(run.shop, run.target, batch, run.signal);

    if (res.kind === 'refused') {
      if (res.error.status === 413 && size > 1) {
        run.batchSize = Math.max(1, Math.floor(size / 2));
        continue;
      }
      const reason = `refused by the service: ${res.error.message}`;
      unsent(pending, reason);
      o.end = { kind: 'refused', error: res.error, reason };
      return o;
    }
    if (res.kind === 'not-sent') return stop(res.error, [], pending, false);
    if (res.kind === 'unknown') {
      const mayStillLand = !res.finished;
      if (res.interrupted || ++unknownRounds > MAX_UNKNOWN_ROUNDS) {
        return stop(res.error, batch, rest, mayStillLand);
      }
      run.progress.note(`warning: ${res.error.message}; checking what the pool received…`);
      try {
        if (mayStillLand) await run.clock.sleep(SETTLE_MS * 2 ** (unknownRounds - 1), run.signal);
        pending = (await readBack(batch, mayStillLand)).concat(rest);
      } catch (error) {
        const e = run.signal.aborted ? new InterruptedError() : (error as CliError);
        return stop(e, batch, rest, mayStillLand);
      }
      continue;
    }

    const a = res.answer;
    run.poolTotal = a.total;
    unknownRounds = 0;
    o.added += a.added;
    if (!a.truncated && !a.capped) {
      o.sent += batch.length;
      o.dropped += batch.length - a.added;
      pending = rest;
      continue;
    }
    // Part of the batch was stored, and the answer does not say which part.
    let r: Classified;
    if (run.target.dedup) {
      try {
        r = await reconcile(run, batch);
      } catch (error) {
        o.added -= a.added;
        return stop(error as CliError, batch, rest, false);
      }
    } else {
      r = classifyAnsweredPrefix(batch, a.added);
    }
    // Found fewer than the answer added (one sold unseen before the read-back):
    // only what was found counts as sent; the rest is listed as unknown.
    const stored = r.stored + r.sold;
    o.added += Math.min(a.added, stored) - a.added;
    o.sent += stored;
    o.dropped += Math.max(0, stored - a.added);
    o.sold += r.sold;
    o.uncertain.push(...r.unknown);
    if (a.capped) {
      run.capped = true;
      run.progress.note('warning: the pool is full (capped); the rest goes to the unsent file');
      unsent(r.absent.concat(rest), POOL_FULL);
      o.end = { kind: 'capped', reason: POOL_FULL };
      return o;
    }
    idle = stored > 0 ? 0 : idle + 1;
    if (idle >= MAX_IDLE_TRUNCATIONS) {
      unsent(r.absent.concat(rest), IDLE);
      o.end = { kind: 'idle', reason: IDLE };
      return o;
    }
    // Truncated: smaller batches from now on, at most what was accepted when that is known.
    const half = Math.max(1, Math.floor(size / 2));
    run.batchSize = a.added > 0 && !run.target.dedup ? Math.min(half, a.added) : half;
    pending = r.absent.concat(rest);
  }
  return o;
}

/** Reads the pool back (and this run's sales) and classifies the batch. */
async function reconcile(run: Run, batch: readonly string[]): Promise<Classified> {
  const { shop, target, signal } = run;
  const sizeBefore = run.poolTotal ?? undefined;
  const scan = await retryRead(run.clock, signal, () =>
    scanPool(shop, target, batch, target.dedup ? 0 : batch.length, signal),
  );
  run.poolTotal = scan.size;
  // Orders are read after the pool: a key sold after the pool read was still in it.
  let sales: Sales | undefined;
  if (target.removeSold) {
    const snap = run.sales;
    const unseen = { sold: new Set<string>(), whole: false };
    sales = snap
      ? await retryRead(run.clock, signal, () => salesSince(shop, snap, signal)).catch((error) => {
          if (error instanceof InterruptedError || signal.aborted) throw error;
          return unseen; // unreadable: absence then proves nothing
        })
      : unseen;
  }
  return target.dedup
    ? classifyDedup(batch, scan, sales)
    : classifyKeepDup(batch, scan, sales, sizeBefore);
}
