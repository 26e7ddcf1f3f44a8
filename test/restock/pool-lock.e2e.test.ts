// One restock per pool on this machine: a second restock into a pool that
// a live run is restocking is refused (exit 1) naming that run's pid and
// what it restocks, even with another input and another config folder, and
// whether it names the warehouse or a product drawing from it. A lock left
// by a run that is gone is taken over. The held run is a child process kept
// busy by a slow sandbox; the refused ones run in-process (another pid).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolLockPath } from '../../src/restock/pool-lock.js';
import { BIN, cleanEnv, ROOT, runMain, tempDir } from '../helpers/cli.js';
import { type Shop, serials, shop } from './e2e.js';

let s: Shop;
let w: string;
let held: { child: ChildProcess; exited: Promise<number | null> };
const otherConfig = tempDir();

beforeAll(async () => {
  s = await shop({ faults: { latencyMs: 40 } });
  w = s.warehouse();
  // Held: a restock of w sending 10 serials a request, 40 ms a request.
  const f = s.file('held.txt', serials(5000, 'HELD').join('\n'));
  const child = spawn(
    process.execPath,
    [BIN, 'warehouses', 'restock', w, f, '--batch-size', '10'],
    {
      env: cleanEnv(s.env),
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  held = { child, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  while (s.items(w).length < 20) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  // Ctrl-C: it stops at a unit boundary and releases its locks.
  held.child.kill('SIGINT');
  const timer = setTimeout(() => held.child.kill('SIGKILL'), 15_000);
  await held.exited;
  clearTimeout(timer);
  await s.close();
  otherConfig.cleanup();
});

/** Env of another user of the same shop: its own config folder. */
const elsewhere = () => ({ ...s.env, ASTROSELL_CONFIG_DIR: otherConfig.dir });

describe('a second restock into a pool being restocked', () => {
  it('is refused, with another input and another config folder, naming the running one', async () => {
    const f = s.file('second.txt', serials(3, 'SECOND').join('\n'));
    const r = await runMain(['warehouses', 'restock', w, f], { env: elsewhere() });
    expect(r.code, r.stderr).toBe(1);
    const line = r.stderr.split('\n')[0]!;
    expect(line).toMatch(/^error: another restock into the same pool is running/);
    expect(line).toContain(`pid ${held.child.pid}`);
    expect(line).toContain(`warehouse ${w} from held.txt`);
    expect(s.items(w).filter((x) => x.startsWith('SECOND'))).toEqual([]);
  });

  it('is refused when it names a product drawing from the warehouse', async () => {
    const p = s.product(w);
    const f = s.file('product.txt', serials(3, 'VIA-PRODUCT').join('\n'));
    const r = await runMain(['products', 'restock', p, f], { env: elsewhere() });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: .*same pool.*pid ${held.child.pid}`));
    expect(s.items(w).filter((x) => x.startsWith('VIA-PRODUCT'))).toEqual([]);
  });

  it('does not stop a restock into another pool of the same shop', async () => {
    const other = s.warehouse();
    const f = s.file('other.txt', serials(3, 'OTHER').join('\n'));
    const r = await runMain(['warehouses', 'restock', other, f], { env: elsewhere() });
    expect(r.code, r.stderr).toBe(0);
    expect(s.items(other)).toEqual(serials(3, 'OTHER'));
  });
});

describe('a lock left behind', () => {
  it('by a run that is gone is taken over, and released when the restock ends', async () => {
    const pool = s.warehouse();
    const lock = poolLockPath(s.sandbox.url, `warehouse:${pool}`);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, `${dead.stdout.toString()} 0123456789abcdef warehouse ${pool} from x\n`);
    const f = s.file('stale.txt', serials(3, 'STALE').join('\n'));
    const r = await runMain(['warehouses', 'restock', pool, f], { env: elsewhere() });
    expect(r.code, r.stderr).toBe(0);
    expect(s.items(pool)).toEqual(serials(3, 'STALE'));
    expect(existsSync(lock)).toBe(false);
  });

  it('lives in a folder every user can create locks in, and no one can remove others from', () => {
    const lock = poolLockPath(s.sandbox.url, `warehouse:${w}`);
    // 0o1777: sticky, and open to everyone.
    expect(statSync(join(lock, '..')).mode & 0o1777).toBe(0o1777);
  });
});
