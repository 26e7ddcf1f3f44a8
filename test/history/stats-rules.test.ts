// `astrosell stats`, rule by rule: what a terminal shows (bars, sparklines,
// tables that fit the width, colour that changes no text), what is counted
// (range edges, ranking, default ranges, orders with missing fields), and
// what the command says about its source, its flags and its rows for
// scripts. In-process throughout: histories are written here, not synced.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/clock.js';
import {
  aggregate,
  defaultFrom,
  type Fact,
  factOf,
  type Stats,
} from '../../src/commands/stats/aggregate.js';
import { bar, drawStats, sparkline } from '../../src/commands/stats/draw.js';
import { EXIT_CODES } from '../../src/errors.js';
import { History } from '../../src/history/db.js';
import { rowOf } from '../../src/history/sync.js';
import { runMain, runTerminal, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** The length of a bar in eighths of a cell, read from its Unicode left blocks. */
function eighths(b: string): number {
  let n = 0;
  for (const ch of b) {
    const cp = ch.codePointAt(0)!;
    if (ch === '█') n += 8;
    else if (cp >= 0x2589 && cp <= 0x258f) n += 0x2590 - cp;
    else throw new Error(`not a bar: ${JSON.stringify(b)}`);
  }
  return n;
}
/** The lower blocks, one eighth to a full cell. */
const LEVELS = Array.from({ length: 8 }, (_, i) => String.fromCodePoint(0x2581 + i));
const plain = (s: string) => s.replace(/\x1b\[\d+m/g, '');

describe('bars and sparklines', () => {
  it('a bar is its share of the largest, in eighths of a cell', () => {
    for (let k = 1; k <= 8; k++) expect(eighths(bar(k, 8, 1))).toBe(k);
    expect(eighths(bar(3, 4, 10))).toBe(60);
    expect(eighths(bar(4, 4, 10))).toBe(80);
  });

  it('any count above zero shows at least an eighth; zero, a zero largest or no room shows none', () => {
    expect(eighths(bar(1, 10_000, 10))).toBe(1);
    for (const [value, max, width] of [
      [0, 4, 10],
      [-1, 4, 10],
      [1, 0, 10],
      [1, 4, 0],
    ] as const) {
      expect(bar(value, max, width)).toBe('');
    }
  });

  it('a sparkline has one character per period, its height relative to the largest', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe(LEVELS.join(''));
    expect(sparkline([5, 10])).toBe(`${LEVELS[3]}${LEVELS[7]}`);
  });

  it('a sparkline leaves a period with nothing blank, even among busy ones', () => {
    expect(sparkline([0, -3, 4])).toBe(`  ${LEVELS[7]}`);
    expect(sparkline([0, 0])).toBe('  ');
  });
});

// A week of a small shop: a busy product in two currencies, a smaller one,
// a pending order of a product whose name is too long for any column.
const LONG = 'The Complete Collector Edition Bundle With Every Expansion';
const week = () => {
  const f = (
    iso: string,
    product: string,
    currency: string,
    total: number,
    status = 'completed',
    gateway = 'stripe',
  ): Fact => ({ at: at(iso), status, currency, total, product, gateway });
  return aggregate(
    [
      f('2026-06-01T10:00:00Z', 'Steam Gift Card', 'USD', 10),
      f('2026-06-02T10:00:00Z', 'Steam Gift Card', 'USD', 10),
      f('2026-06-02T11:00:00Z', 'Steam Gift Card', 'EUR', 5),
      f('2026-06-02T12:00:00Z', 'Steam Gift Card', 'USD', 10, 'refunded'),
      f('2026-06-03T10:00:00Z', 'Netflix', 'EUR', 5, 'completed', 'paypal'),
      f('2026-06-07T10:00:00Z', 'Netflix', 'EUR', 5, 'completed', 'paypal'),
      f('2026-06-07T11:00:00Z', LONG, 'USD', 99, 'pending'),
    ],
    { from: at('2026-06-01'), to: at('2026-06-08'), period: 'day', source: 'history' },
  );
};
const draw = (s: Stats, columns = 100, color = false, note = 'over the local history') =>
  drawStats(s, { columns, color, note });

/** The rows of one table (title line first), by its title. */
function table(text: string, title: string): string[] {
  const block = text
    .trimEnd()
    .split('\n\n')
    .find((b) => b.split('\n')[0]!.split(/\s+/)[0] === title);
  if (!block) throw new Error(`no table ${title} in\n${text}`);
  return block.split('\n');
}
/** A table row: key, orders, bar, revenue cell. */
function row(line: string) {
  const m = /^(.+?) {2,}([\d,]+) ([\u2589-\u258f█]*) *? ?(\S.*)$/.exec(line);
  if (!m) throw new Error(`not a row: ${JSON.stringify(line)}`);
  return { key: m[1]!.trim(), orders: m[2]!, bar: m[3]!, revenue: m[4]!.trim() };
}

describe('stats on a terminal', () => {
  it('opens with the period and the first and last day of the range, then the note', () => {
    const lines = draw(week()).split('\n');
    expect(lines[0]).toBe('Orders and revenue per day, 2026-06-01 to 2026-06-08 (UTC)');
    expect(lines[1]).toBe('over the local history');
  });

  it('sections are apart: charts, then a table per period, product, gateway and status', () => {
    const blocks = draw(week()).trimEnd().split('\n\n');
    expect(blocks.map((b) => b.split('\n')[0]!.split(/\s+/)[0])).toEqual([
      'Orders',
      'orders',
      'day',
      'product',
      'gateway',
      'status',
    ]);
  });

  it('colour changes no text: the same words, with the charts and heading coloured', () => {
    const s = week();
    const coloured = draw(s, 100, true);
    expect(draw(s, 100, false)).not.toMatch(/\x1b\[/);
    expect(plain(coloured)).toBe(draw(s, 100, false));
    expect(coloured.split('\n')[0]).toMatch(/^\x1b\[\d+m.*Orders/);
    expect(coloured.split('\n')[1]).toMatch(/^\x1b\[\d+m/);
    expect(coloured).toMatch(/\x1b\[\d+m[▁▂▃▄▅▆▇█]/); // a sparkline
    expect(coloured).toMatch(/\x1b\[\d+m█+[\u2589-\u258f]*\x1b/); // a bar
  });

  it('one sparkline of orders and one per currency, each with its total; the newest period last', () => {
    const lines = draw(week()).split('\n');
    const orders = lines.find((l) => l.startsWith('orders '))!;
    const usd = lines.find((l) => l.startsWith('USD '))!;
    const eur = lines.find((l) => l.startsWith('EUR '))!;
    expect(orders).toMatch(/ 7 orders$/);
    // 2026-06-02 is the busiest day (3 orders; $10 and €5 completed), 06-04..06 are empty,
    // 06-07 has two orders (€5 completed): the lines read oldest to newest.
    expect(orders.slice(8, 15)).toBe(`${LEVELS[2]}${LEVELS[7]}${LEVELS[2]}   ${LEVELS[5]}`);
    expect(usd).toMatch(/ \$20\.00$/);
    expect(usd.slice(8, 15)).toBe(`${LEVELS[7]}${LEVELS[7]}     `);
    expect(eur).toMatch(/ €15\.00$/);
    expect(eur.slice(8, 15)).toBe(` ${LEVELS[7]}${LEVELS[7]}   ${LEVELS[7]}`);
  });

  it('the refund rate reads as a share of the orders paid for, or says none were paid', () => {
    expect(draw(week())).toContain('\nrefunds 16.7% of paid orders (1 of 6)\n');
    const none = aggregate([], {
      from: at('2026-06-01'),
      to: at('2026-06-08'),
      period: 'day',
      source: 'newest',
    });
    expect(draw(none)).toContain('\nrefunds none paid yet\n');
  });

  it('a table says "no orders" when nothing was counted, and lists every period all the same', () => {
    const none = aggregate([], {
      from: at('2026-06-01'),
      to: at('2026-06-08'),
      period: 'day',
      source: 'newest',
    });
    const text = draw(none);
    for (const title of ['product', 'gateway', 'status']) {
      expect(table(text, title)).toEqual([title, '  no orders']);
    }
    expect(table(text, 'day').length).toBe(1 + 7);
  });

  it('the period table runs newest first', () => {
    const keys = table(draw(week()), 'day')
      .slice(1)
      .map((l) => row(l).key);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(keys[0]).toBe('2026-06-07');
  });

  it('the busiest row has the whole bar, others their share of it', () => {
    const rows = table(draw(week()), 'product').slice(1).map(row);
    const steam = rows.find((r) => r.key === 'Steam Gift Card')!;
    const netflix = rows.find((r) => r.key === 'Netflix')!;
    expect(steam.orders).toBe('4');
    expect(netflix.orders).toBe('2');
    expect(eighths(netflix.bar) * 2).toBe(eighths(steam.bar));
    // The whole bar reaches the revenue column: the widest amount follows one space on.
    expect(table(draw(week()), 'product')[1]).toMatch(/█ \$20\.00 · €5\.00$/);
  });

  it('revenue cells: amounts per currency, largest first, a dash where nothing was completed', () => {
    const rows = table(draw(week()), 'product').slice(1).map(row);
    expect(rows.map((r) => r.revenue)).toEqual(['$20.00 · €5.00', '€10.00', '—']);
  });

  it('columns line up: each row of a table as wide as its header, counts right-aligned', () => {
    const text = draw(week());
    for (const title of ['day', 'product', 'gateway', 'status']) {
      const lines = table(text, title);
      expect(lines[0]!.split(/\s+/)).toEqual([title, 'orders', 'revenue']);
      const width = lines[0]!.length;
      const ordersEnd = lines[0]!.indexOf('orders') + 'orders'.length;
      for (const l of lines.slice(1)) {
        expect([...l].length).toBe(width);
        expect(l[ordersEnd - 1]).toMatch(/\d/);
        expect(l[ordersEnd]).toBe(' ');
      }
    }
  });

  it('a key too long for its column is cut with …; the longest that fits shows whole', () => {
    const text = draw(week());
    const products = table(text, 'product').slice(1).map(row);
    const cut = products.find((r) => r.key.endsWith('…'))!;
    expect(LONG.startsWith(cut.key.slice(0, -1))).toBe(true);
    expect(cut.key.length).toBeGreaterThan('Steam Gift Card'.length);
    expect(products.map((r) => r.key)).toContain('Steam Gift Card');
    // "completed" is the status table's longest key: its column is exactly that wide.
    expect(table(text, 'status').map((l) => l.split('  ')[0])).toContain('completed');
  });

  it('every line fits the terminal, and the tables use its width', () => {
    for (const columns of [80, 120, 200]) {
      const lines = draw(week(), columns).split('\n');
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      const rows = table(lines.join('\n'), 'day');
      expect([...rows[1]!].length).toBeGreaterThanOrEqual(columns - 2);
    }
    // On 40 columns the period table still fits; narrower, stats draws for 40.
    for (const columns of [40, 20]) {
      const day = table(draw(week(), columns), 'day');
      expect(Math.max(...day.map((l) => [...l].length))).toBeLessThanOrEqual(40);
      expect([...day[1]!].length).toBeGreaterThanOrEqual(38);
    }
  });

  it('on a narrow terminal every line fits too: the heading and long names are cut, not wrapped', () => {
    const months = aggregate(
      [
        {
          at: at('2026-06-02'),
          status: 'completed',
          currency: 'USD',
          total: 1,
          product: LONG,
          gateway: 'stripe',
        },
      ],
      { from: at('2026-01-01'), to: at('2026-12-07'), period: 'month', source: 'history' },
    );
    for (const s of [week(), months]) {
      for (const columns of [40, 50, 60, 79]) {
        const lines = draw(s, columns).split('\n');
        expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      }
    }
    const products = table(draw(week(), 40), 'product').slice(1).map(row);
    expect(products.map((r) => r.key)).toContain('Netflix');
    expect(products.map((r) => r.revenue)).toContain('$20.00 · €5.00');
  });

  it('a long history, huge totals and a long note still fit: the sparklines show the latest periods that fit', () => {
    const facts: Fact[] = [];
    const from = at('2026-01-01');
    for (let d = 0; d < 150; d++) {
      const base = { status: 'completed', product: 'P', gateway: 'stripe' };
      facts.push({ ...base, at: from + d * DAY, currency: 'USD', total: 1e12 });
      facts.push({ ...base, at: from + d * DAY, currency: 'EUR', total: 3e11 });
      facts.push({ ...base, at: from + d * DAY, currency: 'GBP', total: 2e11 });
      if (d === 149) facts.push({ ...base, at: from + d * DAY + 1, currency: 'USD', total: 1 });
    }
    const s = aggregate(facts, { from, to: from + 150 * DAY, period: 'day', source: 'history' });
    const big = { ...s, totals: { ...s.totals, orders: 12_345_678 } };
    const note = `over the local history: ${'and so on, '.repeat(30)}`;
    for (const columns of [60, 80, 120]) {
      const text = draw(big, columns, false, note);
      const lines = text.split('\n');
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(lines[1]!.endsWith('…')).toBe(true);
      const orders = lines.find((l) => l.startsWith('orders '))!;
      expect(orders).toMatch(/ 12,345,678 orders$/);
      const spark = orders.slice(8).split('  ')[0]!;
      // The newest day (the only one with two orders) is the last and the highest.
      expect(spark.endsWith(LEVELS[7]!)).toBe(true);
      expect(spark.slice(0, -1)).not.toContain(LEVELS[7]);
      expect(spark.length).toBeGreaterThanOrEqual(columns - 8 - 2 - '12,345,678 orders'.length - 8);
    }
    // A count wider than any amount leaves its line within the width too.
    const small = aggregate(
      facts.filter((f) => f.currency === 'USD').map((f) => ({ ...f, total: 1 })),
      { from, to: from + 150 * DAY, period: 'day', source: 'history' },
    );
    const busy = { ...small, totals: { ...small.totals, orders: 1_234_567_890 } };
    for (const columns of [60, 80, 120]) {
      const lines = draw(busy, columns).split('\n');
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(lines.find((l) => l.startsWith('orders '))).toMatch(/ 1,234,567,890 orders$/);
    }
  });
});

describe('what stats counts', () => {
  const base = { status: 'completed', currency: 'USD', total: 1, product: 'P', gateway: 'stripe' };
  const range = {
    from: at('2026-06-01'),
    to: at('2026-06-04'),
    period: 'day' as const,
    source: 'history' as const,
  };

  it('an order counts from the first moment of the range up to, not including, its end: in every table', () => {
    const s = aggregate(
      [range.from - 1, range.from, range.to - 1, range.to].map((ms) => ({ ...base, at: ms })),
      range,
    );
    const sum = (rows: { orders: number }[]) => rows.reduce((n, r) => n + r.orders, 0);
    expect(s.totals.orders).toBe(2);
    for (const rows of [s.periods, s.byProduct, s.byGateway, s.byStatus]) expect(sum(rows)).toBe(2);
    expect(s.refunds.paid).toBe(2);
  });

  it('groups are ranked busiest first, ties by name', () => {
    const s = aggregate(
      ['Beta', 'Alpha', 'Gamma', 'Beta', 'Gamma', 'Beta'].map((product, i) => ({
        ...base,
        at: range.from + i,
        product,
        gateway: product === 'Alpha' ? 'paypal' : 'stripe',
      })),
      range,
    );
    expect(s.byProduct.map((r) => [r.key, r.orders])).toEqual([
      ['Beta', 3],
      ['Gamma', 2],
      ['Alpha', 1],
    ]);
    expect(s.byGateway.map((r) => [r.key, r.orders])).toEqual([
      ['stripe', 5],
      ['paypal', 1],
    ]);
    const tie = aggregate(
      ['b', 'c', 'a'].map((product) => ({ ...base, at: range.from, product })),
      range,
    );
    expect(tie.byProduct.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('currencies go largest revenue first, ties by code', () => {
    const s = aggregate(
      [
        { ...base, at: range.from, currency: 'EUR', total: 5 },
        { ...base, at: range.from, currency: 'USD', total: 10 },
        { ...base, at: range.from, currency: 'GBP', total: 10 },
      ],
      range,
    );
    expect(Object.keys(s.totals.revenue)).toEqual(['GBP', 'USD', 'EUR']);
    expect(Object.keys(s.periods[0]!.revenue)).toEqual(['GBP', 'USD', 'EUR']);
  });

  it('orders paid for are the completed and refunded ones: pending and expired are not', () => {
    const s = aggregate(
      ['completed', 'refunded', 'pending', 'pending', 'expired'].map((status) => ({
        ...base,
        at: range.from,
        status,
      })),
      range,
    );
    expect(s.refunds).toEqual({ refunded: 1, paid: 2, rate: 0.5 });
  });

  it('the default range is the last 30 days, 12 weeks or 12 months, the current one included', () => {
    const now = at('2026-06-10T12:00:00Z');
    for (const [period, n, last] of [
      ['day', 30, '2026-06-10'],
      ['week', 12, '2026-06-08'],
      ['month', 12, '2026-06'],
    ] as const) {
      const s = aggregate([], {
        from: defaultFrom(now, period),
        to: now,
        period,
        source: 'history',
      });
      expect(s.periods.length).toBe(n);
      expect(s.periods.at(-1)!.key).toBe(last);
    }
  });

  it('an order missing a field still counts: "unknown" status, product or gateway, "?" currency, no money', () => {
    const createdAt = '2026-06-01T10:00:00Z';
    expect(factOf({ createdAt })).toEqual({
      at: at(createdAt),
      status: 'unknown',
      currency: '?',
      total: 0,
      product: 'unknown',
      gateway: 'unknown',
    });
    const odd = factOf({
      createdAt,
      status: '',
      currency: 7,
      total: Number.NaN,
      productId: 'prod_1',
      gateway: null,
    })!;
    expect([odd.status, odd.currency, odd.total, odd.product, odd.gateway]).toEqual([
      'unknown',
      '?',
      0,
      'prod_1',
      'unknown',
    ]);
    const whole = factOf({
      createdAt,
      status: 'completed',
      currency: 'EUR',
      total: 12.5,
      productTitle: 'Netflix',
      productId: 'prod_1',
      gateway: 'paypal',
    })!;
    expect([whole.status, whole.currency, whole.total, whole.product, whole.gateway]).toEqual([
      'completed',
      'EUR',
      12.5,
      'Netflix',
      'paypal',
    ]);
    expect(factOf({ createdAt, total: '12.50' })!.total).toBe(0);
  });

  it('an order without a readable creation time is left out of every count', () => {
    for (const createdAt of [undefined, 'soon', '', 42]) {
      expect(factOf({ createdAt, status: 'completed', total: 1 })).toBeUndefined();
    }
  });
});

// A history written here (as a sync would), read by `stats` in-process.
const NOW = at('2026-06-10T12:00:00Z');
const clock: Clock = { now: () => NOW, sleep: systemClock.sleep };
const order = (
  n: number,
  createdAt: string,
  status: string,
  productTitle: string,
  total: number,
  currency = 'USD',
  gateway = 'stripe',
) => ({ invoiceId: `inv_${n}`, createdAt, status, productTitle, total, currency, gateway });
async function keep(
  file: string,
  orders: Record<string, unknown>[],
  syncs: { at: string; pageOldest?: string }[],
): Promise<void> {
  const h = await History.open(file, { create: true, label: 'test', clock: systemClock });
  try {
    h.transaction(() => {
      const r = h.upsert(orders.map(rowOf), NOW);
      for (const s of syncs) h.recordSync(at(s.at), orders.length, r, undefined, s.pageOldest);
    });
  } finally {
    h.close();
  }
}

describe('astrosell stats over a history', () => {
  let tmp: { dir: string; cleanup: () => void };
  let db: string;
  const ORDERS = [
    order(1, '2026-06-01T09:00:00Z', 'completed', 'Steam Gift Card', 10),
    order(2, '2026-06-02T09:00:00Z', 'completed', 'Steam Gift Card', 10),
    order(3, '2026-06-02T10:00:00Z', 'refunded', 'Netflix', 5, 'EUR', 'paypal'),
    order(4, '2026-06-03T10:00:00Z', 'pending', 'Netflix', 5, 'EUR', 'paypal'),
  ];
  beforeEach(async () => {
    tmp = tempDir('astrosell-stats-rules-');
    db = join(tmp.dir, 'h.sqlite');
    await keep(db, ORDERS, [
      { at: '2026-06-01T08:00:00Z', pageOldest: '2026-05-20T07:30:15.000Z' },
      { at: '2026-06-09T22:05:59Z', pageOldest: '2026-05-28T00:00:00.000Z' },
    ]);
  });
  afterEach(() => tmp.cleanup());
  const stats = (...args: string[]) => runMain(['stats', '--db', db, ...args], { clock });

  it('--until a bare date counts that whole day; by default the 30 days ending with it', async () => {
    const r = await stats('--until', '2026-06-03', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Stats;
    expect(s.to).toBe('2026-06-04T00:00:00.000Z');
    expect(s.periods.length).toBe(30);
    expect(s.periods.at(-1)).toMatchObject({ key: '2026-06-03', orders: 1 });
    expect(s.totals.orders).toBe(4);
  });

  it('--since must be before --until: equal or after is a usage error', async () => {
    for (const since of ['2026-06-03', '2026-06-05']) {
      const r = await stats('--since', since, '--until', '2026-06-02');
      expect(r.code).toBe(EXIT_CODES.usage);
      expect(r.stderr).toBe('error: --since must be before --until\n');
      expect(r.stdout).toBe('');
    }
  });

  it('a date that does not read is a usage error naming its flag', async () => {
    for (const flag of ['--since', '--until']) {
      const r = await stats(flag, 'yesterday');
      expect(r.code).toBe(EXIT_CODES.usage);
      expect(r.stderr).toMatch(new RegExp(`^error: ${flag} takes a date .*"yesterday"`));
    }
  });

  it('says what the history holds: orders kept, where it starts, when it was last synced', async () => {
    const r = await stats('--json');
    expect(JSON.parse(r.stdout).note).toBe(
      'over the local history: 4 orders kept, starting 2026-05-20 07:30 UTC, last synced 2026-06-09 22:05 UTC',
    );
    expect(r.stderr).toBe('');
    const fresh = join(tmp.dir, 'fresh.sqlite');
    await keep(fresh, [], []);
    const empty = await runMain(['stats', '--db', fresh, '--json'], { clock });
    expect(JSON.parse(empty.stdout).note).toBe('over the local history: 0 orders kept');
  });

  it('piped: the groups in their sections, then refunded, paid and the total, as --json counts them', async () => {
    const r = await stats('--since', '2026-06-01', '--until', '2026-06-03');
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows[0]).toEqual(['section', 'key', 'orders', 'revenue USD']);
    const section = (name: string) =>
      rows.filter((row) => row[0] === name).map((row) => row.slice(1));
    expect(section('product')).toEqual([
      ['Netflix', '2', '0.00'],
      ['Steam Gift Card', '2', '20.00'],
    ]);
    expect(section('gateway')).toEqual([
      ['paypal', '2', '0.00'],
      ['stripe', '2', '20.00'],
    ]);
    expect(section('status').map((row) => row[0])).toEqual(['completed', 'pending', 'refunded']);
    expect(section('refunds')).toEqual([
      ['refunded', '1', ''],
      ['paid', '3', ''],
    ]);
    expect(section('total')).toEqual([['total', '4', '20.00']]);
    const csv = await stats('--since', '2026-06-01', '--until', '2026-06-03', '--format', 'csv');
    expect(csv.stdout.split('\r\n')).toContain('refunds,paid,3,');
  });

  it('--db naming a missing file is an error with a hint, and creates nothing', async () => {
    const shop = await startTestShop();
    try {
      const missing = join(tmp.dir, 'missing.sqlite');
      const r = await runMain(['stats', '--db', missing, '--json'], { env: shop.env, clock });
      expect(r.code).toBe(EXIT_CODES.failure);
      expect(r.stderr).toMatch(
        /^error: no order history at .*missing\.sqlite\nhint: run `astrosell orders sync` first/,
      );
      expect(r.stdout).toBe('');
      expect(existsSync(missing)).toBe(false);
    } finally {
      await shop.close();
    }
  });
});

describe('astrosell stats without a history', () => {
  let shop: TestShop;
  afterEach(() => shop.close());

  it('over a small shop: every order, said on stderr when piped, in the header on a terminal', async () => {
    shop = await startTestShop();
    const n = shop.sandbox.store.orders.size;
    const piped = await runMain(['stats', '--json', '--since', '2000-01-01'], { env: shop.env });
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).totals.orders).toBe(n);
    expect(piped.stderr).toBe(`note: over the newest ${n} orders (no local history)\n`);
    const terminal = await runTerminal(['stats'], { env: { ...shop.env, NO_COLOR: '1' } });
    expect(terminal.code).toBe(0);
    expect(terminal.stderr).toBe('');
    expect(terminal.stdout.split('\n')[1]).toBe(`over the newest ${n} orders (no local history)`);
  });

  it('once `orders sync` kept a history, stats reads it without being told where', async () => {
    shop = await startTestShop();
    expect(JSON.parse((await runMain(['stats', '--json'], { env: shop.env })).stdout).source).toBe(
      'newest',
    );
    expect((await runMain(['orders', 'sync'], { env: shop.env })).code).toBe(0);
    const r = await runMain(['stats', '--json'], { env: shop.env });
    expect(JSON.parse(r.stdout).source).toBe('history');
    expect(r.stderr).toBe('');
  });

  it('over a bigger shop: the newest 200, saying from when when the range reaches further back', async () => {
    shop = await startTestShop({ history: 600 });
    const created = [...shop.sandbox.store.orders.values()].map((o) => o.createdAt).sort();
    const oldestListed = created.at(-200)!;
    const far = await runMain(['stats', '--json', '--since', '89d'], { env: shop.env });
    expect(far.stderr).toBe(
      `note: over the newest 200 orders only (since ${oldestListed.slice(0, 16).replace('T', ' ')} UTC): earlier periods are short; keep a history with \`astrosell orders sync\`\n`,
    );
    const near = await runMain(['stats', '--json', '--since', '1d'], { env: shop.env });
    expect(near.stderr).toBe('note: over the newest 200 orders (no local history)\n');
  });

  it('an order whose creation time does not read is left out, not a failure', async () => {
    shop = await startTestShop();
    const store = shop.sandbox.store;
    const n = store.orders.size;
    const odd = [...store.orders.values()].at(-1)!;
    odd.createdAt = 'sometime';
    const r = await runMain(['stats', '--json', '--since', '2000-01-01'], { env: shop.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.orders).toBe(n - 1);
  });
});
