// The restock journal: what a later `--resume` needs, and nothing secret.
//
// One JSON file per (base URL, target, input names) under
// <config>/restock/<key>.json, mode 0600. It holds line offsets, counters and
// the SHA-256 of each input file, never a serial. Every write goes to a temp
// file, is fsynced and renamed over the journal, so on disk it always says:
// lines [0, committedLine) are settled (stored, blank, rejected, duplicate,
// in the unsent file up to unsentBytes, or in the uncertain file up to
// uncertainBytes); lines [inflight.fromLine,
// inflight.toLine) may have been sent, wholly or in part (a resume reads the
// pool back for those before sending any of them again); nothing after
// inflight.toLine was sent. The engine never sends a line the journal on disk
// does not already cover (see engine.ts, drive()).
//
// A lock file beside it (pid inside) keeps two runs off one journal; a lock
// whose pid no longer runs is stale and taken over.
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';

export const JOURNAL_VERSION = 1;

export interface Counters {
  /** Lines settled, = committedLine. */
  lines: number;
  blank: number;
  rejected: number;
  duplicates: number;
  /** Serials the service accepted (stored, or dropped by it as already in the pool). */
  sent: number;
  /** The service's own count of serials stored, from the answers received. */
  added: number;
  /**
   * Serials found in the pool when it was read back after an answer was lost
   * (a 5xx, a dropped connection, a timeout, or a run stopped with a batch in
   * flight): counted as sent, but not in `added`, whose answer never came.
   * Absent from journals written before it existed (read as 0).
   */
  foundStored: number;
  /** Known not stored: listed in the unsent file (safe to restock as is). */
  unsent: number;
  /**
   * Outcome unknown (may be in the pool): listed in the uncertain file.
   * Absent from journals written before it existed (read as 0).
   */
  uncertain: number;
  batches: number;
  /** Serials found delivered in an order while reconciling: stored, then sold. */
  soldDuringReconcile: number;
  unsentReasons: Record<string, number>;
}

export interface JournalState {
  version: number;
  key: string;
  target: { kind: 'warehouse' | 'product'; id: string; baseUrl: string };
  inputs: Array<{ name: string; size: number; sha256: string }>;
  removeDuplicates: boolean;
  batchSize: number;
  committedLine: number;
  inflight: { fromLine: number; toLine: number; sentAt: number } | null;
  counters: Counters;
  unsentFile: string;
  /** Length of the settled part of the unsent file; anything after it is a rewritable tail. */
  unsentBytes: number;
  /** Serials of unknown outcome; absent from older journals (derived from unsentFile). */
  uncertainFile: string;
  /** Length of the uncertain file's settled part (it has no tail). */
  uncertainBytes: number;
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
    foundStored: 0,
    unsent: 0,
    uncertain: 0,
    batches: 0,
    soldDuringReconcile: 0,
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
  private locked = false;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.path = join(dir, `${key}.json`);
    this.lockPath = join(dir, `${key}.lock`);
  }

  /** Takes the lock or throws (exit 1) naming the other run's pid. */
  lock(pid = process.pid): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        writeSync(fd, `${pid}\n`);
        closeSync(fd);
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const other = Number.parseInt(readText(this.lockPath) ?? '', 10);
      if (Number.isInteger(other) && other > 0 && other !== pid && isRunning(other)) {
        throw new CliError(
          `another restock of the same target and input is running (pid ${other})`,
          ExitCode.failure,
          { hint: `wait for it to finish; if it is gone, remove ${this.lockPath}` },
        );
      }
      // Stale: its process is gone.
      rmSync(this.lockPath, { force: true });
    }
    throw new CliError(`cannot take the lock ${this.lockPath}`, ExitCode.failure);
  }

  unlock(): void {
    if (this.locked) rmSync(this.lockPath, { force: true });
    this.locked = false;
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
      );
    }
    state.counters.foundStored ??= 0;
    state.counters.uncertain ??= 0;
    state.uncertainFile ??= `${state.unsentFile}.uncertain`;
    state.uncertainBytes ??= 0;
    return state;
  }

  /** Atomic and durable: a crash leaves the old or the new state, never a torn one. */
  save(state: JournalState, durable = true): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }

  /**
   * The same as save(), off the main thread, so it overlaps with the request
   * in flight. `text` is the state serialised when it was taken.
   */
  async saveAsync(text: string): Promise<void> {
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
  }

  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(`${this.path}.tmp`, { force: true });
  }
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
