// How a run ends, in words and exit codes: the error a stopped run exits
// with (naming the unsent and uncertain files and when to use each), the
// error of a finished run that left serials out, and the check that the
// counts add up. The engine returns these with the summary; the verb prints.
import {
  AuthError,
  type CliError,
  ExitCode,
  CliError as Failure,
  InputChangedError,
  InterruptedError,
  PartialRestockError,
} from '../errors.js';
import { FileWriteError } from './durable.js';
import type { KeySet } from './hashset.js';
import type { Counters, JournalState } from './journal.js';
import type { Ledger, Tails, Unlisted } from './ledger.js';
import type { RestockOptions, RestockResult } from './options.js';
import type { Unit, UnitReader } from './read.js';
import type { UnitEnd, UnitOutcome } from './settle.js';
import type { Summary, SummaryExtra } from './summary.js';

export type Ended =
  | { kind: 'done'; end: UnitEnd }
  | {
      kind: 'stopped';
      error: CliError;
      /** The unit being settled when the run stopped, if any. */
      inflight?: { unit: Unit; outcome: UnitOutcome };
    };

const n = (v: number) => v.toLocaleString('en-US');
const reasons = (c: Counters) =>
  Object.entries(c.unsentReasons)
    .map(([r, k]) => `${n(k)} ${r}`)
    .join(', ');

export async function stopped(
  ledger: Ledger,
  reader: UnitReader,
  ended: Extract<Ended, { kind: 'stopped' }>,
  resumed: boolean,
  done: (status: Summary['status'], extra: Partial<SummaryExtra>) => Summary,
  held: Pick<KeySet, 'has' | 'size'> = new Set(),
): Promise<RestockResult> {
  const { state, journal } = ledger;
  const err = ended.error;
  const interrupted = err instanceof InterruptedError;
  if (!resumed && ledger.requests === 0 && !ended.inflight?.outcome.requests && !state.spool) {
    // Stopped before anything was sent: nothing to resume, nothing to list
    // (standard input is the exception: its spool is the only copy, kept with the journal).
    journal.remove();
    const summary = done(interrupted ? 'interrupted' : 'failed', {});
    const error = interrupted ? new InterruptedError('interrupted; nothing was sent') : err;
    return { summary, error };
  }
  let tails: Tails = { notSent: 0, inflight: 0, unlisted: [] };
  let unread: Error | undefined;
  try {
    tails = await ledger.stop(ended.inflight, reader, held);
  } catch (error) {
    // The rest of the input could not be read to list it; the journal still covers it.
    unread = error as Error;
  }
  const c = state.counters;
  const unlisted = (list: Unlisted['list']) =>
    tails.unlisted.find((u) => u.list === list)?.count ?? 0;
  const summary = done(interrupted ? 'interrupted' : 'failed', {
    unsentFile: ledger.unsent.exists ? state.unsentFile : null,
    uncertainFile: ledger.uncertain.exists ? state.uncertainFile : null,
    journal: journal.path,
    notSent: tails.notSent,
    inflight: tails.inflight,
    ...(tails.unlisted.length
      ? { unlisted: { notSent: unlisted('unsent'), inflight: unlisted('uncertain') } }
      : {}),
  });
  const notSent = tails.notSent - unlisted('unsent');
  const inflight = tails.inflight - unlisted('uncertain');
  // A list deleted while the run wrote to it was saved again: its settled part is there.
  const saved = (path: string) =>
    [err, ...tails.unlisted.map((u) => u.error)].some(
      (e) => e instanceof FileWriteError && e.path === path && /saved in /.test(e.message),
    )
      ? 'the saved copy named above'
      : path;
  const parts: string[] = [];
  if (notSent) {
    parts.push(`${n(notSent)} serials not yet sent are listed in ${state.unsentFile}`);
  }
  if (c.unsent) {
    const where = notSent ? 'there too' : `in ${saved(state.unsentFile)}`;
    parts.push(`${n(c.unsent)} serials not stored (${reasons(c)}) are listed ${where}`);
  }
  if (inflight) {
    parts.push(
      `the ${n(inflight)} serials in flight (sent, maybe stored) are listed in ${state.uncertainFile}`,
    );
  }
  if (c.uncertain) {
    parts.push(
      `${n(c.uncertain)} serials of unknown outcome are listed in ${saved(state.uncertainFile)}`,
    );
  }
  const across = state.inputs.length > 1 ? ' (counted across the input files in order)' : '';
  for (const u of tails.unlisted) {
    const what = u.list === 'uncertain' ? 'in flight (sent, maybe stored)' : 'not yet sent';
    const why = u.error.message === err.message ? '' : ` (${u.error.reason})`;
    const lines =
      u.toLine - u.fromLine === 1
        ? `line ${n(u.toLine)}`
        : `lines ${n(u.fromLine + 1)}–${n(u.toLine)}`;
    parts.push(
      `${n(u.count)} serials ${what} could not be listed in ${u.error.path}${why}: they are among the serials of input ${lines}${across}, which --resume still covers (the journal was kept)`,
    );
  }
  if (unread) {
    parts.push(
      `the rest of the input could not be read to list it (${unread.message}); --resume still covers it (the journal was kept)`,
    );
  }
  const changed = err instanceof InputChangedError ? err : tails.changed;
  if (tails.changed && tails.changed !== err) {
    const ch = tails.changed;
    parts.push(
      `${ch.file} changed during the restock: the serials from line ${n(ch.at.line)} of ${ch.at.file} on are not listed (nothing of the changed input is)`,
    );
  }
  if (tails.saveError && tails.saveError.message !== err.message) {
    parts.push(
      `the journal could not be updated (${tails.saveError.message}); --resume goes on from its last saved state`,
    );
  }
  // A file that could not be written: the user fixes that first.
  const unwritable = [err, ...tails.unlisted.map((u) => u.error)]
    .filter((e): e is FileWriteError => e instanceof FileWriteError)
    .map((e) => e.path);
  const fix = unwritable.length
    ? `once ${[...new Set(unwritable)].join(' and ')} can be written again, `
    : '';
  const listed = tails.notSent || tails.inflight || c.unsent || c.uncertain;
  const hint = changed
    ? `--resume refuses a changed input: put the original back and run the same command with --resume (journal ${journal.path}); or give up: ${listed ? 'restock the unsent file, settle the uncertain one with warehouses diff once no request of this run can still land, and ' : ''}restock the original input from line ${n(changed.at.line)} of ${changed.at.file} on yourself, then drop the journal with: astrosell restocks abandon ${journal.key}`
    : `${fix}run the same command with --resume to continue (journal ${journal.path}): it settles both lists itself` +
      (tails.unlisted.length || unread
        ? '; the lists are incomplete, so do not restock them instead'
        : parts.length
          ? '; or, to give up instead, restock the unsent file and settle the uncertain one with warehouses diff once no request of this run can still land — never both'
          : '');
  const message = [interrupted ? 'interrupted' : err.message, ...parts].join('; ');
  const error = interrupted
    ? new InterruptedError(message, { hint })
    : new Failure(message, err.exitCode, { hint, cause: err });
  return { summary, error };
}

/** The error a finished run exits with, if any: a partial restock (7), or a refusal. */
export function endError(
  end: UnitEnd,
  c: Counters,
  state: JournalState,
  opts: RestockOptions,
  resumed: boolean,
): CliError | undefined {
  if (!c.unsent && !c.uncertain) return undefined;
  const parts: string[] = [];
  if (c.unsent) {
    parts.push(
      `${n(c.unsent)} serials were not stored (${reasons(c)}); they are listed in ${state.unsentFile}`,
    );
  }
  if (c.uncertain) {
    parts.push(
      `${n(c.uncertain)} serials may or may not have been stored (outcome unknown); they are listed in ${state.uncertainFile}`,
    );
  }
  const hints: string[] = [];
  if (c.unsent) {
    hints.push(
      end.kind === 'capped'
        ? 'the unsent file can be restocked once the pool has room'
        : 'the unsent file can be restocked as is once the cause is dealt with',
    );
  }
  if (c.uncertain) {
    // Never "restock it into a pool that drops duplicates": a late landing would put sold keys back.
    hints.push(
      `the uncertain serials may still be stored by a request the service has not finished; once it can no longer matter, list those missing from the pool (astrosell warehouses diff ${opts.kind === 'warehouse' ? opts.id : '<its warehouse>'} ${state.uncertainFile} --show missing) and restock only those`,
    );
  }
  const hint = hints.join('; ');
  if (end.kind === 'refused') {
    const nothingStored = !resumed && c.sent === 0 && c.uncertain === 0;
    const message = `${end.error.message}; ${nothingStored ? 'nothing was stored; ' : ''}${parts.join('; ')}`;
    // A refusal before anything was stored keeps its own code (2 for 400, 4 for 404…).
    if (nothingStored) return new Failure(message, end.error.exitCode, { hint, cause: end.error });
    if (end.error instanceof AuthError)
      return new Failure(message, ExitCode.auth, { hint, cause: end.error });
  }
  return new PartialRestockError(parts.join('; '), { hint });
}

/** Every input line counted once, and every serial sent accounted for. */
export function checkInvariant(c: Counters, totalLines: number): void {
  const accounted = c.blank + c.rejected + c.duplicates + c.sent + c.unsent + c.uncertain;
  const stored = c.added + c.droppedByPool + c.foundStored;
  if (accounted !== c.lines || c.lines !== totalLines || stored !== c.sent) {
    throw new Failure(
      `internal error: ${totalLines} input lines, ${c.lines} read, ${accounted} accounted for (blank ${c.blank}, rejected ${c.rejected}, duplicates ${c.duplicates}, sent ${c.sent} = added ${c.added} + already in the pool ${c.droppedByPool} + found stored ${c.foundStored}, unsent ${c.unsent}, uncertain ${c.uncertain})`,
      ExitCode.failure,
    );
  }
}
