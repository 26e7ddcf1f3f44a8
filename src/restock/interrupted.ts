// Interrupted restocks, as `astrosell restocks list` and `abandon` see them:
// each is a journal in the config folder (journal.ts), with the unsent and
// uncertain files it names and, for standard input, the spool (input.ts).
//
// Abandoning one must not lose a serial: before the journal and the spool go,
// the lists are made complete from the input, as a stopped run makes them
// (ledger.ts, stop): the settled part kept, the unit in flight (sent, maybe
// stored) in the uncertain file, every line not yet sent in the unsent file.
// That needs the input as it was checked (size and SHA-256). When it cannot
// be read so, the lists are left as they are, the lines not listed are named,
// and a spool is kept aside under another name, out of the sweep.
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InStream } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { BLOCK } from './chunks.js';
import { HashSet128, type KeySet } from './hashset.js';
import { displayName, type PreparedInput, prepareInput } from './input.js';
import { isJournalKey, Journal, type JournalState, journalKeys } from './journal.js';
import { UnitReader } from './read.js';
import { Serials } from './serials.js';
import { keysListedIn, UnsentFile } from './unsent.js';

export interface ListFile {
  path: string;
  /** Serials it lists now (0 when there is no such file; null when it cannot be read: see `error`). */
  serials: number | null;
  /** Why it cannot be counted (a folder in its place, no permission). */
  error?: string;
}

export interface InterruptedRestock {
  key: string;
  journal: string;
  /** The pid of the run holding it, when one is running. */
  runningPid: number | null;
  target: JournalState['target'];
  /** As named: absolute paths, `-` for standard input. */
  inputs: string[];
  startedAt: string;
  updatedAt: string;
  linesSettled: number;
  /** Lines of the input (null in journals written before it was recorded). */
  totalLines: number | null;
  /** Lines sent when the run stopped whose outcome it did not learn (1-based, inclusive). */
  inFlight: { fromLine: number; toLine: number } | null;
  unsent: ListFile;
  uncertain: ListFile;
  /** The saved copy of standard input, if any. */
  spool: string | null;
}

const NL = 10;

/** Serials listed in a list file (one a line) from byte `from` on, 0 when there is none. */
export function countSerials(path: string, from = 0): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const buf = Buffer.allocUnsafe(BLOCK);
    let count = 0;
    let last = NL;
    for (let pos = from; ; ) {
      const n = readSync(fd, buf, 0, BLOCK, pos);
      if (n === 0) break;
      const block = buf.subarray(0, n);
      for (let i = block.indexOf(NL); i !== -1; i = block.indexOf(NL, i + 1)) count++;
      last = block[n - 1]!;
      pos += n;
    }
    // A last line without its newline is still a serial.
    return last === NL ? count : count + 1;
  } finally {
    closeSync(fd);
  }
}

/** A list as `restocks list` shows it: one that cannot be read is shown uncounted, never as empty. */
function listFile(path: string): ListFile {
  try {
    return { path, serials: countSerials(path) };
  } catch (error) {
    return { path, serials: null, error: (error as Error).message };
  }
}

function describe(journal: Journal, s: JournalState): InterruptedRestock {
  return {
    key: journal.key,
    journal: journal.path,
    runningPid: journal.holder() ?? null,
    target: s.target,
    inputs: s.inputs.map((i) => i.name),
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    linesSettled: s.committedLine,
    totalLines: s.totalLines ?? null,
    inFlight: s.inflight ? { fromLine: s.inflight.fromLine + 1, toLine: s.inflight.toLine } : null,
    unsent: listFile(s.unsentFile),
    uncertain: listFile(s.uncertainFile),
    spool: s.spool ?? null,
  };
}

/**
 * Every journal in `dir`, oldest first; those that cannot be read are named
 * with why, and so is a list that cannot be counted (its restock is listed).
 */
export function listInterrupted(dir: string): {
  restocks: InterruptedRestock[];
  unreadable: Array<{ journal: string; error: string }>;
} {
  const restocks: InterruptedRestock[] = [];
  const unreadable: Array<{ journal: string; error: string }> = [];
  for (const key of journalKeys(dir)) {
    const journal = new Journal(dir, key);
    let r: InterruptedRestock;
    try {
      const state = journal.load();
      if (!state) continue;
      r = describe(journal, state);
    } catch (error) {
      unreadable.push({ journal: journal.path, error: (error as Error).message });
      continue;
    }
    restocks.push(r);
    for (const [label, f] of [
      ['unsent', r.unsent],
      ['uncertain', r.uncertain],
    ] as const) {
      if (f.error === undefined) continue;
      unreadable.push({
        journal: journal.path,
        error: `the restock journal ${journal.path}: cannot count its ${label} file (${f.error})`,
      });
    }
  }
  restocks.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { restocks, unreadable };
}

/** Counted lists: abandon refuses a restock whose lists cannot be read (an unknown count is never zero). */
export interface AbandonReport extends Omit<InterruptedRestock, 'unsent' | 'uncertain'> {
  unsent: { path: string; serials: number };
  uncertain: { path: string; serials: number };
  /** The serials of the lines not yet sent, written to the unsent file now (1-based, inclusive). */
  notSent: { fromLine: number; toLine: number; serials: number } | null;
  /** The serials of the unit in flight sent, fate unknown: written to the uncertain file now. */
  inFlightSerials: number | null;
  /** The serials of the unit in flight known not stored (answered so, or never sent): to the unsent file. */
  inFlightNotStored: number | null;
  /**
   * Lines not sent that could not be listed now, and why (the input is gone
   * or changed); `listedByStop`: serials the stopped run itself listed after
   * the settled part (a stop writes every serial not yet sent; a crash none).
   */
  notListed: {
    fromLine: number;
    toLine: number | null;
    reason: string;
    listedByStop: number;
  } | null;
  /**
   * The unit in flight (1-based, inclusive) when it could not be listed now
   * and the stopped run listed none of it as uncertain (it was killed): sent,
   * fate unknown, in no list.
   */
  inFlightNotListed: { fromLine: number; toLine: number; reason: string } | null;
  /** The saved standard input, kept under this name because its serials could not be listed. */
  keptSpool: string | null;
}

/** Why the lists could not be completed from the input. */
class Unlistable extends Error {}

/**
 * Gives up an interrupted restock: completes its lists from the input, then
 * removes its journal and its spool. Refused while a run holds its lock.
 */
export async function abandon(dir: string, key: string, stdin: InStream): Promise<AbandonReport> {
  const journal = new Journal(dir, key);
  if (!isJournalKey(key) || !existsSync(journal.path)) {
    throw new UsageError(`no interrupted restock has the key ${key}`, {
      hint: 'astrosell restocks list shows them, with their keys',
    });
  }
  const running = journal.holder();
  if (running) {
    throw new CliError(`the restock ${key} is running (pid ${running}); not abandoned`, 'failure', {
      hint: 'stop it first (Ctrl-C), then abandon it, or let it finish',
    });
  }
  journal.lock();
  try {
    const state = journal.load();
    if (!state) throw new UsageError(`no interrupted restock has the key ${key}`);
    // Its lists are counted in the report: one that cannot be read stops it here, journal kept.
    for (const [label, path] of [
      ['unsent', state.unsentFile],
      ['uncertain', state.uncertainFile],
    ] as const) {
      const { error } = listFile(path);
      if (error === undefined) continue;
      throw new CliError(
        `the ${label} file ${path} of the restock ${key} cannot be read (${error}); not abandoned`,
        'failure',
        { hint: `make ${path} the list it was (move what is there now away), then abandon again` },
      );
    }
    const firstNotSent = state.inflight ? state.inflight.toLine : state.committedLine;
    let notSent: AbandonReport['notSent'] = null;
    let inFlightSerials: number | null = null;
    let inFlightNotStored: number | null = null;
    let notListed: AbandonReport['notListed'] = null;
    let inFlightNotListed: AbandonReport['inFlightNotListed'] = null;
    let keptSpool: string | null = null;
    try {
      const tails = await completeLists(dir, state, stdin);
      inFlightSerials = state.inflight ? tails.inFlight : null;
      inFlightNotStored = state.inflight ? tails.inFlightNotStored : null;
      if (tails.totalLines > firstNotSent) {
        notSent = { fromLine: firstNotSent + 1, toLine: tails.totalLines, serials: tails.notSent };
      }
      state.totalLines ??= tails.totalLines;
    } catch (error) {
      if (!(error instanceof Unlistable)) throw error;
      const f = state.inflight;
      if (f && countSerials(state.uncertainFile, state.uncertainBytes) === 0) {
        inFlightNotListed = { fromLine: f.fromLine + 1, toLine: f.toLine, reason: error.message };
      }
      const total = state.totalLines ?? null;
      if (total === null || total > firstNotSent) {
        notListed = {
          fromLine: firstNotSent + 1,
          toLine: total,
          reason: error.message,
          listedByStop: countSerials(state.unsentFile, state.unsentBytes),
        };
      }
      if (state.spool && existsSync(state.spool)) {
        keptSpool = join(dir, `stdin-abandoned-${key}.txt`);
        renameSync(state.spool, keptSpool);
      }
    }
    const report: AbandonReport = {
      ...describe(journal, state),
      unsent: { path: state.unsentFile, serials: countSerials(state.unsentFile) },
      uncertain: { path: state.uncertainFile, serials: countSerials(state.uncertainFile) },
      runningPid: null,
      notSent,
      inFlightSerials,
      inFlightNotStored,
      notListed,
      inFlightNotListed,
      keptSpool,
    };
    journal.remove();
    if (state.spool && !keptSpool) rmSync(state.spool, { force: true });
    return report;
  } finally {
    journal.unlock();
  }
}

/** The lists as a stopped run leaves them, from the input as checked. */
async function completeLists(
  dir: string,
  state: JournalState,
  stdin: InStream,
): Promise<{ inFlight: number; inFlightNotStored: number; notSent: number; totalLines: number }> {
  const paths = state.inputs.map((i) => (i.name === '-' ? state.spool : i.name));
  if (paths.some((p) => !p || !existsSync(p))) {
    const gone = state.inputs.find((_, i) => !paths[i] || !existsSync(paths[i]));
    throw new Unlistable(
      gone?.name === '-'
        ? 'the saved copy of standard input is gone'
        : `${gone?.name ?? 'an input'} is gone`,
    );
  }
  let prepared: PreparedInput;
  try {
    prepared = await prepareInput(paths as string[], {
      stdin,
      spoolDir: dir,
      stopAtFirstBad: false,
    });
  } catch (error) {
    throw new Unlistable((error as Error).message);
  }
  try {
    prepared.files.forEach((f, i) => {
      const was = state.inputs[i]!;
      if (f.size !== was.size || f.sha256 !== was.sha256) {
        throw new Unlistable(`${displayName(was.name)} changed since the interrupted run`);
      }
    });
    // Their settled parts must be there to be completed (UnsentFile refuses otherwise).
    const open = (path: string, bytes: number, label: 'unsent' | 'uncertain') => {
      try {
        return new UnsentFile(path, bytes, label);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        throw new Unlistable(`the ${label} file ${path} no longer holds what it listed`);
      }
    };
    const unsent = open(state.unsentFile, state.unsentBytes, 'unsent');
    let uncertain: UnsentFile;
    try {
      uncertain = open(state.uncertainFile, state.uncertainBytes, 'uncertain');
    } catch (error) {
      unsent.close();
      throw error;
    }
    try {
      const reader = new UnitReader(
        prepared.files,
        state.removeDuplicates ? new HashSet128() : undefined,
      );
      await reader.skipTo(state.committedLine);
      // Keys a request of the stopped run may still store, in a pool that drops
      // duplicates and sells keys off: a later copy is as uncertain, never "not
      // stored" (restocked, a late landing after a sale would put it back).
      const held: KeySet =
        state.poolDedup && state.sales
          ? keysListedIn(state.uncertainFile, state.uncertainBytes)
          : new Set<string>();
      /** Not sent: unsent, but for keys held. */
      const notSentNow = (serials: Serials) => {
        if (held.size === 0) return unsent.write(serials);
        const all = [...serials];
        uncertain.write(all.filter((s) => held.has(s)));
        unsent.write(all.filter((s) => !held.has(s)));
      };
      let inFlight = 0;
      let inFlightNotStored = 0;
      const f = state.inflight;
      if (f) {
        const u = await reader.next(Number.MAX_SAFE_INTEGER, f.toLine);
        const serials = u?.serials ?? Serials.of([]);
        // The settled prefix is stored; what was answered as not stored, and
        // what never went out, is not; the rest was sent, fate unknown.
        const sentUpTo = Math.min(f.sentUpTo, serials.length);
        const stored = Math.min(f.prefix?.upTo ?? 0, sentUpTo);
        const known = new Set<number>();
        for (const [a, b] of f.notStored ?? []) for (let i = a; i < b; i++) known.add(i);
        const unknown: number[] = [];
        const notStored: number[] = [];
        for (let i = stored; i < serials.length; i++) {
          (i < sentUpTo && !known.has(i) ? unknown : notStored).push(i);
        }
        const doubted = serials.pick(unknown);
        uncertain.write(doubted);
        if (state.poolDedup && state.sales) for (const s of doubted) held.add(s);
        notSentNow(serials.pick(notStored));
        inFlight = unknown.length;
        inFlightNotStored = notStored.length;
      }
      let notSent = 0;
      for (let u = await reader.next(10_000); u; u = await reader.next(10_000)) {
        notSentNow(u.serials);
        notSent += u.serials.length;
      }
      return { inFlight, inFlightNotStored, notSent, totalLines: prepared.totalLines };
    } finally {
      unsent.close();
      uncertain.close();
    }
  } finally {
    prepared.cleanup();
  }
}
