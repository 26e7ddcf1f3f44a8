// The journal and its lock, exactly: file contents, messages, and every
// path of the stale-lock takeover. The lock's `alive` check is passed in, so
// each path is reached without module mocks (lock-race.test.ts mocks node:fs
// and is left out of mutation runs); the callback also stands in for
// "another process did X meanwhile".
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import {
  emptyCounters,
  isRunning,
  JOURNAL_VERSION,
  Journal,
  type JournalState,
  journalDir,
  journalKey,
} from '../../src/restock/journal.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

function journal(key = 'k'): Journal {
  const { dir, cleanup } = tempDir('astrosell-journal-');
  dirs.push(cleanup);
  return new Journal(join(dir, 'restock'), key);
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

function state(): JournalState {
  return {
    version: JOURNAL_VERSION,
    key: 'k',
    target: { kind: 'product', id: 'p1', baseUrl: 'http://h/api/v1' },
    inputs: [],
    removeDuplicates: true,
    poolDedup: true,
    batchSize: 5,
    committedLine: 3,
    inflight: null,
    counters: emptyCounters(),
    unsentFile: 'u',
    unsentBytes: 0,
    uncertainFile: 'u.uncertain',
    uncertainBytes: 0,
    sales: null,
    poolTotal: 7,
    startedAt: 's',
    updatedAt: 't',
  };
}

/** Our own temp files beside the lock (`<key>.lock.<12 hex>`). */
function mineFiles(j: Journal): string[] {
  return readdirSync(j.dir).filter((f) => /^k\.lock\.[0-9a-f]{12}$/.test(f));
}

const DEAD = 999_999_001;
const LIVE = 999_999_002;

describe('journal paths and keys', () => {
  it('lives in <config>/restock, keyed by 24 hex digits of a SHA-256', () => {
    expect(journalDir('/c')).toBe('/c/restock');
    // The first 24 hex digits of sha256('["u","warehouse","w1","/a"]').
    const key = journalKey('u', 'warehouse', 'w1', ['/a']);
    expect(key).toBe('7f7c642bb382a9a289daa52a');
    const j = new Journal('/c/restock', key);
    expect(j.path).toBe(`/c/restock/${key}.json`);
    expect(j.lockPath).toBe(`/c/restock/${key}.lock`);
  });
});

/** A journal that cannot be resumed is no reason to resend everything. */
const startingOver =
  'do not just move it away to start over: that resends every serial, and a pool that keeps duplicates would store them twice; compare the input with the pool first (astrosell warehouses diff <warehouse-id> <file> --show missing > missing.txt), restock only missing.txt, then move the journal away';

describe('Journal.save / load / remove', () => {
  it('writes exactly the JSON of the state, mode 0600, and closes what it opened', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    const s = state();
    const fds = readdirSync('/proc/self/fd').length;
    j.save(s);
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
    expect(readFileSync(j.path, 'utf8')).toBe(JSON.stringify(s));
    expect(statSync(j.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(j.dir)).toEqual(['k.json']);
    expect(j.load()).toEqual(s);
  });

  it('remove() takes the journal and a left temp file, and is fine when there is none', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    expect(() => j.remove()).not.toThrow();
    writeFileSync(j.path, '{}');
    writeFileSync(`${j.path}.tmp`, '{}');
    writeFileSync(join(j.dir, 'other'), 'x');
    j.remove();
    expect(readdirSync(j.dir)).toEqual(['other']);
  });

  it('load(): none, invalid JSON, another version, and an unreadable path each say so', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    expect(j.load()).toBeUndefined();

    writeFileSync(j.path, '{not json');
    const bad = caught(() => j.load()) as CliError;
    expect(bad).toBeInstanceOf(CliError);
    expect(bad.message).toBe(`the restock journal ${j.path} is not valid JSON`);
    expect(bad.hint).toBe(`it was left untouched; ${startingOver}`);
    expect(bad.exitCode).toBe(1);
    expect(readFileSync(j.path, 'utf8')).toBe('{not json');

    writeFileSync(j.path, JSON.stringify({ ...state(), version: 1 }));
    const old = caught(() => j.load()) as CliError;
    expect(old).toBeInstanceOf(CliError);
    expect(old.message).toBe(
      `the restock journal ${j.path} has version 1; this astrosell reads ${JOURNAL_VERSION}`,
    );
    expect(old.hint).toBe(`finish it with the astrosell that wrote it; ${startingOver}`);
    expect(old.exitCode).toBe(1);

    // Not ENOENT: the error is not taken for "no journal".
    rmSync(j.path);
    mkdirSync(j.path);
    expect((caught(() => j.load()) as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});

describe('isRunning', () => {
  it('is true for a running pid and false for one that is gone', async () => {
    expect(isRunning(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((r) => child.on('exit', r));
    expect(isRunning(pid)).toBe(false);
    expect(isRunning(DEAD)).toBe(false);
  });
});

describe('Journal.lock', () => {
  it('creates the lock (pid, token, mode 0600) and leaves no temp file', () => {
    const j = journal();
    j.lock(4321, () => false);
    const text = readFileSync(j.lockPath, 'utf8');
    expect(text).toMatch(/^4321 [0-9a-f]{16}\n$/);
    expect(statSync(j.lockPath).mode & 0o777).toBe(0o600);
    expect(statSync(j.dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
    j.unlock();
    expect(readdirSync(j.dir)).toEqual([]);
  });

  it('refuses a lock held by a live process, naming its pid and the lock', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${LIVE} abcd\n`);
    const seen: number[] = [];
    const error = caught(() =>
      j.lock(4321, (p) => {
        seen.push(p);
        return p === LIVE;
      }),
    ) as CliError;
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe(
      `another restock of the same target and input is running (pid ${LIVE})`,
    );
    expect(error.hint).toBe(`wait for it to finish; if it is gone, remove ${j.lockPath}`);
    expect(error.exitCode).toBe(1);
    expect(seen).toEqual([LIVE]);
    expect(readFileSync(j.lockPath, 'utf8')).toBe(`${LIVE} abcd\n`);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it('refuses a lock held by a real live child process (default liveness check)', async () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1e5)']);
    try {
      writeFileSync(j.lockPath, `${child.pid} t\n`);
      expect(() => j.lock()).toThrow(
        `another restock of the same target and input is running (pid ${child.pid})`,
      );
    } finally {
      child.kill();
      await new Promise((r) => child.on('exit', r));
    }
    // Gone now: stale, taken over.
    j.lock();
    expect(readFileSync(j.lockPath, 'utf8')).toMatch(
      new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`),
    );
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it.each([
    ['a dead pid', `${DEAD} x\n`],
    ['our own pid', '4321 old\n'],
    ['pid 0', '0 x\n'],
    ['a negative pid', '-5 x\n'],
    ['no pid', 'garbage\n'],
  ])('takes over a stale lock holding %s, leaving no takeover or temp file', (_, content) => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, content);
    // Everything but DEAD "runs": only the rules about the pid decide.
    j.lock(4321, (p) => p !== DEAD);
    expect(readFileSync(j.lockPath, 'utf8')).toMatch(/^4321 [0-9a-f]{16}\n$/);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it('takes over pid 0 with the default liveness check (kill(0) would say "running")', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, '0 x\n');
    j.lock();
    expect(readFileSync(j.lockPath, 'utf8').split(' ')[0]).toBe(String(process.pid));
  });

  it('gives up after 50 attempts while a live process holds the takeover file', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    writeFileSync(`${j.lockPath}.takeover`, `${LIVE} y\n`);
    const seen: number[] = [];
    const error = caught(() =>
      j.lock(4321, (p) => {
        seen.push(p);
        if (seen.length > 200) throw new Error('looping');
        return p === LIVE;
      }),
    ) as CliError;
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe(`cannot take the lock ${j.lockPath}`);
    expect(error.exitCode).toBe(1);
    expect(seen.length).toBe(100);
    expect(seen.slice(0, 4)).toEqual([DEAD, LIVE, DEAD, LIVE]);
    // Neither the stale lock nor the live takeover was touched.
    expect(readFileSync(j.lockPath, 'utf8')).toBe(`${DEAD} x\n`);
    expect(readFileSync(`${j.lockPath}.takeover`, 'utf8')).toBe(`${LIVE} y\n`);
    expect(readdirSync(j.dir).sort()).toEqual(['k.lock', 'k.lock.takeover']);
  });

  it.each([
    ['pid 0', '0 y\n'],
    ['a negative pid', '-3 y\n'],
    ['no pid', 'garbage\n'],
  ])('never removes a takeover file holding %s', (_, content) => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    writeFileSync(`${j.lockPath}.takeover`, content);
    const seen: number[] = [];
    const error = caught(() =>
      j.lock(4321, (p) => {
        seen.push(p);
        if (seen.length > 200) throw new Error('looping');
        return false;
      }),
    ) as CliError;
    expect(error.message).toBe(`cannot take the lock ${j.lockPath}`);
    // Only the lock's pid is asked about, once an attempt.
    expect(seen).toEqual(Array(50).fill(DEAD));
    expect(readFileSync(`${j.lockPath}.takeover`, 'utf8')).toBe(content);
  });

  it('removes a takeover file left by a dead process, then takes the stale lock', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    writeFileSync(`${j.lockPath}.takeover`, `${DEAD + 1} y\n`);
    const seen: number[] = [];
    j.lock(4321, (p) => {
      seen.push(p);
      return false;
    });
    // Attempt 1: lock stale, takeover's holder dead (removed). Attempt 2:
    // lock stale again, takeover ours, lock removed. Attempt 3: linked.
    expect(seen).toEqual([DEAD, DEAD + 1, DEAD]);
    expect(readFileSync(j.lockPath, 'utf8')).toMatch(/^4321 [0-9a-f]{16}\n$/);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it('does not remove a lock that changed after it was judged stale', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    const seen: number[] = [];
    const error = caught(() =>
      j.lock(4321, (p) => {
        seen.push(p);
        // Another run took the lock over meanwhile.
        if (p === DEAD) writeFileSync(j.lockPath, `${LIVE} fresh\n`);
        return p === LIVE;
      }),
    ) as CliError;
    expect(error.message).toBe(
      `another restock of the same target and input is running (pid ${LIVE})`,
    );
    expect(seen).toEqual([DEAD, LIVE]);
    expect(readFileSync(j.lockPath, 'utf8')).toBe(`${LIVE} fresh\n`);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it('passes on an error of the takeover link other than EEXIST', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    const error = caught(() =>
      j.lock(4321, () => {
        // Our temp file vanishes: the takeover's link() fails with ENOENT.
        for (const f of mineFiles(j)) rmSync(join(j.dir, f));
        return false;
      }),
    ) as NodeJS.ErrnoException & { dest?: string };
    expect(error.code).toBe('ENOENT');
    expect(error.syscall).toBe('link');
    expect(error.dest).toBe(`${j.lockPath}.takeover`);
    expect(readdirSync(j.dir)).toEqual(['k.lock']);
  });

  it('passes on an error of the lock link other than EEXIST', () => {
    const j = journal();
    mkdirSync(j.dir, { recursive: true });
    writeFileSync(j.lockPath, `${DEAD} x\n`);
    writeFileSync(`${j.lockPath}.takeover`, `${LIVE} y\n`);
    const seen: number[] = [];
    const error = caught(() =>
      j.lock(4321, (p) => {
        seen.push(p);
        // While the takeover's holder is asked about, our temp file vanishes:
        // the next link() of the lock fails with ENOENT.
        if (p === LIVE) for (const f of mineFiles(j)) rmSync(join(j.dir, f));
        return p === LIVE;
      }),
    ) as NodeJS.ErrnoException & { dest?: string };
    expect(error.code).toBe('ENOENT');
    expect(error.syscall).toBe('link');
    expect(error.dest).toBe(j.lockPath);
    expect(seen).toEqual([DEAD, LIVE]);
  });
});

describe('Journal.unlock', () => {
  it('removes only its own lock', () => {
    const j = journal();
    j.lock(4321, () => false);
    // Not locked by this Journal: someone else's lock stays.
    const other = new Journal(j.dir, 'k');
    other.unlock();
    expect(existsSync(j.lockPath)).toBe(true);
    // Ours replaced by another run's: it stays too.
    writeFileSync(j.lockPath, '77 other\n');
    j.unlock();
    expect(readFileSync(j.lockPath, 'utf8')).toBe('77 other\n');
    // Ours: removed, and a second unlock does nothing.
    rmSync(j.lockPath);
    j.lock(4321, () => false);
    j.unlock();
    expect(existsSync(j.lockPath)).toBe(false);
    writeFileSync(j.lockPath, '77 other\n');
    j.unlock();
    expect(readFileSync(j.lockPath, 'utf8')).toBe('77 other\n');
  });
});
