// The one lock of the project (restock's journal and pool, the config file):
// its rules, one at a time, in-process. Whether a pid runs is given to
// lock(), so a "live" or "dead" holder is whatever the test says it is; and
// as it is asked right when a holder is judged, a test can play another
// process acting at that moment (a lock replaced, a folder emptied).
// Real races between processes are in test/restock/lock-race.test.ts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, ExitCode } from '../../src/errors.js';
import { FileLock, type FileLockOptions, isRunning } from '../../src/fs/file-lock.js';
import { tempDir } from '../helpers/cli.js';

const ME = 4242;
const OTHER = 5151;
const THIRD = 6161;
const alive = (running: number[]) => (pid: number) => running.includes(pid);

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('astrosell-file-lock-');
});
afterEach(() => tmp.cleanup());

function lockAt(path: string, options: Partial<FileLockOptions> = {}): FileLock {
  return new FileLock(path, {
    fileMode: 0o600,
    dirMode: 0o700,
    busy: ({ pid, label }) => new CliError(`busy: ${pid} ${label ?? '-'}`, ExitCode.failure),
    ...options,
  });
}

/** What `lock()` threw, whatever it is (not only a CliError). */
function thrown(take: () => void): unknown {
  try {
    take();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What `lock()` threw, or undefined. */
function refusal(take: () => void): CliError | undefined {
  try {
    take();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  return undefined;
}

describe('the file lock', () => {
  it('is taken when free: the file names its holder and what it does', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path, { label: 'restock of keys.txt' }).lock(ME, alive([ME]));
    expect(readFileSync(path, 'utf8')).toMatch(/^4242 [0-9a-f]{16} restock of keys\.txt\n$/);
  });

  it('a live holder refuses a second taker with the busy error, naming its pid and label', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path, { label: 'first run' }).lock(OTHER, alive([OTHER]));
    const held = readFileSync(path, 'utf8');
    const e = refusal(() => lockAt(path).lock(ME, alive([ME, OTHER])));
    expect(e?.message).toBe(`busy: ${OTHER} first run`);
    expect(readFileSync(path, 'utf8')).toBe(held);
  });

  it('a label cannot break the lock into lines', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path, { label: 'two\r\nlines' }).lock(OTHER, alive([OTHER]));
    expect(refusal(() => lockAt(path).lock(ME, alive([ME, OTHER])))?.message).toBe(
      `busy: ${OTHER} two lines`,
    );
  });

  it('a holder that said nothing about what it does is named by its pid alone', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path).lock(OTHER, alive([OTHER]));
    expect(refusal(() => lockAt(path).lock(ME, alive([ME, OTHER])))?.message).toBe(
      `busy: ${OTHER} -`,
    );
  });

  it('a lock whose holder is gone is taken over', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path).lock(OTHER, alive([OTHER]));
    lockAt(path).lock(ME, alive([ME]));
    expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
  });

  it('a lock naming our own pid is stale (a holder before us that had this pid)', () => {
    const path = join(tmp.dir, 'a.lock');
    writeFileSync(path, `${ME} 0123456789abcdef\n`);
    const lock = lockAt(path);
    lock.lock(ME, alive([ME]));
    expect(readFileSync(path, 'utf8')).not.toBe(`${ME} 0123456789abcdef\n`);
    lock.unlock();
    expect(existsSync(path)).toBe(false);
  });

  it('a lock that names no pid is stale', () => {
    const path = join(tmp.dir, 'a.lock');
    for (const text of ['', 'garbage\n', '-3 abc\n', '0 abc\n']) {
      writeFileSync(path, text);
      const lock = lockAt(path);
      lock.lock(ME, () => true);
      expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
      lock.unlock();
    }
  });

  it('a lock that cannot be read is an error naming it, never taken over', () => {
    const path = join(tmp.dir, 'a.lock');
    mkdirSync(path);
    const e = refusal(() => lockAt(path).lock(ME, alive([ME])));
    expect(e?.message).toBe(`cannot read the lock ${path}: EISDIR`);
    expect(e?.hint).toMatch(/another user may hold it/);
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('unlock removes only our own lock', () => {
    const path = join(tmp.dir, 'a.lock');
    const lock = lockAt(path);
    lock.lock(ME, alive([ME]));
    // Someone judged ours stale and took it (our process was paused).
    writeFileSync(path, `${OTHER} feedfacefeedface\n`);
    lock.unlock();
    expect(readFileSync(path, 'utf8')).toBe(`${OTHER} feedfacefeedface\n`);
  });

  it('unlocking twice is harmless, even once another run has taken the lock', () => {
    const path = join(tmp.dir, 'a.lock');
    const lock = lockAt(path);
    lock.lock(ME, alive([ME]));
    lock.unlock();
    lockAt(path).lock(OTHER, alive([OTHER]));
    const theirs = readFileSync(path, 'utf8');
    lock.unlock();
    expect(readFileSync(path, 'utf8')).toBe(theirs);
  });

  it('a lock that reads as gone every time it is looked at (a dangling symbolic link in its place) is left alone: after a bounded number of tries, "cannot take the lock", not a loop for ever', () => {
    const path = join(tmp.dir, 'a.lock');
    symlinkSync(join(tmp.dir, 'nowhere'), path);
    const e = refusal(() => lockAt(path, { waitMs: 2_000 }).lock(ME, alive([ME])));
    expect(e?.message).toBe(`cannot take the lock ${path}`);
    expect(e?.exitCode).toBe(ExitCode.failure);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['a.lock']);
  });

  it('a failure other than "the lock exists" is said at once, naming the file it was making, not retried: the lock folder removed while we wait, or while we clear a stale lock', () => {
    const dir = join(tmp.dir, 'locks');
    const path = join(dir, 'a.lock');
    for (const [holderRuns, making] of [
      [true, path],
      [false, `${path}.takeover`],
    ] as const) {
      lockAt(path).lock(OTHER, alive([OTHER]));
      let looks = 0;
      // Someone empties the temp folder just as we look at the holder.
      const folderGoes = (pid: number) => {
        looks++;
        rmSync(dir, { recursive: true, force: true });
        return pid === OTHER && holderRuns;
      };
      const error = thrown(() => lockAt(path, { waitMs: 2_000 }).lock(ME, folderGoes));
      expect(error).not.toBeInstanceOf(CliError);
      expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect((error as Error).message).toContain(`'${making}'`);
      expect(looks).toBe(1);
    }
  });

  it('leaves nothing but the lock itself in its folder', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path).lock(OTHER, alive([OTHER]));
    refusal(() => lockAt(path).lock(ME, alive([ME, OTHER])));
    lockAt(path).lock(ME, alive([ME]));
    expect(readdirSync(tmp.dir)).toEqual(['a.lock']);
  });

  describe('waiting (waitMs)', () => {
    it('takes the lock once a live holder lets go within the wait', () => {
      const path = join(tmp.dir, 'a.lock');
      lockAt(path).lock(OTHER, alive([OTHER]));
      let looks = 0;
      // The holder exits after being seen three times.
      const holderRuns = (pid: number) => pid === OTHER && ++looks <= 3;
      lockAt(path, { waitMs: 2_000 }).lock(ME, holderRuns);
      expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
      expect(looks).toBeGreaterThan(3);
    });

    it('refuses once the wait is over', () => {
      const path = join(tmp.dir, 'a.lock');
      lockAt(path).lock(OTHER, alive([OTHER]));
      const started = Date.now();
      const e = refusal(() => lockAt(path, { waitMs: 150 }).lock(ME, alive([ME, OTHER])));
      expect(e?.message).toMatch(/^busy: 5151/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    });

    it('sleeps between looks: briefly at first (a holder that lets go at once is followed at once), then backing off, and never more than 75 ms (a holder that lets go late is followed soon)', () => {
      const path = join(tmp.dir, 'a.lock');
      lockAt(path).lock(OTHER, alive([OTHER]));
      let looks = 0;
      const holderRuns = (pid: number) => pid === OTHER && ++looks <= 12;
      // The pauses asked for (the thread still sleeps them).
      const pauses: number[] = [];
      const wait = Atomics.wait;
      const spy = vi.spyOn(Atomics, 'wait').mockImplementation((buffer, index, value, ms) => {
        pauses.push(ms ?? Number.POSITIVE_INFINITY);
        return wait(buffer, index, value, ms);
      });
      try {
        lockAt(path, { waitMs: 10_000 }).lock(ME, holderRuns);
      } finally {
        spy.mockRestore();
      }
      expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
      expect(pauses).toHaveLength(12);
      expect(pauses[0]).toBeGreaterThan(0);
      expect(pauses[0]).toBeLessThanOrEqual(3);
      for (const ms of pauses) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(75);
      }
      // A holder that stays is not looked at more often than every 25 ms.
      expect(Math.min(...pauses.slice(6))).toBeGreaterThanOrEqual(25);
    });

    it('without a wait, refuses at once', () => {
      const path = join(tmp.dir, 'a.lock');
      lockAt(path).lock(OTHER, alive([OTHER]));
      let looks = 0;
      const looked = (pid: number) => {
        looks++;
        return pid === OTHER;
      };
      refusal(() => lockAt(path).lock(ME, looked));
      expect(looks).toBe(1);
    });
  });

  describe('taking over a stale lock', () => {
    it('a takeover left by a process that died within it is cleared, and the lock taken', () => {
      const path = join(tmp.dir, 'a.lock');
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      writeFileSync(`${path}.takeover`, `${OTHER + 1} 0123456789abcdef\n`);
      lockAt(path).lock(ME, alive([ME]));
      expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
      expect(existsSync(`${path}.takeover`)).toBe(false);
    });

    it('a fresh lock taken between our look and the removal is never removed: its holder refuses us', () => {
      const path = join(tmp.dir, 'a.lock');
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      const fresh = `${THIRD} fedcba9876543210 third run\n`;
      // While we judge OTHER's lock, another run clears it and takes the lock.
      let cleared = false;
      const judge = (pid: number) => {
        if (pid === OTHER && !cleared) {
          cleared = true;
          rmSync(path);
          writeFileSync(path, fresh);
        }
        return pid === ME || pid === THIRD;
      };
      const e = refusal(() => lockAt(path).lock(ME, judge));
      expect(e?.message).toBe(`busy: ${THIRD} third run`);
      expect(readFileSync(path, 'utf8')).toBe(fresh);
      expect(readdirSync(tmp.dir)).toEqual(['a.lock']);
    });

    it('a takeover of a dead process cleared by another run at the same moment is no error: the lock is taken', () => {
      const path = join(tmp.dir, 'a.lock');
      const takeover = `${path}.takeover`;
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      writeFileSync(takeover, `${THIRD} 0123456789abcdef\n`);
      const judge = (pid: number) => {
        if (pid === THIRD) rmSync(takeover, { force: true });
        return pid === ME;
      };
      lockAt(path).lock(ME, judge);
      expect(readFileSync(path, 'utf8')).toMatch(/^4242 /);
      expect(readdirSync(tmp.dir)).toEqual(['a.lock']);
    });

    it('a failure to clear a dead takeover other than a refusal is said as it is, not as "another user\'s lock"', () => {
      const path = join(tmp.dir, 'a.lock');
      const takeover = `${path}.takeover`;
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      writeFileSync(takeover, `${THIRD} 0123456789abcdef\n`);
      // Something that is not a takeover (a folder) is put in its place as we look.
      const judge = (pid: number) => {
        if (pid === THIRD) {
          rmSync(takeover);
          mkdirSync(takeover);
        }
        return pid === ME;
      };
      const error = thrown(() => lockAt(path).lock(ME, judge));
      expect(error).not.toBeInstanceOf(CliError);
      expect((error as NodeJS.ErrnoException).code).toBe('EISDIR');
      expect((error as Error).message).toContain(`'${takeover}'`);
      expect(readFileSync(path, 'utf8')).toBe(`${OTHER} 0123456789abcdef\n`);
    });

    it('while a live process holds the takeover, the stale lock is left to it, and we give up', () => {
      const path = join(tmp.dir, 'a.lock');
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      writeFileSync(`${path}.takeover`, `${OTHER + 1} 0123456789abcdef\n`);
      const e = refusal(() => lockAt(path).lock(ME, alive([ME, OTHER + 1])));
      expect(e?.message).toBe(`cannot take the lock ${path}`);
      expect(e?.exitCode).toBe(ExitCode.failure);
      expect(readFileSync(path, 'utf8')).toBe(`${OTHER} 0123456789abcdef\n`);
    });

    it('a takeover file that names no process (left empty by a crash) is never cleared: the refusal says to remove it', () => {
      const path = join(tmp.dir, 'a.lock');
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`);
      writeFileSync(`${path}.takeover`, '');
      const e = refusal(() => lockAt(path).lock(ME, alive([ME])));
      expect(e?.message).toBe(`cannot take the lock ${path}`);
      expect(e?.hint).toBe(`if no other astrosell is running, remove ${path}.takeover`);
    });
  });

  describe('a shared folder (the pool locks, one folder for every user)', () => {
    it('is made with its mode whatever the umask, and so is the lock', () => {
      // Under the usual umask (022) a folder asked as 1777 would be 1755.
      const path = join(tmp.dir, 'shared', 'a.lock');
      lockAt(path, { shared: true, dirMode: 0o1777, fileMode: 0o666 }).lock(ME, alive([ME]));
      expect(statSync(join(tmp.dir, 'shared')).mode & 0o7777).toBe(0o1777);
      expect(statSync(path).mode & 0o777).toBe(0o666);
    });

    it('keeps the mode of a folder someone else made', () => {
      const dir = join(tmp.dir, 'shared');
      mkdirSync(dir, { mode: 0o755 });
      lockAt(join(dir, 'a.lock'), { shared: true, dirMode: 0o1777 }).lock(ME, alive([ME]));
      expect(statSync(dir).mode & 0o7777).toBe(0o755);
    });

    it('must not be a symbolic link (another user could point it anywhere)', () => {
      const real = join(tmp.dir, 'elsewhere');
      mkdirSync(real);
      symlinkSync(real, join(tmp.dir, 'shared'));
      const e = refusal(() =>
        lockAt(join(tmp.dir, 'shared', 'a.lock'), { shared: true }).lock(ME, alive([ME])),
      );
      expect(e?.message).toBe(`the lock folder ${join(tmp.dir, 'shared')} is not a folder`);
      expect(e?.hint).toMatch(/symbolic link/);
      expect(readdirSync(real)).toEqual([]);
    });
  });

  it('a shared folder that is a file, or a symbolic link to nothing, is refused with the same one-line error', () => {
    const file = join(tmp.dir, 'file');
    writeFileSync(file, '');
    const dangling = join(tmp.dir, 'dangling');
    symlinkSync(join(tmp.dir, 'nowhere'), dangling);
    for (const dir of [file, dangling]) {
      const e = refusal(() => lockAt(join(dir, 'a.lock'), { shared: true }).lock(ME, alive([ME])));
      expect(e?.message).toBe(`the lock folder ${dir} is not a folder`);
      expect(e?.exitCode).toBe(ExitCode.failure);
    }
    expect(existsSync(join(tmp.dir, 'nowhere'))).toBe(false);
  });

  // Another user's stale lock in the shared folder: the sticky bit lets only
  // its owner remove it. Played by this root process acting as `nobody` for
  // the (synchronous) call; needs root, and a process of its own (vitest's
  // forks, not the worker threads a mutation run uses).
  const asNobody = process.getuid?.() === 0 && isMainThread;
  it.runIf(asNobody)(
    "another user's stale lock is not removed: one error naming it, and how to clear it",
    () => {
      chmodSync(tmp.dir, 0o755);
      const dir = join(tmp.dir, 'shared');
      mkdirSync(dir, { mode: 0o1777 });
      chmodSync(dir, 0o1777);
      const path = join(dir, 'a.lock');
      writeFileSync(path, `${OTHER} 0123456789abcdef\n`, { mode: 0o644 });
      let e: CliError | undefined;
      process.seteuid!(65534);
      try {
        e = refusal(() => lockAt(path, { shared: true, dirMode: 0o1777 }).lock(ME, alive([ME])));
      } finally {
        process.seteuid!(0);
      }
      expect(e?.message).toBe(
        `the stale lock ${path} belongs to another user and cannot be removed`,
      );
      expect(e?.hint).toBe(`its process is gone; remove ${path} as that user (or as root)`);
      expect(e?.exitCode).toBe(ExitCode.failure);
      expect(readFileSync(path, 'utf8')).toBe(`${OTHER} 0123456789abcdef\n`);
      // Nothing of ours is left beside it (our temp file, the takeover).
      expect(readdirSync(dir)).toEqual(['a.lock']);
    },
  );

  it('a private folder is made with its mode under the umask', () => {
    const path = join(tmp.dir, 'private', 'a.lock');
    lockAt(path, { dirMode: 0o700 }).lock(ME, alive([ME]));
    expect(statSync(join(tmp.dir, 'private')).mode & 0o777).toBe(0o700);
  });

  // What the umask makes of a mode, as for any file or folder of the user.
  const underUmask = (make: (path: string) => void) => {
    const probe = join(tmp.dir, 'probe');
    make(probe);
    const mode = statSync(probe).mode & 0o777;
    rmSync(probe, { recursive: true });
    return mode;
  };

  it('a private lock and its folder keep to the umask, as any file of the user (only a shared one is opened beyond it)', () => {
    const path = join(tmp.dir, 'private', 'a.lock');
    lockAt(path, { fileMode: 0o666, dirMode: 0o777 }).lock(ME, alive([ME]));
    expect(statSync(path).mode & 0o777).toBe(
      underUmask((p) => writeFileSync(p, '', { mode: 0o666 })),
    );
    expect(statSync(join(tmp.dir, 'private')).mode & 0o777).toBe(
      underUmask((p) => mkdirSync(p, { mode: 0o777 })),
    );
  });

  it('a private lock is made with its mode: others cannot read it', () => {
    const path = join(tmp.dir, 'a.lock');
    lockAt(path, { fileMode: 0o600 }).lock(ME, alive([ME]));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a private folder may be a symbolic link (a config folder kept elsewhere)', () => {
    const real = join(tmp.dir, 'real');
    mkdirSync(real);
    symlinkSync(real, join(tmp.dir, 'linked'));
    const lock = lockAt(join(tmp.dir, 'linked', 'a.lock'));
    lock.lock(ME, alive([ME]));
    expect(readdirSync(real)).toEqual(['a.lock']);
    lock.unlock();
    expect(readdirSync(real)).toEqual([]);
  });
});

describe('isRunning', () => {
  it('is true of this process and false of one that has exited', () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(2 ** 22 + 1)).toBe(false);
  });

  // A killed run whose parent has not yet collected it holds nothing: its lock is stale.
  it.runIf(process.platform === 'linux' && isMainThread)(
    'is false of a process that has ended but is not yet reaped (a zombie)',
    async () => {
      // The shell starts `sleep 1` and becomes `sleep 10`, which never collects
      // it (the shell itself would, had the child ended before the exec).
      const parent = spawn('bash', ['-c', 'sleep 1 & echo $!; exec sleep 10'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        const [line] = await once(parent.stdout!, 'data');
        const zombie = Number(String(line).trim());
        // Ended a second from now; on a busy machine, give it time.
        const state = () => readFileSync(`/proc/${zombie}/stat`, 'utf8');
        for (let i = 0; i < 100 && !/\) Z /.test(state()); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(state()).toMatch(/\) Z /);
        expect(isRunning(zombie)).toBe(false);
        expect(isRunning(parent.pid!)).toBe(true);
      } finally {
        parent.kill();
      }
    },
  );

  // A process we may not signal (another user's) still runs: its lock holds.
  it.runIf(process.getuid?.() !== 0)('is true of a process of another user (init)', () => {
    expect(isRunning(1)).toBe(true);
  });

  // As root every process may be signalled: play an ordinary user (`nobody`)
  // looking at a process of a third user; needs a process of its own.
  it.runIf(process.getuid?.() === 0 && isMainThread)(
    'is true of a process of another user (played as root)',
    async () => {
      const other = spawn('sleep', ['30'], { uid: 1, gid: 1, stdio: 'ignore' });
      await new Promise((resolve) => other.once('spawn', resolve));
      let running: boolean;
      process.seteuid!(65534);
      try {
        running = isRunning(other.pid!);
      } finally {
        process.seteuid!(0);
        other.kill();
      }
      expect(running).toBe(true);
    },
  );
});
