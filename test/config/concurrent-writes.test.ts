// No lost updates: every write of the config file is a read-modify-write
// under a lock held across processes. Parallel CI steps on one runner add
// their profiles at the same moment; every one of them must be there after.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configLock, openProfileStore } from '../../src/config/store.js';
import { CliError } from '../../src/errors.js';
import { runBin, tempDir } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function configDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'astrosell');
}
const posix = process.platform !== 'win32';
const onDisk = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
    defaultProfile?: string;
    profiles: Record<string, { key: string }>;
  };

/** A process that stays alive until killed: the holder of a lock. */
function holder(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}
const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('config writes', () => {
  it('a store opened before another command wrote keeps that command’s profile', async () => {
    const dir = configDir();
    const first = await openProfileStore(dir);
    const second = await openProfileStore(dir);
    first.set('one', { key: 'nsk_test_one_aaaaaaaaaaaa' });
    second.set('two', { key: 'nsk_test_two_aaaaaaaaaaaa' });
    second.setDefault('one');
    expect(Object.keys(onDisk(dir).profiles).sort()).toEqual(['one', 'two']);
    expect(onDisk(dir).defaultProfile).toBe('one');
    // A removal judged on a stale view removes what is there now, nothing else.
    expect(first.remove('two')).toBe(true);
    expect(Object.keys(onDisk(dir).profiles)).toEqual(['one']);
  });

  it('twelve `keys add` at once, as separate processes: all twelve profiles are kept', async () => {
    const dir = configDir();
    const names = Array.from({ length: 12 }, (_, i) => `step${i}`);
    const runs = await Promise.all(
      names.map((name, i) =>
        runBin(['keys', 'add', name, '--no-verify'], {
          env: { ASTROSELL_CONFIG_DIR: dir },
          input: `nsk_test_parallel_${String(i).padStart(8, '0')}\n`,
          timeoutMs: 60_000,
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const saved = onDisk(dir);
    expect(Object.keys(saved.profiles).sort()).toEqual([...names].sort());
    for (const [i, name] of names.entries()) {
      expect(saved.profiles[name]?.key).toBe(`nsk_test_parallel_${String(i).padStart(8, '0')}`);
    }
    expect(names).toContain(saved.defaultProfile);
    if (posix) expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    // Nothing left behind: no lock, no temporary file.
    expect(readdirSync(dir)).toEqual(['config.json']);
  }, 90_000);

  it('a lock left by a process that was killed does not block the next write', async () => {
    const dir = configDir();
    (await openProfileStore(dir)).set('before', { key: 'nsk_test_before_aaaaaaaa' });
    const gone = holder();
    configLock(dir).lock(gone.pid!);
    expect(existsSync(join(dir, 'config.json.lock'))).toBe(true);
    await killed(gone);
    const r = await runBin(['keys', 'add', 'after', '--no-verify'], {
      env: { ASTROSELL_CONFIG_DIR: dir },
      input: 'nsk_test_after_aaaaaaaaa\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(onDisk(dir).profiles).sort()).toEqual(['after', 'before']);
    expect(existsSync(join(dir, 'config.json.lock'))).toBe(false);
  });

  it('a lock a live process keeps past the wait is a one-line error, and nothing is written', async () => {
    const dir = configDir();
    (await openProfileStore(dir)).set('kept', { key: 'nsk_test_kept_aaaaaaaaaa' });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const busy = holder();
    configLock(dir).lock(busy.pid!);
    const store = await openProfileStore(dir, { lockWaitMs: 300 });
    const started = Date.now();
    let error: unknown;
    try {
      store.set('late', { key: 'nsk_test_late_aaaaaaaaaa' });
    } catch (e) {
      error = e;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(CliError);
    const e = error as CliError;
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain(`pid ${busy.pid}`);
    expect(e.message).toContain('nothing was changed');
    expect(e.message).not.toContain('\n');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });
});
