// The restock journal: what a later `--resume` needs, and nothing secret.
//
// One JSON file per (base URL, target, input names) under
// <config>/restock/<key>.json, mode 0600. It holds line offsets, counters,
// the SHA-256 of each input file, the path of the stdin spool (input.ts) and
// the orders snapshot, never a serial.
// Every write goes to a temp file, is fsynced and renamed over the journal,
// so on disk it always says:
//   - lines [0, committedLine) are settled: counted, and any of their serials
//     not stored are in the unsent file's first unsentBytes or the uncertain
//     file's first uncertainBytes;
//   - lines [inflight.fromLine, inflight.toLine) are the unit being sent: it
//     may be stored wholly, in part or not at all (a resume reads the pool
//     back before sending any of it again); `mayStillLand` says whether a
//     request of it may still be processed by the service;
//   - nothing after that was sent.
// The journal is written before each unit is sent (one write a unit), so the
// in-flight range is exactly the unit whose requests are out.
//
// A lock file beside it (pid and a random token inside) keeps two runs off
// one journal. A lock whose pid no longer runs is stale; taking it over is
// atomic (see Journal.lock).
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fdatasyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { SalesSnapshot } from './sales.js';

export const JOURNAL_VERSION = 2;

export interface Counters {
  /** Lines settled, = committedLine. */
  lines: number;
  blank: number;
  rejected: number;
  /** Repeats within the input dropped before sending (--remove-duplicates). */
  duplicates: number;
  /** Serials sent whose outcome is known stored: added + droppedByPool + foundStored. */
  sent: number;
  /** The service's count of serials stored, from its answers. */
  added: number;
  /** Sent, answered, not added: the pool dropped them as present or repeated. */
  droppedByPool: number;
  /** Sent, answer lost, found in the pool on read-back (or delivered by an order since). */
  foundStored: number;
  /** Of foundStored: delivered by an order of this run before the read-back. */
  soldDuringReconcile: number;
  /** Known not stored: listed in the unsent file. */
  unsent: number;
  /** Outcome unknown (may be in the pool): listed in the uncertain file. */
  uncertain: number;
  /** Stock requests made. */
  batches: number;
  unsentReasons: Record<string, number>;
}

export interface JournalState {
  version: number;
  key: string;
  target: { kind: 'warehouse' | 'product'; id: string; baseUrl: string };
  inputs: Array<{ name: string; size: number; sha256: string }>;
  /** --remove-duplicates: repeats within the input are dropped before sending. */
  removeDuplicates: boolean;
  /** The `removeDuplicates` sent with every stock add (the flag, or the pool's own setting). */
  poolDedup: boolean;
  batchSize: number;
  committedLine: number;
  inflight: { fromLine: number; toLine: number; sentAt: number; mayStillLand: boolean } | null;
  counters: Counters;
  unsentFile: string;
  unsentBytes: number;
  uncertainFile: string;
  uncertainBytes: number;
  /** Orders before the first send (pools whose sold keys leave). */
  sales: SalesSnapshot | null;
  poolTotal: number | null;
  /** Lines in all inputs (absent in journals of earlier versions). */
  totalLines?: number;
  /**
   * The private copy of standard input (absolute path), when it is an input:
   * the only copy of those serials, kept while this journal refers to it and
   * read again by `--resume`. Absent in journals of earlier versions.
   */
  spool?: string | null;
  startedAt: string;
  updatedAt: string;
}

export function emptyCounters(): Counters {
  return {
    lines: 0,
    blank: 0,
    rejected: 0,
    duplicates: 0,
    sent: 0,
    added: 0,
    droppedByPool: 0,
    foundStored: 0,
    soldDuringReconcile: 0,
    unsent: 0,
    uncertain: 0,
    batches: 0,
    unsentReasons: {},
  };
}

export function journalDir(configDir: string): string {
  return join(configDir, 'restock');
}

const KEY = /^[0-9a-f]{24}$/;

export function isJournalKey(key: string): boolean {
  return KEY.test(key);
}

/** The keys of the journals in `dir` (interrupted restocks, or running ones). */
export function journalKeys(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith('.json') && KEY.test(n.slice(0, -5)))
    .map((n) => n.slice(0, -5))
    .sort();
}

/** The journal key: the same target and the same named inputs give the same journal. */
export function journalKey(
  baseUrl: string,
  kind: string,
  id: string,
  inputNames: readonly string[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([baseUrl, kind, id, ...inputNames]))
    .digest('hex')
    .slice(0, 24);
}

export class Journal {
  readonly path: string;
  readonly lockPath: string;
  private token: string | undefined;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.path = join(dir, `${key}.json`);
    this.lockPath = join(dir, `${key}.lock`);
  }

  /**
   * Takes the lock or throws (exit 1) naming the other run's pid.
   *
   * The lock is created whole and exclusively (link() of a written temp file
   * fails if the lock exists). A stale lock is removed only by the holder of
   * a takeover file (created the same way), and only if it still holds what
   * was judged stale (pid and random token), then everyone competes for the
   * lock again. So two processes cannot both hold it.
   */
  lock(pid = process.pid, alive: (pid: number) => boolean = isRunning): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const token = `${pid} ${randomBytes(8).toString('hex')}\n`;
    const mine = `${this.lockPath}.${randomBytes(6).toString('hex')}`;
    writeFileSync(mine, token, { mode: 0o600, flag: 'wx' });
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          linkSync(mine, this.lockPath);
          this.token = token;
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const seen = readText(this.lockPath);
        if (seen === undefined) continue; // released meanwhile
        const other = Number.parseInt(seen, 10);
        if (Number.isInteger(other) && other > 0 && other !== pid && alive(other)) {
          throw busy(other, this.lockPath);
        }
        this.clearStale(seen, mine, alive);
      }
      throw new CliError(`cannot take the lock ${this.lockPath}`, ExitCode.failure);
    } finally {
      rmSync(mine, { force: true });
    }
  }

  /**
   * Removes the lock if it still holds `seen` (a stale lock). Only the holder
   * of the takeover file may check and remove, so a fresh lock taken
   * meanwhile is never removed; the others wait a moment and compete again.
   */
  private clearStale(seen: string, mine: string, alive: (pid: number) => boolean): void {
    const takeover = `${this.lockPath}.takeover`;
    try {
      linkSync(mine, takeover);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readText(takeover) ?? '', 10);
      // Left by a process that died within the takeover: nobody else will remove it.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder))
        rmSync(takeover, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      return;
    }
    try {
      if (readText(this.lockPath) === seen) rmSync(this.lockPath, { force: true });
    } finally {
      rmSync(takeover, { force: true });
    }
  }

  /** The pid of a live process holding the lock (a run of this restock), if any. */
  holder(alive: (pid: number) => boolean = isRunning): number | undefined {
    const pid = Number.parseInt(readText(this.lockPath) ?? '', 10);
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  unlock(): void {
    if (this.token !== undefined && readText(this.lockPath) === this.token) {
      rmSync(this.lockPath, { force: true });
    }
    this.token = undefined;
  }

  load(): JournalState | undefined {
    const text = readText(this.path);
    if (text === undefined) return undefined;
    let state: JournalState;
    try {
      state = JSON.parse(text) as JournalState;
    } catch {
      throw new CliError(`the restock journal ${this.path} is not valid JSON`, ExitCode.failure, {
        hint: 'it was left untouched; move it away to start over',
      });
    }
    if (state.version !== JOURNAL_VERSION) {
      throw new CliError(
        `the restock journal ${this.path} has version ${state.version}; this astrosell reads ${JOURNAL_VERSION}`,
        ExitCode.failure,
        { hint: 'finish it with the astrosell that wrote it, or move it away to start over' },
      );
    }
    return state;
  }

  /** Atomic and durable: a crash leaves the old or the new state, never a torn one. */
  save(state: JournalState): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      // The data must be on disk before the rename makes it the journal.
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }

  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(`${this.path}.tmp`, { force: true });
  }
}

function busy(pid: number, lockPath: string): CliError {
  return new CliError(
    `another restock of the same target and input is running (pid ${pid})`,
    ExitCode.failure,
    { hint: `wait for it to finish; if it is gone, remove ${lockPath}` },
  );
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
