// One restock per pool on this machine (src/restock/pool-lock.ts): the rules
// of its lock, in-process. A second restock into the same pool is refused,
// naming the first one's pid and what it restocks, and where its lock is; a
// restock into another pool, or of the same pool at another service, is not.
// The lock folder is shared by every user of the machine. Real processes
// racing for it: lock-race.test.ts.
import { statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { poolLock, poolLockDir, poolLockPath } from '../../src/restock/pool-lock.js';
import type { Target } from '../../src/restock/target.js';
import { tempDir } from '../helpers/cli.js';

const URL = 'https://api.astrosell.io/api/v1';
const FIRST = 4242;
const SECOND = 5151;
const running = (pid: number) => pid === FIRST || pid === SECOND;

const warehouse = (id: string) => ({ kind: 'warehouse', id, poolId: `warehouse:${id}` }) as Target;
const drawing = (id: string, from: string) =>
  ({ kind: 'product', id, poolId: `warehouse:${from}` }) as Target;

let tmp: { dir: string; cleanup: () => void };
let tmpdirBefore: string | undefined;
beforeEach(() => {
  tmp = tempDir('astrosell-pool-lock-');
  tmpdirBefore = process.env.TMPDIR;
  process.env.TMPDIR = tmp.dir;
});
afterEach(() => {
  if (tmpdirBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdirBefore;
  tmp.cleanup();
});

/** The refusal of a second restock while the first holds the lock. */
function refusal(first: [Target, string[]], second: [Target, string[]], url = URL) {
  poolLock(URL, ...first).lock(FIRST, running);
  try {
    poolLock(url, ...second).lock(SECOND, running);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  return undefined;
}

describe('one restock per pool', () => {
  it('a second restock into the pool is refused, naming the first: its pid, the product, the pool it draws from, its first input and how many more', () => {
    const e = refusal(
      [drawing('p1', 'w1'), ['/home/op/keys.txt', 'b.txt', 'c.txt']],
      [warehouse('w1'), ['-']],
    );
    expect(e?.message).toBe(
      'another restock into the same pool is running (pid 4242: product p1 (warehouse w1) from keys.txt and 2 more)',
    );
    expect(e?.exitCode).toBe(1);
    expect(e?.hint).toContain(`remove ${poolLockPath(URL, 'warehouse:w1')}`);
  });

  it('a restock of the pool itself names it once; standard input is said so', () => {
    const e = refusal([warehouse('w1'), ['-']], [drawing('p1', 'w1'), ['keys.txt']]);
    expect(e?.message).toMatch(/\(pid 4242: warehouse w1 from standard input\)$/);
  });

  it('one input is named alone', () => {
    const e = refusal([warehouse('w1'), ['keys.txt']], [warehouse('w1'), ['keys.txt']]);
    expect(e?.message).toMatch(/\(pid 4242: warehouse w1 from keys\.txt\)$/);
  });

  it('another pool, or the same pool id at another service, is not refused', () => {
    expect(refusal([warehouse('w1'), ['a.txt']], [warehouse('w2'), ['a.txt']])).toBeUndefined();
    expect(
      refusal(
        [warehouse('w3'), ['a.txt']],
        [warehouse('w3'), ['a.txt']],
        'http://127.0.0.1:1/api/v1',
      ),
    ).toBeUndefined();
  });

  it('lives in one folder every user shares (sticky, open to all) whatever the umask; each lock readable by all, so a refused run of another user can name the holder', () => {
    // A strict umask where it can be set (not in the worker threads of a mutation run: there the usual 022 narrows as well).
    const before = isMainThread ? process.umask(0o077) : undefined;
    try {
      poolLock(URL, warehouse('w1'), ['a.txt']).lock(FIRST, running);
    } finally {
      if (before !== undefined) process.umask(before);
    }
    expect(statSync(poolLockDir()).mode & 0o7777).toBe(0o1777);
    expect(statSync(poolLockPath(URL, 'warehouse:w1')).mode & 0o777).toBe(0o644);
  });
});
