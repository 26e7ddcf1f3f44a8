// The restock engine behind `warehouses restock` and `products restock` (and
// the large-file path of the create commands). A linear loop, one request at
// a time, in input order:
//
//   read a unit → journal it in flight → send → settle → commit counts and lists
//
// read.ts reads units, settle.ts sends and settles one (the policy for
// partial and unknown outcomes), ledger.ts keeps the journal, the unsent and
// uncertain files and the counters; start.ts begins or resumes a run and
// outcome.ts says how it ended. The engine returns a result; the verb renders
// the summary and the error decides the exit code. docs/restock.md says what
// is promised.
import { existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import { CliError, ExitCode, InterruptedError, UsageError } from '../errors.js';
import { dryRun } from './dry-run.js';
import { describeCause } from './durable.js';
import { HashSet128, type KeySet } from './hashset.js';
import { type PreparedInput, prepareInput, spoolReferenced } from './input.js';
import { Journal, type JournalState, journalDir, journalKey, usableJournalDir } from './journal.js';
import { Ledger } from './ledger.js';
import type { Progress, RestockOptions, RestockResult } from './options.js';
import { checkInvariant, type Ended, endError, stopped } from './outcome.js';
import { poolLock } from './pool-lock.js';
import { type Unit, UnitReader } from './read.js';
import { RECHECK_LIMIT, type Recheck, recheckUncertain, replaceList } from './recheck.js';
import {
  emptyOutcome,
  poolMoved,
  type ResumeFacts,
  type Run,
  settleUnit,
  type UnitOutcome,
} from './settle.js';
import { adopt, checkNoStoppedTwin, checkResume, newState, savedStdin } from './start.js';
import { type Summary, type SummaryExtra, summaryOf } from './summary.js';
import { describeTarget, type Target } from './target.js';
import { keysListedIn } from './unsent.js';

/** After Ctrl-C the request in flight (and its read-back) may finish within this. */
const GRACE_MS = 10_000;

export async function restock(ctx: Context, opts: RestockOptions): Promise<RestockResult> {
  // A dry run writes no journal; a restock needs the folder.
  const configDir = configDirFrom(ctx.env).dir;
  const dir = opts.dryRun ? journalDir(configDir) : usableJournalDir(configDir);
  const started = ctx.clock.now();
  const prepared =
    opts.prepared ??
    (await prepareInput(opts.files, {
      stdin: ctx.io.stdin,
      spoolDir: dir,
      stopAtFirstBad: !opts.dryRun,
      signal: ctx.signal,
      savedStdin: await savedStdin(ctx, opts, dir),
      onStdinTTY: () =>
        ctx.io.stderr.write('reading serials from standard input (end with Ctrl-D)…\n'),
    }));
  try {
    const bad = prepared.firstBad;
    if (bad && !opts.dryRun) {
      throw new UsageError(`${bad.file}, line ${bad.line}: ${bad.reason}; nothing was sent`, {
        hint: 'fix or remove that line; serials are one per line, printable UTF-8',
      });
    }
    if (opts.dryRun) return await dryRun(ctx, opts, prepared, started);
    try {
      return await upload(ctx, opts, prepared, dir, started);
    } catch (error) {
      throw keepStdin(error, prepared, dir, ctx.clock.now());
    }
  } finally {
    prepared.cleanup();
  }
}

/**
 * On a resume, the keys the stopped runs listed as uncertain: in a pool that
 * drops duplicates and removes sold keys, a later line with one of them is
 * not sent (its earlier request may still land after a sale).
 */
function heldBefore(state: JournalState | undefined, target: Target): KeySet {
  if (!state || !target.dedup || !target.removeSold || state.counters.uncertain === 0) {
    return new Set();
  }
  // However many: a hash each, not the text (a long list is what a big batch's timeout leaves).
  return keysListedIn(state.uncertainFile, state.uncertainBytes);
}

/**
 * A run that failed before it had a journal (the target unreadable, Ctrl-C
 * while starting): serials piped in exist only in the spool, so it is kept
 * under a plain name and the error says where.
 */
function keepStdin(error: unknown, prepared: PreparedInput, dir: string, now: number): unknown {
  const spool = prepared.spool;
  if (!spool || !(error instanceof CliError) || !existsSync(spool) || spoolReferenced(dir, spool)) {
    return error;
  }
  const kept = join(dir, `stdin-kept-${new Date(now).toISOString().replace(/[:.]/g, '-')}.txt`);
  try {
    renameSync(spool, kept);
  } catch {
    return error;
  }
  const message = `${error.message}; nothing was sent, and the serials read from standard input are kept in ${kept}`;
  return new CliError(message, error.exitCode, {
    hint: `restock that file once the cause is dealt with (astrosell … restock <id> ${kept})`,
    cause: error,
  });
}

async function upload(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  dir: string,
  started: number,
): Promise<RestockResult> {
  const { clock } = ctx;
  const api = await ctx.api();
  const flagDedup = Boolean(opts.removeDuplicates);
  const shop = await ctx.shop();
  const target = await describeTarget(shop, opts.kind, opts.id, flagDedup);
  // A name given for the target is its id from here on: the journal and the lock are keyed by it.
  opts = { ...opts, id: target.id };
  if (ctx.globals.verbose) {
    target.trace = {
      write: (line) =>
        void ctx.io.stderr.write(`${line}
`),
      now: () => clock.now(),
    };
  }
  const names = prepared.files.map((f) => (f.name === '-' ? '-' : resolve(f.name)));
  const key = journalKey(api.baseUrl, opts.kind, opts.id, names);
  const journal = new Journal(dir, key);
  journal.lock();
  // One restock per pool on this machine, whatever its input or config folder
  // (two would misread each other's read-backs).
  const pool = poolLock(api.baseUrl, target, names);
  try {
    pool.lock();
  } catch (error) {
    journal.unlock();
    throw error;
  }
  // Ctrl-C: no new unit starts; the one in flight gets GRACE_MS to finish.
  const grace = new AbortController();
  const ended = new AbortController();
  const onAbort = () => {
    clock.sleep(GRACE_MS, ended.signal).then(
      () => grace.abort(new Error('interrupted')),
      () => undefined,
    );
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let ledger: Ledger | undefined;
  let reader: UnitReader | undefined;
  const label = `restocking ${opts.kind} ${opts.id}`;
  const progress: Progress = opts.progress
    ? await opts.progress(label, prepared.totalLines)
    : { update() {}, note: (line) => void ctx.io.stderr.write(`${line}\n`), stop() {} };
  try {
    const existing = journal.load();
    if (existing) {
      checkResume(existing, opts, prepared, journal);
      const was = existing.target.pool;
      if (was !== undefined && was !== target.poolId) {
        const of = (p: string) => (p.startsWith('warehouse:') ? p.slice(10) : null);
        throw poolMoved(target.id, of(was), of(target.poolId));
      }
    } else if (opts.resume) {
      throw new UsageError(
        'nothing to resume: no interrupted restock of this target with this input',
        {
          hint: 'name the same files (or pipe the same input) as the interrupted run',
        },
      );
    } else {
      checkNoStoppedTwin(dir, key, api.baseUrl, target, prepared);
    }
    const state =
      existing ?? (await newState(ctx, opts, prepared, dir, key, names, target, shop, api.baseUrl));
    if (existing) {
      if (opts.unsentFile && resolve(opts.unsentFile) !== existing.unsentFile) {
        ctx.io.stderr.write(
          `warning: resuming: unsent serials keep going to ${existing.unsentFile}, uncertain ones to ${existing.uncertainFile}\n`,
        );
      }
      if (opts.batchSize) {
        existing.sizing.size = Math.min(existing.sizing.size, opts.batchSize);
        existing.sizing.pinned = true;
      }
      target.dedup = existing.poolDedup;
      adopt(existing, prepared, journal);
    }
    ledger = new Ledger(journal, state, clock);
    reader = new UnitReader(prepared.files, state.removeDuplicates ? new HashSet128() : undefined);
    const run: Run = {
      shop,
      target,
      clock,
      signal: grace.signal,
      saved: state,
      sizes: null,
      timeoutMs: ctx.globals.timeoutMs,
      capped: false,
      // A resumed run starts from the size its target showed just now: a late landing of the
      // stopped run or another writer since the journal's size is then not taken for this
      // run's change. (The unit in flight is read back against the journal's size.) Which
      // sales a size already includes: the journal's count, one the fresh size includes
      // too, so a sale since makes a read-back prove less, never more.
      poolTotal: existing ? (target.size ?? state.poolTotal) : state.poolTotal,
      deliveredSeen: state.deliveredAtTotal ?? 0,
      deliveredAtTotal: state.deliveredAtTotal ?? 0,
      held: heldBefore(existing, target),
      // A stopped run's requests may still land during this one.
      openRequests: Boolean(existing && (state.inflight?.mayStillLand || state.counters.uncertain)),
      progress,
      beforeSend: (sentUpTo, prefix, open, notStored, last) =>
        ledger!.sending(
          sentUpTo,
          { total: run.poolTotal, deliveredAtTotal: run.deliveredAtTotal },
          prefix,
          open,
          notStored,
          last,
        ),
    };
    const startCounters = structuredClone(state.counters);
    const finished = await loop(ctx, run, ledger, reader, state);
    progress.stop();
    const done = (status: Summary['status'], extra: Partial<SummaryExtra>) =>
      summaryOf(opts, state.counters, {
        dryRun: false,
        durationMs: clock.now() - started,
        status,
        poolTotal: run.poolTotal,
        otherWriter: state.otherWriter,
        batchSize: state.sizing.size,
        batchSizes: run.sizes,
        batchCeiling: state.sizing.ceiling,
        resumed: Boolean(existing),
        target: run.target,
        ...(existing ? { startCounters } : {}),
        ...extra,
      });
    if (finished.kind === 'stopped') {
      return await stopped(ledger, reader, finished, Boolean(existing), done, run.held);
    }
    const c = state.counters;
    const recheck = await lastLook(run, state);
    // Before the journal goes: a count that does not add up keeps it as evidence.
    checkInvariant(c, prepared.totalLines);
    ledger.finish();
    if (recheck) {
      try {
        replaceList(state.uncertainFile, recheck.remaining);
        // Counted only once the list says so: found stored since, no longer uncertain.
        c.uncertain -= recheck.found;
        c.sent += recheck.found;
        c.foundStored += recheck.found;
        c.soldDuringReconcile += recheck.sold;
      } catch (error) {
        // The old list stays: still true ("may be stored"), only longer.
        ctx.io.stderr.write(
          `warning: could not shorten ${state.uncertainFile} (${(error as Error).message}); it still lists ${recheck.found} serials found stored since\n`,
        );
      }
    }
    const files = {
      unsentFile: c.unsent ? state.unsentFile : null,
      uncertainFile: c.uncertain ? state.uncertainFile : null,
    };
    const summary = done(c.unsent || c.uncertain ? 'partial' : 'complete', files);
    return { summary, error: endError(finished.end, c, state, opts, Boolean(existing)) };
  } finally {
    progress.stop();
    reader?.close();
    ledger?.close();
    ctx.signal.removeEventListener('abort', onAbort);
    ended.abort();
    release(ctx, journal.lockPath, () => journal.unlock());
    release(ctx, pool.path, () => pool.unlock());
  }
}

/**
 * Releases a lock without hiding how the run ended: a lock whose folder
 * broke (replaced, unmounted, made read-only) is left behind, stale once
 * this process is gone, and the next run takes it over.
 */
function release(ctx: Context, path: string, unlock: () => void): void {
  try {
    unlock();
  } catch (error) {
    ctx.io.stderr.write(`warning: could not release the lock ${path}: ${describeCause(error)}\n`);
  }
}

/**
 * The end of a run that went through its input: in a pool that drops
 * duplicates, the uncertain serials are read back once more (recheck.ts).
 * Those found count as stored once the list is rewritten; a failed read
 * changes nothing.
 */
async function lastLook(run: Run, state: JournalState): Promise<Recheck | undefined> {
  const c = state.counters;
  if (!run.target.dedup || c.uncertain === 0 || c.uncertain > RECHECK_LIMIT) return undefined;
  let r: Recheck;
  try {
    r = await recheckUncertain(run, state.uncertainFile);
  } catch {
    return undefined;
  }
  return r.found === 0 ? undefined : r;
}

/** The loop: unit after unit until the input ends, the run stops, or nothing more may be sent. */
async function loop(
  ctx: Context,
  run: Run,
  ledger: Ledger,
  reader: UnitReader,
  state: JournalState,
): Promise<Ended> {
  let current: Unit | undefined;
  /** The current unit's outcome, once settled (a failed commit still knows it). */
  let settled: UnitOutcome | undefined;
  const settle = async (unit: Unit, resume?: ResumeFacts): Promise<Ended | undefined> => {
    current = unit;
    settled = undefined;
    const outcome = await settleUnit(run, unit.serials, resume);
    settled = outcome;
    if (outcome.end.kind === 'stop')
      return { kind: 'stopped', error: outcome.end.error, inflight: { unit, outcome } };
    ledger.commit(unit, outcome, { total: run.poolTotal, deliveredAtTotal: run.deliveredAtTotal });
    current = undefined;
    reader.release(unit);
    run.progress.update(state.counters.sent, state.committedLine);
    if (outcome.end.kind === 'settled') return undefined;
    await ledger.drain(reader, outcome.end.reason);
    return { kind: 'done', end: outcome.end };
  };
  try {
    await reader.skipTo(state.committedLine);
    const inflight = state.inflight;
    if (inflight) {
      const unit = await reader.next(Number.MAX_SAFE_INTEGER, inflight.toLine);
      const resume: ResumeFacts = {
        sentUpTo: inflight.sentUpTo,
        prefix: inflight.prefix,
        open: inflight.open,
        notStored: inflight.notStored,
        last: inflight.last,
        mayStillLand: inflight.mayStillLand,
        requests: inflight.requests,
        sizeBefore: state.poolTotal,
      };
      const ended = unit && (await settle(unit, resume));
      if (ended) return ended;
    }
    for (;;) {
      if (ctx.signal.aborted) return { kind: 'stopped', error: new InterruptedError() };
      const unit = await reader.next(state.sizing.size);
      if (!unit) return { kind: 'done', end: { kind: 'settled' } };
      ledger.begin(unit);
      const ended = await settle(unit);
      if (ended) return ended;
    }
  } catch (error) {
    // A failure outside settling (a journal or list write, the input). Of the
    // unit being handled, what went out is listed as uncertain (a resume
    // settles it from the pool), the rest as not sent.
    const e =
      error instanceof CliError
        ? error
        : new CliError((error as Error).message, ExitCode.failure, { cause: error });
    const unit = current;
    if (!unit) return { kind: 'stopped', error: e };
    const sentUpTo = state.inflight?.sentUpTo ?? 0;
    if (state.inflight) state.inflight.mayStillLand = settled ? settled.outstanding : sentUpTo > 0;
    const outcome = emptyOutcome({
      kind: 'stop',
      error: e,
      inflight: unit.serials.slice(0, sentUpTo),
      pending: unit.serials.slice(sentUpTo),
      mayStillLand: settled ? settled.outstanding : sentUpTo > 0,
    });
    outcome.requests = state.inflight?.requests ?? 0;
    if (settled) {
      // What the settled unit knew: which positions may still land, what is settled.
      outcome.openRanges = settled.openRanges;
      outcome.notStored = settled.notStored;
      outcome.prefix = settled.prefix;
    }
    return { kind: 'stopped', error: e, inflight: { unit, outcome } };
  }
}
