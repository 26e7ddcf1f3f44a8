// How an upload run ends: complete or partial (summary, exit 0 or 7, the
// journal removed), or stopped (Ctrl-C, a failure: the journal saved for
// --resume, the rest of the input written to the unsent file's tail).
import { CliError, ExitCode, InterruptedError, PartialRestockError } from '../errors.js';
import type { RestockOptions } from './engine.js';
import type { Counters } from './journal.js';
import type { Outcome, Run } from './run.js';
import { runPart, summaryOf, writeSummary } from './summary.js';

export async function finish(
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
      status: c.unsent || c.uncertain ? 'partial' : 'complete',
      poolTotal: state.poolTotal,
      unsentFile: c.unsent ? state.unsentFile : null,
      uncertainFile: c.uncertain ? state.uncertainFile : null,
      journal: null,
      batchSize: state.batchSize,
      resumed,
      ...(resumed ? { thisRun: runPart(c, run.startCounters) } : {}),
    });
    writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
    if (c.unsent || c.uncertain) throw partial(c, state.unsentFile, state.uncertainFile, opts);
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
  // If even this write fails (a full disk), the journal on disk is an earlier
  // one, which a resume can still use (it covers every line that may have
  // been sent); the tail below is written all the same.
  let saveError: Error | undefined;
  try {
    journal.save(state);
  } catch (error) {
    saveError = error as Error;
  }
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
    uncertainFile: run.uncertain.exists ? state.uncertainFile : null,
    journal: journal.path,
    batchSize: state.batchSize,
    resumed,
    ...(resumed ? { thisRun: runPart(c, run.startCounters) } : {}),
    notSent: tail.serials,
    inflight: tail.inflight,
  });
  writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
  const err = outcome.error;
  const where =
    tail.serials > 0
      ? `; ${tail.serials.toLocaleString('en-US')} serials not yet sent are listed in ${state.unsentFile}`
      : '';
  const unknown =
    c.uncertain > 0 && run.uncertain.exists
      ? `; ${c.uncertain.toLocaleString('en-US')} serials of unknown outcome are listed in ${state.uncertainFile} (check them against the pool before restocking them)`
      : '';
  const doubt =
    tail.inflight > 0
      ? `; the fate of the last batch (${tail.inflight.toLocaleString('en-US')} serials) is settled by --resume`
      : '';
  const unsaved = saveError
    ? `; the journal could not be updated (${saveError.message}), --resume goes on from its last saved state`
    : '';
  // The list of not-yet-sent serials is for an operator who gives up on this
  // restock; using it and --resume both would store those serials twice.
  const hint = `run the same command with --resume to continue (journal ${journal.path})${
    tail.serials > 0 ? '; do not also restock the listed file — --resume sends those serials' : ''
  }`;
  if (err instanceof InterruptedError) {
    throw new InterruptedError(`interrupted${where}${unknown}${doubt}${unsaved}`, { hint });
  }
  if (err instanceof CliError) {
    throw new CliError(`${err.message}${where}${unknown}${doubt}${unsaved}`, err.exitCode, {
      hint,
      cause: err,
    });
  }
  throw new CliError(`${err.message}${where}${unknown}${doubt}${unsaved}`, ExitCode.failure, {
    hint,
    cause: err,
  });
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

/**
 * Exit 7: names the unsent file (known not stored: restock it as is) and the
 * uncertain file (outcome unknown: check it against the pool first).
 */
function partial(
  c: Counters,
  unsentFile: string,
  uncertainFile: string,
  opts: RestockOptions,
): PartialRestockError {
  const n = (v: number) => v.toLocaleString('en-US');
  const parts: string[] = [];
  if (c.unsent) {
    const reasons = Object.entries(c.unsentReasons)
      .map(([r, k]) => `${n(k)} ${r}`)
      .join(', ');
    parts.push(
      `${n(c.unsent)} serials were not stored (${reasons}); they are listed in ${unsentFile}`,
    );
  }
  if (c.uncertain) {
    parts.push(
      `${n(c.uncertain)} serials may or may not have been stored (outcome unknown); they are listed in ${uncertainFile}`,
    );
  }
  const hints: string[] = [];
  if (c.unsent) hints.push('the unsent file can be restocked as is');
  if (c.uncertain) {
    hints.push(
      `check the uncertain file against the pool (astrosell ${opts.kind}s get ${opts.id} --json) before restocking it, or restock it into a pool with removeDuplicates on`,
    );
  }
  return new PartialRestockError(parts.join('; '), { hint: hints.join('; ') });
}

/** Every input line counted exactly once: blank, rejected, duplicate, sent, unsent or uncertain. */
function checkInvariant(c: Counters, totalLines: number): void {
  const accounted = c.blank + c.rejected + c.duplicates + c.sent + c.unsent + c.uncertain;
  if (accounted !== c.lines || c.lines !== totalLines) {
    throw new CliError(
      `internal error: ${totalLines} input lines, ${c.lines} read, ${accounted} accounted for (blank ${c.blank}, rejected ${c.rejected}, duplicates ${c.duplicates}, sent ${c.sent}, unsent ${c.unsent}, uncertain ${c.uncertain})`,
      ExitCode.failure,
    );
  }
}
