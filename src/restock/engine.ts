// The restock engine behind `warehouses restock` and `products restock` (and
// the large-file path of the create commands). A linear loop, one request at
// a time, in input order:
//
//   read a unit → journal it in flight → send → settle → commit counts and lists
//
// read.ts reads units, settle.ts sends and settles one (the policy for
// partial and unknown outcomes), ledger.ts keeps the journal, the unsent and
// uncertain files and the counters. The engine returns a result; the verb
// renders the summary and the error decides the exit code. docs/restock.md
// says what is promised.
import { type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import {
  AuthError,
  CliError,
  ExitCode,
  InterruptedError,
  PartialRestockError,
  UsageError,
} from '../errors.js';
import { HashSet128 } from './hashset.js';
import { displayName, type InputFile, type PreparedInput, prepareInput } from './input.js';
import {
  type Counters,
  emptyCounters,
  JOURNAL_VERSION,
  Journal,
  type JournalState,
  journalDir,
  journalKey,
} from './journal.js';
import { Ledger } from './ledger.js';
import { createProgress } from './progress.js';
import { type Unit, UnitReader } from './read.js';
import { retryRead } from './retry-read.js';
import { takeSnapshot } from './sales.js';
import { type Run, settleUnit, type UnitEnd, type UnitOutcome } from './settle.js';
import { type Summary, summaryOf } from './summary.js';
import { describeTarget, type TargetKind } from './target.js';

export const DEFAULT_BATCH_SIZE = 1000;
/** After Ctrl-C the request in flight (and its read-back) may finish within this. */
const GRACE_MS = 10_000;

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
}

/** What a restock did; `error` (when set) is what the verb exits with, after the summary. */
export interface RestockResult {
  summary: Summary;
  error?: CliError;
}

export async function restock(ctx: Context, opts: RestockOptions): Promise<RestockResult> {
  const dir = journalDir(configDirFrom(ctx.env).dir);
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
    const bad = prepared.firstBad;
    if (bad && !opts.dryRun) {
      throw new UsageError(`${bad.file}, line ${bad.line}: ${bad.reason}; nothing was sent`, {
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
): Promise<RestockResult> {
  const c = emptyCounters();
  const reader = new UnitReader(
    prepared.files,
    opts.removeDuplicates ? new HashSet128() : undefined,
  );
  let wouldSend = 0;
  for (let u = await reader.next(100_000); u; u = await reader.next(100_000)) {
    c.lines += u.toLine - u.fromLine;
    c.blank += u.blank;
    c.rejected += u.rejected;
    c.duplicates += u.duplicates;
    wouldSend += u.serials.length;
  }
  const summary = summaryOf(opts, c, {
    dryRun: true,
    wouldSend,
    durationMs: ctx.clock.now() - started,
    status: c.rejected ? 'invalid' : 'complete',
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
  });
  const b = prepared.firstBad;
  if (!b) return { summary };
  return {
    summary,
    error: new UsageError(
      `${b.file}, line ${b.line}: ${b.reason} (${c.rejected} such lines in all)`,
    ),
  };
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
  const target = await retryRead(clock, ctx.signal, () =>
    describeTarget(api, opts.kind, opts.id, flagDedup),
  );
  const names = prepared.files.map((f) => (f.name === '-' ? '-' : resolve(f.name)));
  const key = journalKey(api.baseUrl, opts.kind, opts.id, names);
  const journal = new Journal(dir, key);
  journal.lock();
  // Ctrl-C: no new unit starts; the one in flight gets GRACE_MS to finish.
  const grace = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    graceTimer = setTimeout(() => grace.abort(new Error('interrupted')), GRACE_MS);
    graceTimer.unref();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let ledger: Ledger | undefined;
  let reader: UnitReader | undefined;
  const progress = await createProgress(
    ctx.io,
    prepared.totalLines,
    clock,
    `restocking ${opts.kind} ${opts.id}`,
  );
  try {
    const existing = journal.load();
    if (existing) checkResume(existing, opts, prepared, journal);
    else if (opts.resume) {
      throw new UsageError(
        'nothing to resume: no interrupted restock of this target with this input',
        {
          hint: 'name the same files (or pipe the same input) as the interrupted run',
        },
      );
    }
    const state = existing ?? (await newState(ctx, opts, prepared, dir, key, names, target, api));
    if (existing) {
      if (opts.unsentFile && resolve(opts.unsentFile) !== existing.unsentFile) {
        ctx.io.stderr.write(
          `warning: resuming: unsent serials keep going to ${existing.unsentFile}, uncertain ones to ${existing.uncertainFile}\n`,
        );
      }
      if (opts.batchSize) existing.batchSize = Math.min(existing.batchSize, opts.batchSize);
      target.dedup = existing.poolDedup;
    }
    ledger = new Ledger(journal, state, clock);
    reader = new UnitReader(prepared.files, state.removeDuplicates ? new HashSet128() : undefined);
    const run: Run = {
      api,
      target,
      clock,
      signal: grace.signal,
      sales: state.sales,
      batchSize: state.batchSize,
      capped: false,
      poolTotal: state.poolTotal,
      progress,
    };
    const startCounters = structuredClone(state.counters);
    const ended = await loop(ctx, run, ledger, reader, state);
    progress.stop();
    const done = (status: Summary['status'], extra: Partial<Parameters<typeof summaryOf>[2]>) =>
      summaryOf(opts, state.counters, {
        dryRun: false,
        durationMs: clock.now() - started,
        status,
        poolTotal: run.poolTotal,
        batchSize: run.batchSize,
        resumed: Boolean(existing),
        target: run.target,
        ...(existing ? { startCounters } : {}),
        ...extra,
      });
    if (ended.kind === 'stopped') {
      return stopped(ctx, ledger, reader, ended, Boolean(existing), done);
    }
    ledger.finish();
    const c = state.counters;
    checkInvariant(c, prepared.totalLines);
    const files = {
      unsentFile: c.unsent ? state.unsentFile : null,
      uncertainFile: c.uncertain ? state.uncertainFile : null,
    };
    const summary = done(c.unsent || c.uncertain ? 'partial' : 'complete', files);
    return { summary, error: endError(ended.end, c, state, opts, Boolean(existing)) };
  } finally {
    progress.stop();
    reader?.close();
    ledger?.close();
    ctx.signal.removeEventListener('abort', onAbort);
    if (graceTimer) clearTimeout(graceTimer);
    journal.unlock();
  }
}

type Ended =
  | { kind: 'done'; end: UnitEnd }
  | {
      kind: 'stopped';
      error: CliError;
      /** The unit being settled when the run stopped, if any. */
      inflight?: { unit: Unit; outcome: UnitOutcome };
    };

function stopOutcome(error: CliError, pending: string[]): UnitOutcome {
  return {
    sent: 0,
    added: 0,
    dropped: 0,
    found: 0,
    sold: 0,
    requests: 0,
    unsent: [],
    uncertain: [],
    end: { kind: 'stop', error, inflight: [], pending, mayStillLand: false },
  };
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
  /** The current unit was journaled in flight, so requests of it may have gone out. */
  let begun = false;
  const settle = async (
    unit: Unit,
    resume?: { mayStillLand: boolean },
  ): Promise<Ended | undefined> => {
    current = unit;
    const outcome = await settleUnit(run, unit.serials, resume);
    if (outcome.end.kind === 'stop')
      return { kind: 'stopped', error: outcome.end.error, inflight: { unit, outcome } };
    ledger.commit(unit, outcome, run.batchSize, run.poolTotal);
    current = undefined;
    begun = false;
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
      begun = true; // sent by the stopped run
      const ended = unit && (await settle(unit, { mayStillLand: inflight.mayStillLand }));
      if (ended) return ended;
    }
    for (;;) {
      if (ctx.signal.aborted) return { kind: 'stopped', error: new InterruptedError() };
      const unit = await reader.next(run.batchSize);
      if (!unit) return { kind: 'done', end: { kind: 'settled' } };
      if (unit.serials.length) {
        current = unit;
        ledger.begin(unit, run.poolTotal);
        begun = true;
      }
      const ended = await settle(unit);
      if (ended) return ended;
    }
  } catch (error) {
    // A failure outside settling (a journal or list write, the input). The
    // unit being handled is listed as uncertain if it may have been sent
    // (a resume settles it from the pool), as not sent otherwise.
    const e =
      error instanceof CliError
        ? error
        : new CliError((error as Error).message, ExitCode.failure, { cause: error });
    const unit = current;
    if (!unit) return { kind: 'stopped', error: e };
    const outcome = stopOutcome(e, begun ? [] : unit.serials);
    if (begun && outcome.end.kind === 'stop') {
      outcome.end.inflight = unit.serials;
      outcome.end.mayStillLand = true;
      outcome.requests = 1;
    }
    return { kind: 'stopped', error: e, inflight: { unit, outcome } };
  }
}

const n = (v: number) => v.toLocaleString('en-US');
const reasons = (c: Counters) =>
  Object.entries(c.unsentReasons)
    .map(([r, k]) => `${n(k)} ${r}`)
    .join(', ');

async function stopped(
  ctx: Context,
  ledger: Ledger,
  reader: UnitReader,
  ended: Extract<Ended, { kind: 'stopped' }>,
  resumed: boolean,
  done: (status: Summary['status'], extra: Partial<Parameters<typeof summaryOf>[2]>) => Summary,
): Promise<RestockResult> {
  const { state, journal } = ledger;
  const err = ended.error;
  const interrupted = err instanceof InterruptedError;
  if (!resumed && ledger.requests === 0 && !ended.inflight?.outcome.requests) {
    // Stopped before anything was sent: nothing to resume, nothing to list.
    journal.remove();
    const summary = done(interrupted ? 'interrupted' : 'failed', {});
    const error = interrupted ? new InterruptedError('interrupted; nothing was sent') : err;
    return { summary, error };
  }
  let tails = { notSent: 0, inflight: 0 } as Awaited<ReturnType<Ledger['stop']>>;
  try {
    tails = await ledger.stop(ended.inflight, reader);
  } catch (error) {
    tails.saveError ??= error as Error;
  }
  const c = state.counters;
  const summary = done(interrupted ? 'interrupted' : 'failed', {
    unsentFile: ledger.unsent.exists ? state.unsentFile : null,
    uncertainFile: ledger.uncertain.exists ? state.uncertainFile : null,
    journal: journal.path,
    notSent: tails.notSent,
    inflight: tails.inflight,
  });
  const parts: string[] = [];
  if (tails.notSent) {
    parts.push(`${n(tails.notSent)} serials not yet sent are listed in ${state.unsentFile}`);
  }
  if (c.unsent) {
    parts.push(`${n(c.unsent)} serials not stored (${reasons(c)}) are listed there too`);
  }
  if (tails.inflight) {
    parts.push(
      `the ${n(tails.inflight)} serials in flight (sent, maybe stored) are listed in ${state.uncertainFile}`,
    );
  }
  if (c.uncertain) {
    parts.push(`${n(c.uncertain)} serials of unknown outcome are listed in ${state.uncertainFile}`);
  }
  if (tails.saveError) {
    parts.push(
      `the journal could not be updated (${tails.saveError.message}); --resume goes on from its last saved state`,
    );
  }
  const hint =
    `run the same command with --resume to continue (journal ${journal.path}): it settles both lists itself` +
    (parts.length
      ? '; or, to give up instead, restock the unsent file and check the uncertain one against the pool — never both'
      : '');
  const message = [interrupted ? 'interrupted' : err.message, ...parts].join('; ');
  const error = interrupted
    ? new InterruptedError(message, { hint })
    : new CliError(message, err.exitCode, { hint, cause: err });
  return { summary, error };
}

/** The error a finished run exits with, if any: a partial restock (7), or a refusal. */
function endError(
  end: UnitEnd,
  c: Counters,
  state: JournalState,
  opts: RestockOptions,
  resumed: boolean,
): CliError | undefined {
  if (!c.unsent && !c.uncertain) return undefined;
  const parts: string[] = [];
  if (c.unsent) {
    const reasons = Object.entries(c.unsentReasons)
      .map(([r, k]) => `${n(k)} ${r}`)
      .join(', ');
    parts.push(
      `${n(c.unsent)} serials were not stored (${reasons}); they are listed in ${state.unsentFile}`,
    );
  }
  if (c.uncertain) {
    parts.push(
      `${n(c.uncertain)} serials may or may not have been stored (outcome unknown); they are listed in ${state.uncertainFile}`,
    );
  }
  const hints: string[] = [];
  if (c.unsent) hints.push('the unsent file can be restocked as is');
  if (c.uncertain) {
    hints.push(
      `check the uncertain file against the pool (astrosell ${opts.kind}s get ${opts.id} --json) before restocking it, or restock it into a pool with removeDuplicates on`,
    );
  }
  const hint = hints.join('; ');
  if (end.kind === 'refused') {
    const nothingStored = !resumed && c.sent === 0 && c.uncertain === 0;
    const message = `${end.error.message}; ${nothingStored ? 'nothing was stored; ' : ''}${parts.join('; ')}`;
    // A refusal before anything was stored keeps its own code (2 for 400, 4 for 404…).
    if (nothingStored) return new CliError(message, end.error.exitCode, { hint, cause: end.error });
    if (end.error instanceof AuthError)
      return new CliError(message, ExitCode.auth, { hint, cause: end.error });
  }
  return new PartialRestockError(parts.join('; '), { hint });
}

/** Every input line counted once, and every serial sent accounted for. */
function checkInvariant(c: Counters, totalLines: number): void {
  const accounted = c.blank + c.rejected + c.duplicates + c.sent + c.unsent + c.uncertain;
  const stored = c.added + c.droppedByPool + c.foundStored;
  if (accounted !== c.lines || c.lines !== totalLines || stored !== c.sent) {
    throw new CliError(
      `internal error: ${totalLines} input lines, ${c.lines} read, ${accounted} accounted for (blank ${c.blank}, rejected ${c.rejected}, duplicates ${c.duplicates}, sent ${c.sent} = added ${c.added} + already in the pool ${c.droppedByPool} + found stored ${c.foundStored}, unsent ${c.unsent}, uncertain ${c.uncertain})`,
      ExitCode.failure,
    );
  }
}

async function newState(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  dir: string,
  key: string,
  names: string[],
  target: Awaited<ReturnType<typeof describeTarget>>,
  api: Awaited<ReturnType<Context['api']>>,
): Promise<JournalState> {
  const nowIso = new Date(ctx.clock.now()).toISOString();
  const stamp = `${nowIso.replace(/[:.]/g, '-')}-${process.pid}.txt`;
  const unsentFile = opts.unsentFile ? resolve(opts.unsentFile) : join(dir, `unsent-${stamp}`);
  // Beside it: `uncertain-<stamp>` by default, `<PATH>.uncertain` for --unsent-file PATH.
  const uncertainFile = opts.unsentFile
    ? `${unsentFile}.uncertain`
    : join(dir, `uncertain-${stamp}`);
  checkListPath(unsentFile, prepared.files, 'unsent');
  checkListPath(uncertainFile, prepared.files, 'uncertain');
  // The sales window opens before the first send (see sales.ts).
  const sales = target.removeSold
    ? await retryRead(ctx.clock, ctx.signal, () => takeSnapshot(api, ctx.signal))
    : null;
  return {
    version: JOURNAL_VERSION,
    key,
    target: { kind: opts.kind, id: opts.id, baseUrl: api.baseUrl },
    inputs: prepared.files.map((f, i) => ({ name: names[i]!, size: f.size, sha256: f.sha256 })),
    removeDuplicates: Boolean(opts.removeDuplicates),
    poolDedup: target.dedup,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    committedLine: 0,
    inflight: null,
    counters: emptyCounters(),
    unsentFile,
    unsentBytes: 0,
    uncertainFile,
    uncertainBytes: 0,
    sales,
    poolTotal: target.size,
    startedAt: nowIso,
    updatedAt: nowIso,
  };
}

function checkResume(
  j: JournalState,
  opts: RestockOptions,
  prepared: PreparedInput,
  journal: Journal,
): void {
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
}

function statOrUndefined(path: string, label: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`cannot use ${path} as the ${label} file: ${code ?? String(error)}`);
  }
}

/**
 * A new run's unsent file (and the uncertain file beside it) must be a new or
 * empty regular file, in a folder that exists, and none of the inputs:
 * serials written into an input would be read back (and sent) later in the
 * run, or change what a resume hashes. Checked before anything is sent.
 */
function checkListPath(path: string, inputs: readonly InputFile[], label: string): void {
  const st = statOrUndefined(path, label);
  if (!st) {
    const folder = statOrUndefined(dirname(path), label);
    if (!folder?.isDirectory()) {
      throw new UsageError(`the folder of the ${label} file ${path} does not exist`, {
        hint: 'create it, or name another file with --unsent-file',
      });
    }
    return;
  }
  if (st.isDirectory()) {
    throw new UsageError(`the ${label} file ${path} is a directory`, {
      hint: `name a file with --unsent-file, e.g. ${join(path, 'unsent.txt')}`,
    });
  }
  if (!st.isFile()) {
    throw new UsageError(`the ${label} file ${path} is not a regular file`, {
      hint: 'name a regular file with --unsent-file',
    });
  }
  for (const f of inputs) {
    const input = statOrUndefined(f.readPath, 'input');
    if (input && input.dev === st.dev && input.ino === st.ino) {
      throw new UsageError(`the ${label} file ${path} is also an input (${displayName(f.name)})`, {
        hint: 'name another file with --unsent-file',
      });
    }
  }
  if (st.size > 0) {
    throw new UsageError(`the ${label} file ${path} already exists and is not empty`, {
      hint: 'name another with --unsent-file, or move that one away',
    });
  }
}
