// `astrosell status`: the morning's screen on a terminal, rows when piped,
// one object with --json; over the history when there is one.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain, runTerminal, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let tmp: { dir: string; cleanup: () => void };
let db: string;

beforeAll(async () => {
  shop = await startTestShop();
  tmp = tempDir('astrosell-status-');
  db = join(tmp.dir, 'h.sqlite');
  const s = shop.sandbox.store;
  const file = [...s.products.values()].find((p) => p.type === 'file')!;
  for (let i = 0; i < 5; i++) s.purchase(file.id, 1, 'b@example.com'); // 5 orders today, 2.00 EUR each
  expect((await runMain(['orders', 'sync', '--db', db], { env: shop.env })).code).toBe(0);
});
afterAll(async () => {
  await shop.close();
  tmp.cleanup();
});

describe('astrosell status', () => {
  it("--json: today's orders and revenue, the low pools, the open orders", async () => {
    const r = await runMain(['status', '--db', db, '--json'], { env: shop.env });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.today).toMatchObject({ orders: 5, revenue: { EUR: 10 } });
    expect(s.last14Days.length).toBe(14);
    expect(s.source).toMatch(/^local history/);
    // The demo's Spotify pool sits at its threshold; its open orders are 2 pending, 1 processing.
    expect(s.stock.map((h: { name: string; low: boolean }) => [h.name, h.low])).toContainEqual([
      'Spotify Family pool',
      true,
    ]);
    expect(s.open.count).toBe(3);
  });

  it('on a terminal: one screen within the width', async () => {
    for (const columns of [80, 120]) {
      const r = await runTerminal(['status', '--db', db], {
        env: { ...shop.env, NO_COLOR: '1' },
        columns,
      });
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(r.stdout).toMatch(/^Today +5 orders +€10\.00$/m);
      expect(r.stdout).toMatch(/^14 days +[ ▁▂▃▄▅▆▇█]{14} {2}orders/m);
      expect(r.stdout).toMatch(/^Open orders: 3 \(2 pending, 1 processing\)$/m);
    }
  });

  it('piped: tab-separated rows', async () => {
    const r = await runMain(['status', '--db', db], { env: shop.env });
    expect(r.stdout.split('\n')).toContain('today\torders\t5');
    expect(r.stdout.split('\n')).toContain('open\torders\t3');
  });

  it('without a history it reads the newest orders, and says so', async () => {
    const r = await runMain(['status', '--json'], { env: shop.env });
    expect(JSON.parse(r.stdout).source).toMatch(/^the newest 17 orders only/);
  });
});
