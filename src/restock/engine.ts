// The restock engine behind `warehouses restock` and `products restock` (and
// the large-file path of the create commands). One request at a time, in
// input order; the journal and the unsent file keep the promise that every
// serial ends up stored once or listed as unsent (see journal.ts,
// reconcile.ts and the README's "Restocking" section).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiClient } from '../api/client.js';
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import {
  ApiError,
  CliError,
  ExitCode,
  InterruptedError,
  NetworkError,
  PartialRestockError,
  ServerError,
  UsageError,
} from '../errors.js';
import { HashSet128 } from './hashset.js';
import { displayName, type PreparedInput, prepareInput, SerialSource, type Unit } from './input.js';
import {
  type Counters,
  emptyCounters,
  JOURNAL_VERSION,
  Journal,
  type JournalState,
  journalDir,
  journalKey,
} from './journal.js';
import { createProgress, type Progress } from './progress.js';
import { classify } from './reconcile.js';
import { type Summary, summaryOf, writeSummary } from './summary.js';
import {
  describeTarget,
  readOrders,
  readPool,
  sendStock,
  type Target,
  type TargetKind,
} from './target.js';
import { UnsentFile } from './unsent.js';

export const DEFAULT_BATCH_SIZE = 1000;
/** After Ctrl-C the request in flight (and its reconciliation) may finish within this. */
const GRACE_MS = 10_000;
/** Units read ahead of the one being sent (also the journal's cover, see drive()). */
const LOOKAHEAD = 16;
/** Reconcile-and-resend rounds for one unit before giving up (the journal keeps it). */
const MAX_ROUNDS = 6;
/** Wait before reading the pool back after a failure the service may still be processing. */
const SETTLE_MS = 250;

export interface RestockOptions {
  kind: TargetKind;
  id: string;
  files: string[];
  batchSize?: number;
  removeDuplicates?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  unsentFile?: string;
  /** Already checked input (create commands). */
  prepared?: PreparedInput;
  /** Print the summary on stderr only, even with --json (create prints its own JSON). */
  summaryToStderr?: boolean;
}

export async function runRestock(ctx: Context, opts: RestockOptions): Promise<number> {
  const configDir = configDirFrom(ctx.env).dir;
  const dir = journalDir(configDir);
  const started = ctx.clock.now();
  const prepared =
    opts.prepared ??
    (await prepareInput(opts.files, {
      stdin: ctx.io.stdin,
      spoolDir: dir,
      stopAtFirstBad: !opts.dryRun,
      signal: ctx.signal,
      onStdinTTY: () =>
        ctx.io.stderr.write('reading serials from standard input (end with Ctrl-D)…\n'),
    }));
  try {
    if (prepared.firstBad && !opts.dryRun) {
      const b = prepared.firstBad;
      throw new UsageError(`${b.file}, line ${b.line}: ${b.reason}; nothing was sent`, {
        hint: 'fix or remove that line; serials are one per line, printable UTF-8',
      });
    }
    if (opts.dryRun) return await dryRun(ctx, opts, prepared, started);
    return await upload(ctx, opts, prepared, dir, started);
  } finally {
    prepared.cleanup();
  }
}

async function dryRun(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  started: number,
): Promise<number> {
  const c = emptyCounters();
  const source = new SerialSource(
    prepared.files,
    opts.removeDuplicates ? new HashSet128() : undefined,
  );
  let wouldSend = 0;
  for (let u = await source.next(100_000); u; u = await source.next(100_000)) {
    c.lines += u.toLine - u.fromLine;
    c.blank += u.blank;
    c.rejected += u.rejected;
    c.duplicates += u.duplicates;
    wouldSend += u.serials.length;
  }
  const summary = summaryOf(ctx, opts, c, {
    dryRun: true,
    wouldSend,
    durationMs: ctx.clock.now() - started,
    status: c.rejected ? 'invalid' : 'complete',
    poolTotal: null,
    unsentFile: null,
    journal: null,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    resumed: false,
  });
  writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
  if (prepared.firstBad) {
    const b = prepared.firstBad;
    throw new UsageError(
      `${b.file}, line ${b.line}: ${b.reason} (${c.rejected} such lines in all)`,
    );
  }
  return ExitCode.ok;
}

interface Run {
  ctx: Context;
  api: ApiClient;
  target: Target;
  state: JournalState;
  journal: Journal;
  unsent: UnsentFile;
  source: SerialSource;
  progress: Progress;
  /** Aborted GRACE_MS after Ctrl-C: lets the request in flight finish. */
  sendSignal: AbortSignal;
  /** removeDuplicates sent with each request (undefined: the pool's own setting applies). */
  requestDedup: boolean | undefined;
  /** A stored serial resent is dropped by the service. */
  effectiveDedup: boolean;
  capped: boolean;
  /** Units read from the input but neither sent nor committed (read-ahead). */
  uncommitted: Unit[];
  /** Serials of the unit in flight. */
  inflightSerials: number;
  /** Waits for queued journal writes (before the final, synchronous one). */
  flushJournal: () => Promise<void>;
  /** Stock requests started in this run. */
  requests: number;
  /** Lines in the input, as counted by the check before sending. */
  totalLines: number;
}

async function upload(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  dir: string,
  started: number,
): Promise<number> {
  const api = await ctx.api();
  const target = await retryRead(ctx, ctx.signal, () => describeTarget(api, opts.kind, opts.id));
  const names = prepared.files.map((f) => (f.name === '-' ? '-' : resolve(f.name)));
  const key = journalKey(api.baseUrl, opts.kind, opts.id, names);
  const journal = new Journal(dir, key);
  journal.lock();
  const graceController = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    graceTimer = setTimeout(() => graceController.abort(new Error('interrupted')), GRACE_MS);
    graceTimer.unref();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let unsent: UnsentFile | undefined;
  let progress: Progress | undefined;
  let source: SerialSource | undefined;
  try {
    const existing = journal.load();
    const state = existing ? checkResume(existing, opts, prepared, journal) : undefined;
    if (!existing && opts.resume) {
      throw new UsageError(
        'nothing to resume: no interrupted restock of this target with this input',
        {
          hint: 'name the same files (or pipe the same input) as the interrupted run',
        },
      );
    }
    const nowIso = new Date(ctx.clock.now()).toISOString();
    const unsentPath =
      state?.unsentFile ??
      (opts.unsentFile
        ? resolve(opts.unsentFile)
        : join(dir, `unsent-${nowIso.replace(/[:.]/g, '-')}-${process.pid}.txt`));
    if (state && opts.unsentFile && resolve(opts.unsentFile) !== state.unsentFile) {
      ctx.io.stderr.write(`warning: resuming: unsent serials keep going to ${state.unsentFile}\n`);
    }
    if (!state && existsSync(unsentPath) && statSync(unsentPath).size > 0) {
      throw new UsageError(`the unsent file ${unsentPath} already exists and is not empty`, {
        hint: 'name another with --unsent-file, or move that one away',
      });
    }
    const s: JournalState = state ?? {
      version: JOURNAL_VERSION,
      key,
      target: { kind: opts.kind, id: opts.id, baseUrl: api.baseUrl },
      inputs: prepared.files.map((f, i) => ({ name: names[i]!, size: f.size, sha256: f.sha256 })),
      removeDuplicates: Boolean(opts.removeDuplicates),
      batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
      committedLine: 0,
      inflight: null,
      counters: emptyCounters(),
      unsentFile: unsentPath,
      unsentBytes: 0,
      poolTotal: null,
      startedAt: nowIso,
      updatedAt: nowIso,
    };
    if (state && opts.batchSize) s.batchSize = Math.min(s.batchSize, opts.batchSize);
    unsent = new UnsentFile(s.unsentFile, s.unsentBytes);
    source = new SerialSource(prepared.files, s.removeDuplicates ? new HashSet128() : undefined);
    progress = await createProgress(
      ctx.io,
      prepared.totalLines,
      ctx.clock,
      `restocking ${opts.kind} ${opts.id}`,
      s.committedLine,
    );
    const run: Run = {
      ctx,
      api,
      target,
      state: s,
      journal,
      unsent,
      source,
      progress,
      sendSignal: graceController.signal,
      requestDedup: s.removeDuplicates ? true : undefined,
      effectiveDedup: s.removeDuplicates || target.poolRemoveDuplicates,
      capped: false,
      uncommitted: [],
      inflightSerials: 0,
      flushJournal: async () => {},
      requests: 0,
      totalLines: prepared.totalLines,
    };
    const outcome = await drive(run);
    progress.stop();
    return await finish(run, opts, outcome, Boolean(state), started);
  } finally {
    progress?.stop();
    source?.close();
    unsent?.close();
    ctx.signal.removeEventListener('abort', onAbort);
    if (graceTimer) clearTimeout(graceTimer);
    journal.unlock();
  }
}

function checkResume(
  j: JournalState,
  opts: RestockOptions,
  prepared: PreparedInput,
  journal: Journal,
): JournalState {
  if (!opts.resume) {
    throw new UsageError(
      `an interrupted restock of this ${opts.kind} with this input was not finished (journal ${journal.path})`,
      {
        hint: 'add --resume to continue it without resending what was stored, or delete the journal to start over',
      },
    );
  }
  if (j.inputs.length !== prepared.files.length) {
    throw new UsageError('the input differs from the interrupted restock: not the same files');
  }
  prepared.files.forEach((f, i) => {
    const was = j.inputs[i]!;
    if (was.size !== f.size || was.sha256 !== f.sha256) {
      throw new UsageError(
        `${displayName(f.name)} changed since the interrupted restock (size or SHA-256 differ); refusing to resume`,
        { hint: `restock the new content separately; the journal is ${journal.path}` },
      );
    }
  });
  if (j.removeDuplicates !== Boolean(opts.removeDuplicates)) {
    throw new UsageError(
      `the interrupted restock ran ${j.removeDuplicates ? 'with' : 'without'} --remove-duplicates; resume it the same way`,
    );
  }
  return j;
}

type Outcome = { kind: 'done' } | { kind: 'stopped'; error: CliError | Error };

/**
 * Sends unit after unit; returns how the run ended.
 *
 * Journal pipelining: an fsync per request would cost as much as the request
 * itself, so journal writes run beside the requests, off the main thread.
 * Units are read up to LOOKAHEAD ahead. A write records the settled position
 * and declares every line up to the end of the units read so far as "may
 * have been sent" (inflight). A unit is sent only once a write covering it
 * has landed; a new write is queued whenever the landed cover runs less than
 * half the look-ahead ahead. So the journal on disk always covers every line
 * that may have been sent, and writes cost no wall time while they take less
 * than LOOKAHEAD/2 requests. A resume reconciles the whole declared range
 * (one pool read); lines in it that were never sent are simply found absent.
 */
async function drive(run: Run): Promise<Outcome> {
  const { state, source, ctx } = run;
  // Rebuild the position (and the duplicate filter) from the input itself.
  while (source.line < state.committedLine) {
    await source.next(Number.MAX_SAFE_INTEGER, state.committedLine);
  }
  let reading: Promise<unknown> = Promise.resolve();
  const ahead: Array<Promise<Unit | undefined>> = [];
  const readNext = () => {
    const p = reading.then(() => source.next(state.batchSize));
    reading = p.catch(() => undefined);
    ahead.push(p);
  };
  let chain: Promise<void> = Promise.resolve();
  let covered = state.committedLine; // landed
  let saving: { until: number; done: Promise<void> } | undefined;
  run.flushJournal = async () => {
    await chain.catch(() => undefined);
  };
  const queueSave = async (): Promise<void> => {
    let until = state.committedLine;
    for (const p of ahead) {
      const u = await p.catch(() => undefined);
      if (u) until = u.toLine;
    }
    state.inflight = { fromLine: state.committedLine, toLine: until, sentAt: ctx.clock.now() };
    state.updatedAt = new Date(ctx.clock.now()).toISOString();
    const text = JSON.stringify(state);
    state.inflight = null;
    const done = chain.then(() => run.journal.saveAsync(text));
    chain = done;
    const mine = { until, done };
    saving = mine;
    void done.then(
      () => {
        covered = Math.max(covered, until);
        if (saving === mine) saving = undefined;
      },
      () => undefined,
    );
  };
  const drainAhead = async () => {
    for (const p of ahead.splice(0)) {
      const u = await p.catch(() => undefined);
      if (u) run.uncommitted.push(u);
    }
  };
  try {
    if (state.inflight) {
      const unit = await source.next(Number.MAX_SAFE_INTEGER, state.inflight.toLine);
      if (unit) await processUnit(run, unit, state.inflight.sentAt);
    }
    for (let i = 0; i < LOOKAHEAD; i++) readNext();
    for (;;) {
      const unit = await ahead.shift()!;
      if (!unit) {
        await run.flushJournal();
        return { kind: 'done' };
      }
      if (unit.toLine > covered) {
        // Not covered on disk yet: wait for a write that covers it (queue one if none will).
        if (!saving || saving.until < unit.toLine) {
          ahead.unshift(Promise.resolve(unit));
          await queueSave();
          ahead.shift();
        }
        await saving!.done;
        covered = Math.max(covered, unit.toLine);
      }
      if (ctx.signal.aborted) {
        run.uncommitted.push(unit);
        await drainAhead();
        return { kind: 'stopped', error: new InterruptedError() };
      }
      // Start the request first, then read the next unit while it is in flight.
      const sending = processUnit(run, unit);
      readNext();
      await sending;
      if (!saving) {
        // Queue the next write once less than half the look-ahead is covered on disk.
        let probe: Unit | undefined;
        for (let i = Math.min(LOOKAHEAD / 2, ahead.length) - 1; i >= 0 && !probe; i--) {
          probe = await ahead[i]!.catch(() => undefined);
        }
        if (probe && probe.toLine > covered) await queueSave();
      }
    }
  } catch (error) {
    await drainAhead();
    return { kind: 'stopped', error: error as Error };
  }
}

/**
 * Settles one unit: every serial of it ends stored, or in the unsent file.
 * `resumeSentAt`: the unit was in flight when an earlier run stopped, so the
 * pool is read back before anything of it is sent again.
 */
async function processUnit(run: Run, unit: Unit, resumeSentAt?: number): Promise<void> {
  const { ctx, state } = run;
  const firstSentAt = resumeSentAt ?? ctx.clock.now();
  const local = { sent: 0, added: 0, sold: 0, batches: 0 };
  const unsentHere: Array<{ serial: string; reason: string }> = [];
  const markUnsent = (serials: readonly string[], reason: string) => {
    for (const serial of serials) unsentHere.push({ serial, reason });
  };
  let pending = unit.serials;
  // In memory only: what a stopped run saves as possibly sent.
  state.inflight = { fromLine: unit.fromLine, toLine: unit.toLine, sentAt: firstSentAt };
  run.inflightSerials = unit.serials.length;
  if (resumeSentAt !== undefined && pending.length) {
    const r = await reconcileBatch(run, pending, resumeSentAt, SETTLE_MS);
    local.sent += r.stored + r.sold;
    local.sold += r.sold;
    markUnsent(r.unknown, 'outcome unknown');
    pending = r.absent;
  }
  let rounds = 0;
  while (pending.length) {
    if (run.capped) {
      markUnsent(pending, 'pool full');
      break;
    }
    const size = state.batchSize;
    const batch = pending.length > size ? pending.slice(0, size) : pending;
    const rest = pending.length > size ? pending.slice(size) : [];
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
      const r = await reconcileBatch(run, batch, Math.min(sentAt, firstSentAt), settle);
      local.sent += r.stored + r.sold;
      local.sold += r.sold;
      markUnsent(r.unknown, 'outcome unknown');
      if (canResendAbsent(error, run)) {
        pending = r.absent.concat(rest);
      } else {
        markUnsent(r.absent, 'outcome unknown');
        pending = rest;
      }
      continue;
    }
    local.added += res.added;
    if (res.total !== null) state.poolTotal = res.total;
    if (!res.truncated && !res.capped) {
      local.sent += batch.length;
      pending = rest;
      rounds = 0;
      run.progress.update(state.counters.sent + local.sent, state.committedLine);
      continue;
    }
    // Part of the batch was stored, and the service does not say which part.
    const r = await reconcileBatch(run, batch, Math.min(sentAt, firstSentAt), 0);
    local.sent += r.stored + r.sold;
    local.sold += r.sold;
    markUnsent(r.unknown, 'outcome unknown');
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
      pending = r.absent.concat(rest);
    }
  }
  // Commit in memory; the journal is written before the next unit is sent (or at the end).
  const c = state.counters;
  c.lines += unit.toLine - unit.fromLine;
  c.blank += unit.blank;
  c.rejected += unit.rejected;
  c.duplicates += unit.duplicates;
  c.sent += local.sent;
  c.added += local.added;
  c.soldDuringReconcile += local.sold;
  c.batches += local.batches;
  if (unsentHere.length) {
    run.unsent.write(unsentHere.map((u) => u.serial));
    for (const u of unsentHere) c.unsentReasons[u.reason] = (c.unsentReasons[u.reason] ?? 0) + 1;
    c.unsent += unsentHere.length;
  }
  state.unsentBytes = run.unsent.bytes;
  state.committedLine = unit.toLine;
  state.inflight = null;
  if (!unit.serials.length) return;
  run.progress.update(c.sent, state.committedLine);
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

async function reconcileBatch(
  run: Run,
  batch: readonly string[],
  sentAt: number,
  settleMs: number,
) {
  const { api, target } = run;
  // Give a request the service may still be working on a moment to land.
  if (settleMs > 0) await pause(run, settleMs);
  const pool = await withReadRetry(run, () => readPool(api, target, run.sendSignal));
  run.state.poolTotal = pool.length;
  // Orders are read after the pool: a key sold after the pool read was still in it.
  let orders: Awaited<ReturnType<typeof readOrders>>;
  if (target.removeSold) {
    orders = await withReadRetry(run, () => readOrders(api, sentAt, run.sendSignal)).catch(
      (error) => {
        if (error instanceof InterruptedError) throw error;
        return undefined; // unreadable: absence then proves nothing
      },
    );
  }
  return classify(batch, pool, target.removeSold, orders);
}

async function pause(run: Run, ms: number): Promise<void> {
  try {
    await run.ctx.clock.sleep(ms, run.sendSignal);
  } catch {
    throw new InterruptedError();
  }
}

/** Reads that reconcile must get through: retried on 5xx and network failures beyond the client's own retries. */
function withReadRetry<T>(run: Run, read: () => Promise<T>): Promise<T> {
  return retryRead(run.ctx, run.sendSignal, read);
}

async function retryRead<T>(ctx: Context, signal: AbortSignal, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const transient = error instanceof ServerError || error instanceof NetworkError;
      if (!transient || attempt >= 5) throw error;
      try {
        await ctx.clock.sleep(200 * 2 ** attempt, signal);
      } catch {
        throw new InterruptedError();
      }
    }
  }
}

async function finish(
  run: Run,
  opts: RestockOptions,
  outcome: Outcome,
  resumed: boolean,
  started: number,
): Promise<number> {
  const { ctx, state, journal } = run;
  const c = state.counters;
  if (outcome.kind === 'done') {
    checkInvariant(c, run.totalLines);
    journal.remove();
    const summary = summaryOf(ctx, opts, c, {
      dryRun: false,
      durationMs: ctx.clock.now() - started,
      status: c.unsent ? 'partial' : 'complete',
      poolTotal: state.poolTotal,
      unsentFile: c.unsent ? state.unsentFile : null,
      journal: null,
      batchSize: state.batchSize,
      resumed,
    });
    writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
    if (c.unsent) {
      const reasons = Object.entries(c.unsentReasons)
        .map(([r, n]) => `${n.toLocaleString('en-US')} ${r}`)
        .join(', ');
      throw new PartialRestockError(
        `${c.unsent.toLocaleString('en-US')} serials were not stored (${reasons}); they are listed in ${state.unsentFile}`,
      );
    }
    return ExitCode.ok;
  }
  if (!resumed && run.requests === 0) {
    // Stopped before anything was sent: nothing to resume, nothing unsent.
    await run.flushJournal();
    journal.remove();
    const err = outcome.error;
    if (err instanceof InterruptedError)
      throw new InterruptedError('interrupted; nothing was sent');
    throw err;
  }
  // Stopped: the journal says what is settled; the rest of the input goes to
  // the unsent file as a tail a resume will cut off again.
  state.updatedAt = new Date(ctx.clock.now()).toISOString();
  await run.flushJournal();
  journal.save(state);
  let tail = { serials: 0, inflight: 0 };
  try {
    tail = await writeTail(run);
  } catch {
    // Best effort: the journal alone is enough to resume.
  }
  const summary = summaryOf(ctx, opts, c, {
    dryRun: false,
    durationMs: ctx.clock.now() - started,
    status: outcome.error instanceof InterruptedError ? 'interrupted' : 'failed',
    poolTotal: state.poolTotal,
    unsentFile: run.unsent.exists ? state.unsentFile : null,
    journal: journal.path,
    batchSize: state.batchSize,
    resumed,
    notSent: tail.serials,
    inflight: tail.inflight,
  });
  writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
  const err = outcome.error;
  const where =
    tail.serials > 0
      ? `; ${tail.serials.toLocaleString('en-US')} serials not yet sent are listed in ${state.unsentFile}`
      : '';
  const doubt =
    tail.inflight > 0
      ? `; the fate of the last batch (${tail.inflight.toLocaleString('en-US')} serials) is settled by --resume`
      : '';
  const hint = `run the same command with --resume to continue (journal ${journal.path})`;
  if (err instanceof InterruptedError) {
    throw new InterruptedError(`interrupted${where}${doubt}`, { hint });
  }
  if (err instanceof CliError) {
    throw new CliError(`${err.message}${where}${doubt}`, err.exitCode, { hint, cause: err });
  }
  throw new CliError(`${err.message}${where}${doubt}`, ExitCode.failure, { hint, cause: err });
}

/**
 * Writes every serial not yet settled to the unsent file's tail, except those
 * of a unit in flight (whose fate only a resume can settle without risk).
 */
async function writeTail(run: Run): Promise<{ serials: number; inflight: number }> {
  const { state, source } = run;
  const inflight = state.inflight ? run.inflightSerials : 0;
  let serials = 0;
  for (const u of run.uncommitted) {
    run.unsent.write(u.serials);
    serials += u.serials.length;
  }
  for (let u = await source.next(10_000); u; u = await source.next(10_000)) {
    run.unsent.write(u.serials);
    serials += u.serials.length;
  }
  return { serials, inflight };
}

/** Every input line counted exactly once: blank, rejected, duplicate, sent or unsent. */
function checkInvariant(c: Counters, totalLines: number): void {
  const accounted = c.blank + c.rejected + c.duplicates + c.sent + c.unsent;
  if (accounted !== c.lines || c.lines !== totalLines) {
    throw new CliError(
      `internal error: ${totalLines} input lines, ${c.lines} read, ${accounted} accounted for (blank ${c.blank}, rejected ${c.rejected}, duplicates ${c.duplicates}, sent ${c.sent}, unsent ${c.unsent})`,
      ExitCode.failure,
    );
  }
}

export type { Summary };
