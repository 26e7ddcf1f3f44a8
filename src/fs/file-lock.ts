// The one lock of the project: a file holding the owner's pid and a random
// token (and, for a lock others must be told about, what the owner does).
// Used for restock's journal (one run per journal) and pool (one restock per
// pool on this machine, restock/pool-lock.ts), and for the config file (one
// read-modify-write at a time, config/store.ts).
//
// The lock is created whole and exclusively (link() of a written temp file
// fails if the lock exists). A lock whose pid no longer runs is stale. A
// stale lock is removed only by the holder of a takeover file (created the
// same way), and only if it still holds what was judged stale (pid and
// random token), then everyone competes for the lock again. So two
// processes cannot both hold it.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { CliError, ExitCode } from '../errors.js';

export interface LockHolder {
  pid: number;
  /** What the holder said it does (`label`), if anything. */
  label: string | undefined;
}

export interface FileLockOptions {
  /** Mode of the lock file (beyond the umask when `shared`). */
  fileMode: number;
  /** Mode of its folder when created. */
  dirMode: number;
  /**
   * The folder is shared by every user of the machine (a sticky folder under
   * the system's temp folder): its mode is set beyond the umask when this
   * process created it, and it must be a real folder, not a symbolic link.
   */
  shared?: boolean;
  /** One line saying what the holder does, for the message of a run refused. */
  label?: string;
  /**
   * How long to wait for a live holder to let go, in milliseconds. 0 (the
   * default) refuses at once: a restock holds its locks for the whole run,
   * while the config file's lock is held only for one quick write.
   */
  waitMs?: number;
  /** The error for a lock held by a live process (after `waitMs`). */
  busy(holder: LockHolder, path: string): CliError;
}

export class FileLock {
  private token: string | undefined;

  constructor(
    readonly path: string,
    private readonly options: FileLockOptions,
  ) {}

  /** Takes the lock or throws (exit 1) the `busy` error naming the other run's pid. */
  lock(pid = process.pid, alive: (pid: number) => boolean = isRunning): void {
    const o = this.options;
    this.prepareFolder();
    const label = o.label === undefined ? '' : ` ${o.label.replace(/[\r\n]+/g, ' ')}`;
    const token = `${pid} ${randomBytes(8).toString('hex')}${label}\n`;
    const mine = `${this.path}.${randomBytes(6).toString('hex')}`;
    try {
      // Made, then written: a disk that cannot hold the token leaves it empty.
      writeFileSync(mine, token, { mode: o.fileMode, flag: 'wx' });
      if (o.shared) chmodSync(mine, o.fileMode);
      const deadline = Date.now() + (o.waitMs ?? 0);
      let waits = 0;
      // Races (a lock released or cleared between two looks) are bounded;
      // waiting for a live holder is bounded by the deadline.
      for (let races = 0; races < 50; ) {
        try {
          linkSync(mine, this.path);
          this.token = token;
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const seen = this.read(this.path);
        if (seen === undefined) {
          races++; // released meanwhile
          continue;
        }
        const other = Number.parseInt(seen, 10);
        if (Number.isInteger(other) && other > 0 && other !== pid && alive(other)) {
          if (Date.now() >= deadline) throw o.busy({ pid: other, label: labelOf(seen) }, this.path);
          // 2, 4, 8… up to 50 ms, jittered so waiters do not wake in step.
          sleep(Math.min(50, 2 ** ++waits) * (0.5 + Math.random()));
          continue;
        }
        races++;
        this.clearStale(seen, mine, alive);
      }
      // A takeover file that names no live process (one left empty by a crash) is never cleared.
      const takeover = `${this.path}.takeover`;
      throw new CliError(`cannot take the lock ${this.path}`, ExitCode.failure, {
        hint: existsSync(takeover)
          ? `if no other astrosell is running, remove ${takeover}`
          : 'another run may keep taking and releasing it; try again',
      });
    } finally {
      rmSync(mine, { force: true });
    }
  }

  unlock(): void {
    if (this.token !== undefined && readText(this.path) === this.token) {
      rmSync(this.path, { force: true });
    }
    this.token = undefined;
  }

  private prepareFolder(): void {
    const dir = dirname(this.path);
    let made: string | undefined;
    try {
      made = mkdirSync(dir, { recursive: true, mode: this.options.dirMode });
    } catch (error) {
      // A file, or a link to nothing, in the shared folder's place: said below.
      const code = (error as NodeJS.ErrnoException).code;
      if (!this.options.shared || (code !== 'EEXIST' && code !== 'ENOENT')) throw error;
    }
    if (!this.options.shared) return;
    const st = lstatSync(dir);
    if (!st.isDirectory()) {
      throw new CliError(`the lock folder ${dir} is not a folder`, ExitCode.failure, {
        hint: 'it may be a symbolic link left by someone else; remove it',
      });
    }
    // Created by us: open to every user (the umask narrowed it); sticky, so
    // no one removes another user's lock.
    if (made !== undefined) chmodSync(dir, this.options.dirMode);
  }

  /** The lock's text; a lock another user made unreadable is said as such. */
  private read(path: string): string | undefined {
    try {
      return readText(path);
    } catch (error) {
      throw new CliError(
        `cannot read the lock ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        ExitCode.failure,
        { hint: 'another user may hold it; wait for their run to finish' },
      );
    }
  }

  /**
   * Removes the lock if it still holds `seen` (a stale lock). Only the holder
   * of the takeover file may check and remove, so a fresh lock taken
   * meanwhile is never removed; the others wait a moment and compete again.
   */
  private clearStale(seen: string, mine: string, alive: (pid: number) => boolean): void {
    const takeover = `${this.path}.takeover`;
    try {
      linkSync(mine, takeover);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readText(takeover) ?? '', 10);
      // Left by a process that died within the takeover: nobody else will remove it.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) this.remove(takeover);
      sleep(2);
      return;
    }
    try {
      if (readText(this.path) === seen) this.remove(this.path);
    } finally {
      rmSync(takeover, { force: true });
    }
  }

  private remove(path: string): void {
    try {
      // unlink, not rm: refused in a sticky folder, rm tries the path as a
      // folder next and says ENOTDIR, hiding why.
      unlinkSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EPERM' && code !== 'EACCES') throw error;
      // A sticky shared folder: only its owner removes it.
      throw new CliError(
        `the stale lock ${path} belongs to another user and cannot be removed`,
        ExitCode.failure,
        { hint: `its process is gone; remove ${path} as that user (or as root)` },
      );
    }
  }
}

/** What the holder said it does: the lock's text after pid and token. */
function labelOf(text: string): string | undefined {
  const m = /^\S+ \S+ (.+)$/.exec(text.trim());
  return m ? m[1] : undefined;
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Blocks the thread: a lock is taken in synchronous code (a write that must not interleave). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A process that has ended but is not yet reaped by its parent still answers
 * a signal; it holds nothing. Linux says so in /proc (state Z); elsewhere
 * this cannot be told, and the process counts as running.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (command) state …: the command may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
