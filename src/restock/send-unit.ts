// Settling one unit: every serial of it ends stored, in the unsent file (known
// not stored) or in the uncertain file (outcome unknown: it may be stored).
// The policy for answers that do not say what was stored lives here: a
// truncated or capped batch, a 413, and uncertain failures (5xx, a dropped
// connection, a timeout), after which the pool is read back and only what is
// provably missing — and safe to resend — is sent again.
import { ApiError, NetworkError, ServerError } from '../errors.js';
import { type Batch, listBatch, type Unit } from './batch.js';
import { reconcileBatch } from './pool-check.js';
import type { Run } from './run.js';
import { sendStock } from './target.js';

/** Reconcile-and-resend rounds for one unit before giving up (the journal keeps it). */
const MAX_ROUNDS = 6;
/** Wait before reading the pool back after a failure the service may still be processing. */
export const SETTLE_MS = 250;
const NONE = listBatch([]);

/**
 * `resumeSentAt`: the unit was in flight when an earlier run stopped, so the
 * pool is read back before anything of it is sent again.
 */
export async function processUnit(run: Run, unit: Unit, resumeSentAt?: number): Promise<void> {
  const { ctx, state } = run;
  const firstSentAt = resumeSentAt ?? ctx.clock.now();
  const local = { sent: 0, added: 0, found: 0, sold: 0, batches: 0 };
  const unsentHere: Array<{ serial: string; reason: string }> = [];
  const markUnsent = (serials: readonly string[], reason: string) => {
    for (const serial of serials) unsentHere.push({ serial, reason });
  };
  /** Outcome unknown: never resent, never mixed with the serials known not stored. */
  const uncertainHere: string[] = [];
  const markUncertain = (serials: readonly string[]) => {
    uncertainHere.push(...serials);
  };
  // The unit as read (one joined string in the common case) until a failure splits it.
  let pending: Batch = unit;
  // In memory only: what a stopped run saves as possibly sent.
  state.inflight = { fromLine: unit.fromLine, toLine: unit.toLine, sentAt: firstSentAt };
  run.inflightSerials = unit.count;
  if (resumeSentAt !== undefined && pending.count) {
    const r = await reconcileBatch(run, pending.serials, resumeSentAt, SETTLE_MS);
    local.sent += r.stored + r.sold;
    local.found += r.stored;
    local.sold += r.sold;
    markUncertain(r.unknown);
    pending = listBatch(r.absent);
  }
  let rounds = 0;
  while (pending.count) {
    if (run.capped) {
      markUnsent(pending.serials, 'pool full');
      break;
    }
    const size = state.batchSize;
    const whole = pending.count <= size;
    const batch = whole ? pending : listBatch(pending.serials.slice(0, size));
    const rest = whole ? NONE : listBatch(pending.serials.slice(size));
    const sentAt = ctx.clock.now();
    let res: Awaited<ReturnType<typeof sendStock>>;
    try {
      local.batches++;
      run.requests++;
      res = await sendStock(run.api, run.target, batch, run.requestDedup, run.sendSignal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 413 && size > 1) {
        // Refused whole as too large: nothing stored; smaller batches from now on.
        state.batchSize = Math.max(1, Math.floor(size / 2));
        continue;
      }
      if (!isUncertain(error)) throw error;
      rounds++;
      if (rounds > MAX_ROUNDS) throw error;
      run.progress.note(`warning: ${(error as Error).message}; checking what the pool received…`);
      const settle = mayStillBeProcessing(error)
        ? Math.min(SETTLE_MS * 2 ** (rounds - 1), 8000)
        : 0;
      const r = await reconcileBatch(run, batch.serials, Math.min(sentAt, firstSentAt), settle);
      local.sent += r.stored + r.sold;
      // No answer came: these are not in `added`.
      local.found += r.stored;
      local.sold += r.sold;
      markUncertain(r.unknown);
      if (canResendAbsent(error, run)) {
        pending = listBatch(r.absent.concat(rest.serials));
      } else {
        markUncertain(r.absent);
        pending = rest;
      }
      continue;
    }
    local.added += res.added;
    if (res.total !== null) state.poolTotal = res.total;
    if (!res.truncated && !res.capped) {
      local.sent += batch.count;
      pending = rest;
      rounds = 0;
      run.progress.update(state.counters.sent + local.sent, state.committedLine);
      continue;
    }
    // Part of the batch was stored, and the service does not say which part.
    const r = await reconcileBatch(run, batch.serials, Math.min(sentAt, firstSentAt), 0, res.added);
    local.sent += r.stored + r.sold;
    local.sold += r.sold;
    markUncertain(r.unknown);
    if (res.capped) {
      run.capped = true;
      markUnsent(r.absent, 'pool full');
      pending = rest;
      run.progress.note(
        'warning: the pool is full (capped); the rest of the input goes to the unsent file',
      );
    } else {
      // Truncated: smaller batches from now on; at most what was accepted if that is known.
      const half = Math.max(1, Math.floor(size / 2));
      state.batchSize =
        res.added > 0 && !run.effectiveDedup ? Math.max(1, Math.min(half, res.added)) : half;
      pending = listBatch(r.absent.concat(rest.serials));
    }
  }
  // The files first: if a write fails (disk full), nothing of this unit is
  // committed, it stays in flight and a resume settles it again (and cuts
  // both files back to the lengths the journal holds).
  writeBoth(
    run,
    unsentHere.map((u) => u.serial),
    uncertainHere,
  );
  // Commit in memory; the journal is written before the next unit is sent (or at the end).
  const c = state.counters;
  c.lines += unit.toLine - unit.fromLine;
  c.blank += unit.blank;
  c.rejected += unit.rejected;
  c.duplicates += unit.duplicates;
  c.sent += local.sent;
  c.added += local.added;
  c.foundStored += local.found;
  c.soldDuringReconcile += local.sold;
  c.batches += local.batches;
  if (unsentHere.length) {
    for (const u of unsentHere) c.unsentReasons[u.reason] = (c.unsentReasons[u.reason] ?? 0) + 1;
    c.unsent += unsentHere.length;
  }
  c.uncertain += uncertainHere.length;
  state.unsentBytes = run.unsent.bytes;
  state.uncertainBytes = run.uncertain.bytes;
  state.committedLine = unit.toLine;
  state.inflight = null;
  if (!unit.count) return;
  run.progress.update(c.sent, state.committedLine);
}

/**
 * Writes a unit's unsent and uncertain serials; if the second write fails,
 * the first is taken back, so a stopped run's unsent tail lists only serials
 * not yet sent.
 */
function writeBoth(run: Run, unsent: readonly string[], uncertain: readonly string[]): void {
  if (unsent.length === 0) {
    run.uncertain.write(uncertain);
    return;
  }
  const before = { bytes: run.unsent.bytes, lines: run.unsent.lines };
  run.unsent.write(unsent);
  if (uncertain.length === 0) return;
  try {
    run.uncertain.write(uncertain);
  } catch (error) {
    try {
      run.unsent.rewind(before.bytes, before.lines);
    } catch {
      // A resume cuts the unsent file back to the journal's length anyway.
    }
    throw error;
  }
}

/** May the service have processed the request? Then it must not be resent blindly. */
function isUncertain(error: unknown): boolean {
  if (error instanceof NetworkError) return error.reachedServer !== false;
  return error instanceof ServerError;
}

/** A dropped connection, a timeout, a 502 or 504: the service may still be working on it. */
function mayStillBeProcessing(error: unknown): boolean {
  return !(error instanceof ServerError && (error.status === 500 || error.status === 503));
}

/**
 * After an uncertain failure, may serials absent from the pool be resent?
 * A 500/503 answer means the service finished with the request. A dropped
 * connection, timeout, 502 or 504 may mean it is still working on it: then
 * only a pool that drops duplicates makes a resend harmless.
 */
function canResendAbsent(error: unknown, run: Run): boolean {
  return !mayStillBeProcessing(error) || run.effectiveDedup;
}
