// The restock journal: what a later `--resume` needs, and nothing secret.
//
// One JSON file per (base URL, target, input names) under
// <config>/restock/<key>.json, mode 0600. It holds line offsets, counters,
// the SHA-256 of each input file and the orders snapshot, never a serial.
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
// atomic (file-lock.ts, the project's one lock).
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import { FileLock, isRunning, readText } from './file-lock.js';
import type { SalesSnapshot } from './sales.js';

export { isRunning };

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
  private readonly fileLock: FileLock;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.path = join(dir, `${key}.json`);
    this.lockPath = join(dir, `${key}.lock`);
    this.fileLock = new FileLock(this.lockPath, {
      fileMode: 0o600,
      dirMode: 0o700,
      busy: ({ pid }, path) =>
        new CliError(
          `another restock of the same target and input is running (pid ${pid})`,
          ExitCode.failure,
          { hint: `wait for it to finish; if it is gone, remove ${path}` },
        ),
    });
  }

  /** Takes the lock or throws (exit 1) naming the other run's pid (see file-lock.ts). */
  lock(pid = process.pid, alive: (pid: number) => boolean = isRunning): void {
    this.fileLock.lock(pid, alive);
  }

  unlock(): void {
    this.fileLock.unlock();
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
