// Sending one unit and settling it: every serial of the unit ends stored,
// known not stored (unsent) or of unknown fate (uncertain), or the run stops
// with the unit in flight. policy.ts decides what an answer or a read-back
// proves; this file makes the requests:
//   - a plausible 2xx answer: stored (added, or dropped by the pool);
//   - truncated/capped: in a pool that keeps duplicates the first `added`
//     lines were stored; otherwise the pool is read back. A truncated
//     remainder is resent in smaller batches, at most MAX_IDLE_TRUNCATIONS
//     times in a row without progress; capped: the pool is full, nothing
//     more is sent;
//   - 413: smaller batches; any other 4xx: refused, nothing of it stored;
//   - no usable answer (5xx, an answer the pool could not have given, a
//     dropped connection, a timeout): read back. Serials absent then are sent
//     again only if no request carrying them may still be processed.
//
// Before every request the journal declares it in flight (Run.beforeSend),
// with how many of the unit's serials have ever been sent: those after that
// point are known not sent whatever happens next.
import type { Resources } from '../api/resources/index.js';
import type { Clock } from '../context.js';
import { CliError, InterruptedError } from '../errors.js';
import type { KeySet } from './hashset.js';
import type { JournalState, SettledPrefix } from './journal.js';
import type { Progress } from './options.js';
import { answeredPrefix, judgeReadBack, nextSize, type Verdict } from './policy.js';
import { type Sales, salesSince } from './sales.js';
import type { SerialList, Serials } from './serials.js';
import { scanPool, sendStock, type Target } from './target.js';

/** Unknown outcomes in a row within one unit before the run stops (resumable). */
const MAX_UNKNOWN_ROUNDS = 5;
/** Truncated answers in a row that stored nothing before the rest is given up as unsent. */
export const MAX_IDLE_TRUNCATIONS = 4;
/** Wait before reading back after a failure the service may still be working on. */
export const SETTLE_MS = 300;

/**
 * What the engine shares with the settling of units. `saved` is the part of
 * the journal's state that settling reads and changes: the engine hands in
 * the journal state itself, so what the next save writes is what settling
 * decided, with no copy to keep in step. The other fields live only as long
 * as the run; a resume rebuilds them from the journal (engine.ts).
 */
export interface Run {
  shop: Resources;
  target: Target;
  clock: Clock;
  /** Aborted when Ctrl-C's grace period ends: the request in flight is given up. */
  signal: AbortSignal;
  saved: Pick<JournalState, 'sizing' | 'sales' | 'otherWriter'>;
  /** Sizes this run sent, for the summary. */
  sizes: { smallest: number; largest: number; last: number } | null;
  /** The whole-request timeout: a batch should be answered well within it. */
  timeoutMs: number;
  capped: boolean;
  /** Pool size when last observed (an answer's total, or a read-back). */
  poolTotal: number | null;
  /** Keys seen delivered by the latest orders read, and by the last one before `poolTotal` was observed. */
  deliveredSeen: number;
  deliveredAtTotal: number;
  /**
   * Serials of this run absent from the pool while a request carrying them
   * may still land. In a pool that drops duplicates and removes sold keys, a
   * later line with the same serial is not sent either: if the key is sold
   * meanwhile, the late landing would put it back in stock (rule 2).
   */
  held: KeySet;
  /** A request of this run got no answer: the pool may change by its late landing. */
  openRequests: boolean;
  progress: Progress;
  /**
   * Called before each stock add, with how many of the unit's serials will
   * then have been sent; a throw (the journal could not be written) stops
   * the run before the request.
   */
  beforeSend(
    sentUpTo: number,
    prefix: SettledPrefix,
    open: Array<[number, number]>,
    notStored: Array<[number, number]>,
    last: Array<[number, number]>,
  ): void;
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
      inflight: SerialList;
      /** Known not stored: never sent, or answered not stored. */
      pending: SerialList;
      /** A request of this unit may still be processed. */
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
  /** Known not stored, with why, in groups sharing a reason. */
  unsent: Array<{ serials: SerialList; reason: string }>;
  uncertain: string[];
  /** Some request of this unit may still be processed by the service. */
  outstanding: boolean;
  prefix: SettledPrefix;
  /** Positions of the unit carried by requests that got no answer. */
  openRanges: Array<[number, number]>;
  /** Positions sent before, known not stored and not sent again (a stopped unit's). */
  notStored: Array<[number, number]>;
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
    outstanding: false,
    prefix: { upTo: 0, added: 0, dropped: 0, found: 0, requests: 0 },
    openRanges: [],
    notStored: [],
    end,
  };
}

const POOL_FULL = 'pool full';
const IDLE = 'not stored: the service kept truncating without storing anything';

/** What the journal says of a unit in flight when its run stopped. */
export interface ResumeFacts {
  sentUpTo: number;
  /** Positions carried by requests that got no answer (absent in older journals). */
  open?: Array<[number, number]>;
  /** Positions sent before and known not stored (absent in older journals: none known). */
  notStored?: Array<[number, number]>;
  /** Positions the last request carried (absent in older journals). */
  last?: Array<[number, number]>;
  /** Settled before the stop (absent in older journals: nothing). */
  prefix?: SettledPrefix;
  mayStillLand: boolean;
  /** Requests of the unit that went out: with one, its batch is the unit's sent part. */
  requests: number;
  /** The pool's size when the last request went out, if observed. */
  sizeBefore: number | null;
}

export type { SettledPrefix };

/**
 * Settles one unit. `resume`: the unit was in flight when an earlier run
 * stopped, its first `sentUpTo` serials sent; the pool is read back before any
 * of them is sent again, and the rest are sent as new.
 */
export async function settleUnit(
  run: Run,
  serials: Serials,
  resume?: ResumeFacts,
): Promise<UnitOutcome> {
  const o = emptyOutcome();
  /** Unit positions sent before and known not stored: to send again, ahead of the unsent ones. */
  let retry: number[] = [];
  /** serials[next…] were never sent. */
  let next = 0;
  /** Positions carried by a request that got no answer: absent, they are uncertain, never resent. */
  const open = new Set<number>();
  const values = (idx: readonly number[]) => idx.map((i) => serials.at(i));
  const prefix = o.prefix;
  /** The batch `idx` had its first `m` serials settled as stored: the prefix grows if it reaches them. */
  const settledFrom = (
    idx: readonly number[],
    m: number,
    c: { added: number; dropped: number; found: number },
  ) => {
    if (m === 0 || idx[0] !== prefix.upTo) return;
    for (let i = 1; i < m; i++) if (idx[i] !== idx[0]! + i) return;
    prefix.upTo += m;
    prefix.added += c.added;
    prefix.dropped += c.dropped;
    prefix.found += c.found;
    prefix.requests = (resume?.requests ?? 0) + o.requests;
  };
  /**
   * The positions of a verdict's resend. Keeping duplicates it is the batch's
   * suffix after the stored part (a repeated serial must not be mistaken for
   * an earlier copy); dropping duplicates every copy of a serial is judged alike.
   */
  const resendPositions = (v: Verdict, idx: readonly number[]) =>
    run.target.dedup
      ? positionsOf(v.resend, idx, serials)
      : idx.slice(idx.length - v.resend.length);
  /** What is known not stored and not yet settled otherwise: the retries, then the never sent. */
  const pending = () => serials.pick(retry.concat(range(next, serials.length)));
  const stop = (error: CliError, inflight: readonly number[]) => {
    o.openRanges = ranges(open);
    o.notStored = ranges(new Set(retry));
    o.end = {
      kind: 'stop',
      error,
      inflight: serials.pick(inflight),
      pending: pending(),
      mayStillLand: o.outstanding,
    };
    return o;
  };
  /** A read-back's verdict on the positions `idx` (in batch order): counted; what to resend, by position. */
  const count = (v: Verdict, idx: readonly number[], mayStillLand: boolean): number[] => {
    // Dropping duplicates and selling keys off, a late landing after a sale puts the key back.
    if (mayStillLand && run.target.dedup && run.target.removeSold) {
      for (const x of v.uncertain) run.held.add(x);
    }
    o.sent += v.stored + v.sold;
    o.found += v.stored + v.sold;
    o.sold += v.sold;
    o.uncertain.push(...v.uncertain);
    if (v.unexplained) run.saved.otherWriter = true;
    if (v.uncertain.length === 0 && v.sold === 0 && (!run.target.dedup || !v.resend.length)) {
      settledFrom(idx, v.stored, { added: 0, dropped: 0, found: v.stored });
    }
    return resendPositions(v, idx);
  };

  if (resume) {
    next = Math.min(resume.sentUpTo, serials.length);
    o.outstanding = resume.mayStillLand;
    const p = resume.prefix;
    const from = p ? Math.min(p.upTo, next) : 0;
    if (p && from > 0) {
      // Settled by answers before the stop: counted as then, not read back.
      Object.assign(prefix, p, { upTo: from });
      o.added += p.added;
      o.dropped += p.dropped;
      o.found += p.found;
      o.sent += from;
    }
    // Known not stored when the run stopped: sent again, not read back.
    const known = new Set(resume.notStored ? inRanges(resume.notStored, from, next) : []);
    const sentIdx = range(from, next).filter((i) => !known.has(i));
    // Which of them a request that got no answer carried (older journals: all, if any may land).
    // (A journal that says a request may land but names no positions: all of them.)
    const named = resume.open && (resume.open.length > 0 || !resume.mayStillLand);
    for (const i of named ? inRanges(resume.open!, from, next) : resume.mayStillLand ? sentIdx : [])
      open.add(i);
    if (sentIdx.length) {
      try {
        // One request since the pool's size was observed: its batch is exactly the rest that
        // was sent (less what is known not stored). So when it is the only request since
        // the prefix, or when it carried all of that rest and no earlier one is open (the
        // size went to the journal just before it, after every earlier request was settled).
        const last = resume.last ? inRanges(resume.last, from, next) : [];
        const lastSet = new Set(last);
        const one =
          resume.requests - (p?.requests ?? 0) === 1 ||
          (last.length === sentIdx.length &&
            last.every((i, k) => i === sentIdx[k]) &&
            [...open].every((i) => lastSet.has(i)));
        const seen = await observe(run, values(sentIdx), one ? resume.sizeBefore : null);
        const landing = sentIdx.filter((i) => open.has(i));
        const closed = sentIdx.filter((i) => !open.has(i));
        if (!run.target.dedup || landing.length === 0 || closed.length === 0) {
          // Keeping duplicates the pool's shape is judged for the whole part at once.
          const v = seen.judge(values(sentIdx), landing.length > 0, one);
          retry = count(v, sentIdx, landing.length > 0);
        } else {
          retry = count(seen.judge(values(closed), false, false), closed, false);
          count(seen.judge(values(landing), true, false), landing, true);
          retry.sort((x, y) => x - y);
        }
      } catch (error) {
        retry = [...known];
        return stop(error as CliError, sentIdx);
      }
    }
    if (known.size) retry = retry.concat([...known]).sort((x, y) => x - y);
  }
  let unknownRounds = 0;
  let idle = 0;
  while (retry.length || next < serials.length) {
    if (run.capped) {
      o.unsent.push({ serials: pending(), reason: POOL_FULL });
      o.end = { kind: 'capped', reason: POOL_FULL };
      return o;
    }
    if (run.signal.aborted) return stop(new InterruptedError(), []);
    const size = run.saved.sizing.size;
    const fromRetry = retry.slice(0, size);
    const taken = range(next, Math.min(serials.length, next + size - fromRetry.length));
    // A key whose earlier request may still land is not sent again, even from another
    // line: that position is as uncertain as the key (and journaled as such).
    const isHeld = (i: number) => run.held.has(serials.at(i));
    const heldIdx = run.held.size ? fromRetry.concat(taken).filter(isHeld) : [];
    const idx = heldIdx.length
      ? fromRetry.concat(taken).filter((i) => !isHeld(i))
      : fromRetry.length
        ? fromRetry.concat(taken)
        : taken;
    // The whole unit in order (the usual request) is sent as the unit's own list, not a copy.
    const batch = isWhole(idx, serials.length) ? serials : serials.pick(idx);
    if (batch.length === 0 && heldIdx.length) {
      for (const i of heldIdx) open.add(i);
      o.uncertain.push(...values(heldIdx));
      retry = retry.slice(fromRetry.length);
      next += taken.length;
      continue;
    }
    try {
      // The journal first: this request's positions (and the held ones) may land from now on.
      run.beforeSend(
        next + taken.length,
        { ...prefix },
        merged(ranges(open), runsOf(idx), runsOf(heldIdx)),
        ranges(new Set(retry.slice(fromRetry.length))),
        runsOf(idx),
      );
    } catch (error) {
      return stop(error as CliError, []);
    }
    for (const i of heldIdx) open.add(i);
    o.uncertain.push(...values(heldIdx));
    retry = retry.slice(fromRetry.length);
    next += taken.length;
    const rest = retry;
    const sizeBefore = run.poolTotal;
    o.requests++;
    const sent = batch.length;
    const was = run.sizes;
    run.sizes = was
      ? { smallest: Math.min(was.smallest, sent), largest: Math.max(was.largest, sent), last: sent }
      : { smallest: sent, largest: sent, last: sent };
    const began = run.clock.now();
    const res = await sendStock(run.shop, run.target, batch, run.signal);
    const ms = run.clock.now() - began;

    if (res.kind === 'refused' || res.kind === 'not-sent') {
      // Not processed: the batch goes back, ahead of what was never sent.
      retry = idx.concat(retry);
      if (res.kind === 'not-sent') return stop(res.error, []);
      if (res.error.status === 413 && size > 1) {
        run.saved.sizing = nextSize(run.saved.sizing, { kind: 'too-large' });
        continue;
      }
      const reason = `refused by the service: ${res.error.message}`;
      o.unsent.push({ serials: pending(), reason });
      o.end = { kind: 'refused', error: res.error, reason };
      return o;
    }
    if (res.kind === 'unknown') {
      const mayStillLand = !res.finished;
      o.outstanding ||= mayStillLand;
      run.openRequests ||= mayStillLand;
      if (mayStillLand) {
        for (const i of idx) open.add(i);
        run.saved.sizing = nextSize(run.saved.sizing, { kind: 'no-answer' });
      }
      if (res.interrupted || ++unknownRounds > MAX_UNKNOWN_ROUNDS) return stop(res.error, idx);
      run.progress.note(`warning: ${res.error.message}; checking what the pool received…`);
      try {
        if (mayStillLand) await run.clock.sleep(SETTLE_MS * 2 ** (unknownRounds - 1), run.signal);
        const v = await readBack(run, batch.slice(), mayStillLand, true, sizeBefore);
        retry = count(v, idx, mayStillLand).concat(rest);
      } catch (error) {
        return stop(run.signal.aborted ? new InterruptedError() : (error as CliError), idx);
      }
      continue;
    }

    const a = res.answer;
    run.poolTotal = a.total;
    run.deliveredAtTotal = run.deliveredSeen;
    unknownRounds = 0;
    o.added += a.added;
    if (!a.truncated && !a.capped) {
      o.sent += batch.length;
      o.dropped += batch.length - a.added;
      run.saved.sizing = nextSize(run.saved.sizing, {
        kind: 'clean',
        ms,
        timeoutMs: run.timeoutMs,
        bodyBytes: res.bodyBytes,
      });
      settledFrom(idx, batch.length, { added: a.added, dropped: batch.length - a.added, found: 0 });
      continue;
    }
    // Part of the batch was stored, and (dropping duplicates) the answer does not say which part.
    const sentValues = batch.slice();
    let v: Verdict;
    if (run.target.dedup) {
      try {
        v = await readBack(run, sentValues, false, true, null);
      } catch (error) {
        o.added -= a.added;
        return stop(error as CliError, idx);
      }
    } else {
      v = answeredPrefix(sentValues, a.added);
    }
    // Found fewer than the answer added (one sold unseen before the read-back):
    // only what was found counts as sent; the rest is listed as unknown.
    const stored = v.stored + v.sold;
    o.added += Math.min(a.added, stored) - a.added;
    o.dropped += Math.max(0, stored - a.added);
    o.sent += stored;
    o.sold += v.sold;
    o.uncertain.push(...v.uncertain);
    if (v.unexplained) run.saved.otherWriter = true;
    const again = resendPositions(v, idx);
    if (a.capped) {
      run.capped = true;
      run.progress.note('warning: the pool is full (capped); the rest goes to the unsent file');
      o.unsent.push(
        { serials: v.resend, reason: POOL_FULL },
        { serials: pending(), reason: POOL_FULL },
      );
      o.end = { kind: 'capped', reason: POOL_FULL };
      return o;
    }
    idle = stored > 0 ? 0 : idle + 1;
    if (idle >= MAX_IDLE_TRUNCATIONS) {
      o.unsent.push({ serials: v.resend, reason: IDLE }, { serials: pending(), reason: IDLE });
      o.end = { kind: 'idle', reason: IDLE };
      return o;
    }
    // Truncated: smaller batches from now on, at most what was accepted when that is known.
    run.saved.sizing = nextSize(run.saved.sizing, {
      kind: 'truncated',
      accepted: run.target.dedup ? null : a.added,
    });
    if (!run.target.dedup) settledFrom(idx, stored, { added: stored, dropped: 0, found: 0 });
    retry = again.concat(rest);
  }
  o.openRanges = ranges(open);
  return o;
}

/** `idx` is 0, 1, … n-1. */
function isWhole(idx: readonly number[], n: number): boolean {
  if (idx.length !== n) return false;
  for (let i = 0; i < n; i++) if (idx[i] !== i) return false;
  return true;
}

function range(from: number, to: number): number[] {
  const out = new Array<number>(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/** Positions as [from, to) ranges, for the journal (numbers only, never a serial). */
export function ranges(set: ReadonlySet<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of [...set].sort((x, y) => x - y)) {
    const last = out.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** Runs of consecutive positions of an ascending list, in one pass. */
function runsOf(sorted: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** Ranges joined where they touch or overlap. */
function merged(...lists: Array<Array<[number, number]>>): Array<[number, number]> {
  const all = lists.flat().sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of all) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function inRanges(rs: ReadonlyArray<[number, number]>, from: number, to: number): number[] {
  const out: number[] = [];
  for (const [a, b] of rs) for (let i = Math.max(a, from); i < Math.min(b, to); i++) out.push(i);
  return out;
}

/** The positions of `picked` (a subsequence of the batch's values, in order) among `idx`. */
function positionsOf(
  picked: readonly string[],
  idx: readonly number[],
  serials: Serials,
): number[] {
  const out: number[] = [];
  let j = 0;
  for (const i of idx) {
    if (j < picked.length && serials.at(i) === picked[j]) {
      out.push(i);
      j++;
    }
  }
  return out;
}

/** Reads the pool back (and this run's sales) and judges `batch` by policy.ts. */
export async function readBack(
  run: Run,
  batch: readonly string[],
  mayStillLand: boolean,
  oneRequest: boolean,
  sizeBefore: number | null,
): Promise<Verdict> {
  return (await observe(run, batch, sizeBefore)).judge(batch, mayStillLand, oneRequest);
}

/** One read of the pool (and of this run's sales) for `wanted`; judged by policy.ts, in parts if need be. */
async function observe(run: Run, wanted: readonly string[], sizeBefore: number | null) {
  const { shop, target, signal } = run;
  const deliveredBefore = run.deliveredAtTotal;
  const scan = await scanPool(shop, target, wanted, target.dedup ? 0 : wanted.length, signal);
  // A product pointed at another warehouse since the run began: what this run sent went to
  // the pool it drew from then, and the pool read now proves nothing about it.
  if (target.drawsFrom !== undefined && (scan.warehouseId ?? null) !== target.drawsFrom) {
    throw poolMoved(target.id, target.drawsFrom, scan.warehouseId ?? null);
  }
  // Made a product of another type, it lists no stock, though its pool keeps what was stored.
  if (target.kind === 'product' && scan.type !== undefined && scan.type !== 'serials') {
    throw new CliError(
      `product ${target.id} is now a ${scan.type} product: its pool cannot be read back`,
      'failure',
    );
  }
  run.poolTotal = scan.size;
  // Switched on since the run began (the dashboard can): sold keys now leave the pool, and
  // this run has no sales window from before the switch, so absence proves nothing from here on.
  if (scan.removeSold === true && !target.removeSold) target.removeSold = true;
  // A product's body does not show its warehouse's setting: the warehouses' list does.
  if (!target.removeSold && target.drawsFrom) {
    const list = (await shop.warehouses.list({ signal })).data;
    if (list.find((w) => w.id === target.drawsFrom)?.removeSold !== false) target.removeSold = true;
  }
  // The orders are read after the pool: the size just seen includes the sales seen until now,
  // and a key sold after the pool read was still in it.
  run.deliveredAtTotal = run.deliveredSeen;
  let sales: Sales | undefined;
  if (target.removeSold) {
    const snap = run.saved.sales;
    const unseen = { sold: new Set<string>(), delivered: 0, whole: false };
    // The products are read after the orders: any product that sold one of them is listed.
    const learn = target.learnProducts && (() => target.learnProducts!(signal));
    sales = snap
      ? await salesSince(shop, snap, signal, target.orderPool, learn).catch((error) => {
          if (error instanceof InterruptedError || signal.aborted) throw error;
          return unseen; // unreadable: absence then proves nothing
        })
      : unseen;
    if (sales.whole) run.deliveredSeen = sales.delivered;
  }
  const judge = (batch: readonly string[], mayStillLand: boolean, oneRequest: boolean) => {
    const v = judgeReadBack(target, scan, {
      batch,
      mayStillLand,
      oneRequest,
      sizeBefore,
      sales,
      deliveredBefore,
    });
    // A late landing of this run's own may be what changed the pool: not another writer.
    if (run.openRequests) v.unexplained = false;
    return v;
  };
  return { judge };
}

const stockOf = (w: string | null) => (w ? `warehouse ${w}` : 'stock of its own');

/** A product that no longer draws from the pool its restock began with. */
export function poolMoved(product: string, was: string | null, now: string | null): CliError {
  return new CliError(
    `product ${product} now draws from ${stockOf(now)}, not ${stockOf(was)} as when this restock began: its pool cannot be read back`,
    'failure',
    {
      hint: `point the product back at ${stockOf(was)} and resume, or abandon the restock (astrosell restocks abandon) and settle its lists against ${stockOf(was)}`,
    },
  );
}
