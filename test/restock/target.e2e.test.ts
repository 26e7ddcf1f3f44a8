// The target of a restock, against a sandbox: named by id or name, and read
// by `--dry-run` as a CI pre-flight. `--dry-run` reads the target as
// the real run would, and says how many serials a pool that drops duplicates
// already holds; `--offline` checks the input alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type Shop, shop } from './e2e.js';

let s: Shop;
beforeAll(async () => {
  s = await shop();
});
afterAll(async () => {
  await s.close();
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('restock --dry-run', () => {
  it('an unknown warehouse fails as the real run would (exit 4), and nothing is sent', async () => {
    const f = s.file('a.txt', 'A1\nA2\n');
    const r = await runMain(['warehouses', 'restock', '0123456789abcdef01234567', f, '--dry-run'], {
      env: s.env,
    });
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: no warehouse with the id or name "0123456789abcdef01234567"',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('into a pool that drops duplicates: how many of the input it already holds, counted once each', async () => {
    const w = s.warehouse({ removeDuplicates: true });
    s.sandbox.store.warehouses.get(w)!.pool.add(['K1', 'K2', 'OTHER'], false, 1000);
    const f = s.file('b.txt', 'K1\nK2\nK2\nK3\n');
    const r = await runMain(['warehouses', 'restock', w, f, '--dry-run', '--json'], { env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      dryRun: true,
      wouldSend: 4,
      alreadyInPool: 2,
      poolTotal: 3,
    });
    expect(s.items(w)).toEqual(['K1', 'K2', 'OTHER']);
    // On a terminal-less run without --json the report says it in words.
    const text = await runMain(['warehouses', 'restock', w, f, '--dry-run'], { env: s.env });
    expect(text.stderr).toMatch(/already in the pool\s+2 /);
  });

  it('into a pool that keeps duplicates nothing is compared: every serial would be added', async () => {
    const w = s.warehouse({ removeDuplicates: false });
    s.sandbox.store.warehouses.get(w)!.pool.add(['K1'], false, 1000);
    const f = s.file('c.txt', 'K1\nK2\n');
    const r = await runMain(['warehouses', 'restock', w, f, '--dry-run', '--json'], { env: s.env });
    expect(r.code, r.stderr).toBe(0);
    const sum = json(r.stdout);
    expect(sum).toMatchObject({ wouldSend: 2, removeDuplicates: false });
    expect(sum.alreadyInPool).toBeUndefined();
  });

  it('--offline checks the input only: no key, no service needed', async () => {
    const f = s.file('d.txt', 'A1\nA2\n');
    const env = {
      ASTROSELL_CONFIG_DIR: s.env.ASTROSELL_CONFIG_DIR,
      ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1',
    };
    const r = await runMain(
      ['warehouses', 'restock', 'nope', f, '--dry-run', '--offline', '--json'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ dryRun: true, wouldSend: 2, removeDuplicates: null });
  });

  it('--offline without --dry-run is a usage error (exit 2)', async () => {
    const f = s.file('e.txt', 'A1\n');
    const w = s.warehouse();
    const r = await runMain(['warehouses', 'restock', w, f, '--offline'], { env: s.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --offline goes with --dry-run only\n/);
    expect(s.items(w)).toEqual([]);
  });
});

describe('restock by name', () => {
  it('a warehouse named by its exact name is restocked by its id', async () => {
    const w = s.warehouse();
    s.sandbox.store.warehouses.get(w)!.name = 'Only Pool Called This';
    const f = s.file('n.txt', 'N1\nN2\n');
    const r = await runMain(['warehouses', 'restock', 'Only Pool Called This', f, '--json'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ target: { id: w }, added: 2 });
    expect(s.items(w)).toEqual(['N1', 'N2']);
  });

  it('a name two warehouses share is exit 2 listing both, and nothing is sent', async () => {
    const a = s.warehouse();
    const b = s.warehouse();
    s.sandbox.store.warehouses.get(a)!.name = 'Twin';
    s.sandbox.store.warehouses.get(b)!.name = 'Twin';
    const f = s.file('t.txt', 'T1\n');
    const r = await runMain(['warehouses', 'restock', 'Twin', f], { env: s.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: "Twin" names 2 warehouses: /);
    expect(r.stderr).toContain(a);
    expect(r.stderr).toContain(b);
    expect(s.items(a).concat(s.items(b))).toEqual([]);
  });

  it('a name that matches nothing: the error says what was asked for and where to look', async () => {
    const f = s.file('x.txt', 'X1\n');
    const r = await runMain(['warehouses', 'restock', 'No Such Pool', f], { env: s.env });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      'error: no warehouse with the id or name "No Such Pool"\nhint: astrosell warehouses list shows them\n',
    );
  });
});
