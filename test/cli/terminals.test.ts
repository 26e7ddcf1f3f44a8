// Mixed terminal setups, in-process: each of stdin, stdout and stderr is a
// terminal or not on its own, and each decision follows the stream it is
// about. Tables and colour follow stdout; the error line's colour follows
// stderr; prompts need stdin and stderr both to be terminals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { runMain, type Terminals } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { checkRun, ESC } from './guard.js';

let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

const run = async (
  args: string[],
  tty: Terminals,
  opts: { input?: string; env?: Record<string, string> } = {},
) =>
  checkRun(
    args,
    await runMain(args, { env: { ...shop.env, ...opts.env }, tty, input: opts.input }),
    [shop.key],
  );

const tsvRows = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));

describe('stdout piped, stderr a terminal (`astrosell coupons list > file` from a shell)', () => {
  for (const stdin of [false, true]) {
    it(`coupons list writes tab-separated rows, no colour, no header${stdin ? ' (stdin a terminal too)' : ''}`, async () => {
      const r = await run(['coupons', 'list'], { stdin, stdout: false, stderr: true });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).not.toMatch(/[│┌─]/);
      const rows = tsvRows(r.stdout);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((row) => row[0])).toContain('LAUNCH10');
      expect(rows.every((row) => row.length === rows[0]!.length && row.length > 1)).toBe(true);
      expect(r.stdout).not.toMatch(/^code\b/im);
    });
  }

  it('warehouses list: the low pool is not painted on stdout', async () => {
    const r = await run(['warehouses', 'list'], { stdout: false, stderr: true });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toContain(`${DEMO.lowStockWarehouse}\t`);
  });

  it('an error line on stderr is still red (stderr is the terminal)', async () => {
    const r = await run(['orders', 'get', 'AS-NOPE00'], { stdout: false, stderr: true });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${ESC}31merror:${ESC}39m Order not found\n`);
  });
});

describe('stdout a terminal, stderr piped (`astrosell coupons list 2> log`)', () => {
  it('stdout keeps its table', async () => {
    const r = await run(['coupons', 'list'], { stdout: true, stderr: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LAUNCH10/);
    expect(r.stdout).not.toContain('\t');
    expect(r.stdout.split('\n')[0]).toMatch(/code/i);
  });

  it('the error line in the log is plain', async () => {
    const r = await run(['orders', 'get', 'AS-NOPE00'], { stdout: true, stderr: false });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: Order not found\n');
  });
});

describe('prompts need stdin and stderr both terminals', () => {
  it('stdin a terminal, stderr piped: keys add does not prompt, exit 2 naming the pipe', async () => {
    for (const stdout of [false, true]) {
      const r = await run(['keys', 'add', 'ci'], { stdin: true, stdout, stderr: false });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('API key for profile');
      expect(r.stderr.split('\n')[0]).toBe('error: no key given: pipe it on standard input');
    }
  }, 5_000); // a prompt would wait for keys that never come

  it('stdin a terminal, stderr piped: warehouses create without --name does not prompt, exit 2 naming --name', async () => {
    const before = shop.sandbox.store.warehouses.size;
    const r = await run(['warehouses', 'create'], { stdin: true, stdout: true, stderr: false });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Name/);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: .*--name/);
    expect(shop.sandbox.store.warehouses.size).toBe(before);
  }, 5_000);

  it('both terminals but --no-input: exit 2, no prompt', async () => {
    const r = await run(['warehouses', 'create', '--no-input'], {
      stdin: true,
      stdout: true,
      stderr: true,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--name/);
  });

  it('stdin piped, stderr a terminal: keys add reads the key from stdin, no prompt', async () => {
    const key = 'nsk_test_fromstdin00000000001';
    const r = await run(
      ['keys', 'add', 'piped', '--no-verify'],
      { stdin: false, stdout: false, stderr: true },
      { input: `${key}\n` },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('API key for profile');
    const list = await run(['keys', 'list', '--json'], {});
    expect(list.stdout).toContain('nsk_test_…0001');
  });
});

describe('warehouses check at the threshold', () => {
  it('count == lowStockThreshold is low (exit 8); one above is not (exit 0)', async () => {
    const own = await startTestShop({ empty: true });
    try {
      const w = own.sandbox.store.createWarehouse({
        name: 'edge',
        removeDuplicates: true,
        removeSold: true,
        lowStockThreshold: 3,
      });
      own.sandbox.store.addStock(w.pool, 'A\nB\nC\n', true);
      const args = ['warehouses', 'check', '--json'];
      const at = checkRun(args, await runMain(args, { env: own.env }), [own.key]);
      expect(at.code).toBe(8);
      expect(JSON.parse(at.stdout)).toEqual({
        ok: false,
        checked: 1,
        low: [{ kind: 'warehouse', id: w.id, name: 'edge', count: 3, threshold: 3 }],
      });
      own.sandbox.store.addStock(w.pool, 'D\n', true);
      const above = checkRun(args, await runMain(args, { env: own.env }), [own.key]);
      expect(above.code).toBe(0);
      expect(JSON.parse(above.stdout)).toEqual({ ok: true, checked: 1, low: [] });
    } finally {
      await own.close();
    }
  });
});
