// `astrosell stats`: what it counts (pure, on hand-made orders), and how it
// prints: a terminal gets charts that fit its width, a pipe gets rows, --json
// and --format csv are for scripts; over the history, else the newest 200.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, type Fact } from '../../src/commands/stats/aggregate.js';
import { runBin, runMain, runTerminal, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const at = (iso: string) => Date.parse(iso);
const fact = (iso: string, currency: string, total: number, status = 'completed'): Fact => ({
  at: at(iso),
  status,
  currency,
  total,
  product: 'P',
  gateway: 'stripe',
});

describe('what stats counts', () => {
  const range = {
    from: at('2026-06-01'),
    to: at('2026-06-04'),
    period: 'day' as const,
    source: 'history' as const,
  };

  it('revenue is per currency, from completed orders only; orders count every status', () => {
    const s = aggregate(
      [
        fact('2026-06-01T10:00:00Z', 'USD', 10.1),
        fact('2026-06-01T11:00:00Z', 'USD', 0.2),
        fact('2026-06-01T12:00:00Z', 'EUR', 5),
        fact('2026-06-01T13:00:00Z', 'USD', 99, 'refunded'),
        fact('2026-06-01T14:00:00Z', 'USD', 99, 'pending'),
      ],
      range,
    );
    expect(s.periods[0]).toEqual({ key: '2026-06-01', orders: 5, revenue: { USD: 10.3, EUR: 5 } });
    expect(s.totals.revenue).toEqual({ USD: 10.3, EUR: 5 });
  });

  it('every period of the range is listed, empty ones too; outside the range is not counted', () => {
    const s = aggregate(
      [fact('2026-06-03T23:59:59Z', 'USD', 1), fact('2026-06-04T00:00:00Z', 'USD', 1)],
      range,
    );
    expect(s.periods.map((p) => [p.key, p.orders])).toEqual([
      ['2026-06-01', 0],
      ['2026-06-02', 0],
      ['2026-06-03', 1],
    ]);
  });

  it('weeks start on Monday, months on the 1st (UTC)', () => {
    const facts = [fact('2026-06-07T23:00:00Z', 'USD', 1), fact('2026-06-08T01:00:00Z', 'USD', 1)];
    const weeks = aggregate(facts, { ...range, period: 'week', to: at('2026-06-15') });
    expect(weeks.periods.map((p) => [p.key, p.orders])).toEqual([
      ['2026-06-01', 1],
      ['2026-06-08', 1],
    ]);
    const months = aggregate(facts, { ...range, period: 'month', to: at('2026-07-01') });
    expect(months.periods.map((p) => [p.key, p.orders])).toEqual([['2026-06', 2]]);
  });

  it('the refund rate is refunded among orders paid for (completed or refunded)', () => {
    const s = aggregate(
      [
        fact('2026-06-01T10:00:00Z', 'USD', 1),
        fact('2026-06-01T10:00:00Z', 'USD', 1),
        fact('2026-06-01T10:00:00Z', 'USD', 1),
        fact('2026-06-01T10:00:00Z', 'USD', 1, 'refunded'),
        fact('2026-06-01T10:00:00Z', 'USD', 1, 'expired'),
      ],
      range,
    );
    expect(s.refunds).toEqual({ refunded: 1, paid: 4, rate: 0.25 });
    expect(aggregate([], range).refunds.rate).toBeNull();
  });
});

describe('astrosell stats', () => {
  let shop: TestShop;
  let tmp: { dir: string; cleanup: () => void };
  let db: string;
  beforeAll(async () => {
    shop = await startTestShop({ history: 600 });
    tmp = tempDir('astrosell-stats-');
    db = join(tmp.dir, 'h.sqlite');
    expect([0, 10]).toContain(
      (await runBin(['orders', 'sync', '--db', db], { env: shop.env })).code,
    );
  });
  afterAll(async () => {
    await shop.close();
    tmp.cleanup();
  });

  it('piped: one tab-separated row per period and group, a column of revenue per currency', async () => {
    const r = await runMain(['stats', '--db', db, '--since', '2d'], { env: shop.env });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['section', 'key', 'orders']);
    expect(header.slice(3).every((h) => /^revenue [A-Z]{3}$/.test(h))).toBe(true);
    const total = rows.find((row) => row[0] === 'total')!;
    const days = rows.filter((row) => row[0] === 'day');
    expect(days.length).toBe(3);
    expect(days.reduce((n, d) => n + Number(d[2]), 0)).toBe(Number(total[2]));
    expect(r.stderr).toBe('');
  });

  it('--json and --format csv carry the same counts', async () => {
    const j = await runMain(['stats', '--db', db, '--by', 'week', '--json'], { env: shop.env });
    const stats = JSON.parse(j.stdout);
    expect(stats.source).toBe('history');
    const c = await runMain(['stats', '--db', db, '--by', 'week', '--format', 'csv'], {
      env: shop.env,
    });
    const total = c.stdout.split('\r\n').find((l) => l.startsWith('total,'))!;
    expect(total.split(',')[2]).toBe(String(stats.totals.orders));
  });

  it('on a terminal: sparklines and bars within the width, no colour under NO_COLOR', async () => {
    for (const columns of [80, 120]) {
      const r = await runTerminal(['stats', '--db', db], {
        env: { ...shop.env, NO_COLOR: '1' },
        columns,
      });
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(r.stdout).not.toMatch(/\x1b\[/);
      expect(r.stdout).toMatch(/^orders {2}[ ▁▂▃▄▅▆▇█]+ {2}[\d,]+ orders$/m);
      expect(r.stdout).toMatch(/█/);
      expect(r.stdout).toContain('over the local history');
    }
  });

  it('without a history: over the newest 200, said on stderr when piped', async () => {
    const r = await runMain(['stats', '--json'], { env: shop.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toBe('newest');
    expect(r.stderr).toMatch(/^note: over the newest 200 orders only .*astrosell orders sync/);
  });
});
