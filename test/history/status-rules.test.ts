// `astrosell status`, rule by rule: which orders make today's figures and
// the open list, which pools it shows, and how the screen, the rows and the
// JSON say it. In-process against a sandbox, on a fixed clock.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/clock.js';
import type { Store } from '../../src/sandbox/store.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const clock: Clock = { now: () => NOW, sleep: systemClock.sleep };
const at = (ms: number) => new Date(ms);
const keys = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag}-${i}`).join('\n');

function pool(s: Store, name: string, count: number, lowStockThreshold: number | null): string {
  return s.createWarehouse({
    name,
    stock: keys(count, name),
    removeDuplicates: true,
    removeSold: true,
    lowStockThreshold,
  }).id;
}

function product(
  s: Store,
  title: string,
  currency: 'USD' | 'EUR' | 'GBP',
  price: number,
  warehouseId?: string,
): string {
  return s.createProduct({
    title,
    price,
    currency,
    type: warehouseId ? 'serials' : 'file',
    visibility: 'public',
    purchaseNote: null,
    ...(warehouseId ? { warehouseId } : {}),
  }).id;
}

/** `n` open orders of a file product, a minute apart, listed by the service out of time order. */
function openOrders(s: Store, gift: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const minutes = ((i * 5) % n) + 1;
    s.purchase(gift, 1, 'b@example.com', at(NOW - minutes * MIN)).status =
      i % 3 === 0 ? 'processing' : 'pending';
  }
}

describe('astrosell status, rules', () => {
  let shop: TestShop;
  let tmp: { dir: string; cleanup: () => void };
  const status = (
    args: string[],
    more: { tty?: boolean; columns?: number; color?: boolean } = {},
  ) =>
    runMain(['status', ...args], {
      env: { ...shop.env, ...(more.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) },
      clock,
      tty: more.tty ? { stdout: true, stderr: true } : undefined,
      columns: more.columns,
    });

  // The shop of the morning: 14 keys sold over the last days from a pool
  // that holds 7 more (a week left at 1 a day), a pool at its threshold
  // with no sales, a pool with plenty; today 3 keys and cards sold in USD
  // and EUR, 21 gifts ordered and not yet paid, 2 others given up.
  beforeEach(async () => {
    shop = await startTestShop({ empty: true });
    tmp = tempDir('astrosell-status-rules-');
    const s = shop.sandbox.store;
    const keysPool = pool(s, 'Keys', 21, null);
    pool(s, 'Almost empty pool', 2, 5);
    const cards = pool(s, 'Cards', 100, null);
    const key = product(s, 'Key', 'USD', 3, keysPool);
    const card = product(s, 'Carte', 'EUR', 4, cards);
    const gift = product(s, 'Gift card with a rather long name for the list', 'GBP', 5);
    s.purchase(key, 12, 'b@example.com', at(NOW - 3 * DAY));
    s.purchase(key, 1, 'b@example.com', at(NOW - HOUR));
    s.purchase(card, 1, 'b@example.com', at(NOW - 2 * HOUR));
    openOrders(s, gift, 21);
    s.purchase(gift, 1, 'b@example.com', at(NOW - 30 * MIN)).status = 'cancelled';
    s.purchase(gift, 1, 'b@example.com', at(NOW - 31 * MIN)).status = 'expired';
    s.purchase(key, 1, 'b@example.com', at(NOW)); // this very moment
  });
  afterEach(async () => {
    await shop.close();
    tmp.cleanup();
  });

  it("without a history: today's orders and revenue, the open orders newest first, the pools that run out, from the newest orders", async () => {
    const r = await status(['--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.source).toMatch(/^the newest 27 orders only/);
    // Every order placed today, up to this moment; revenue from the completed ones.
    expect(s.today).toMatchObject({ key: '2026-03-10', orders: 26, revenue: { USD: 6, EUR: 4 } });
    expect(s.yesterday).toMatchObject({ orders: 0, revenue: {} });
    expect(s.open.count).toBe(21);
    const listed = s.open.orders as { status: string; createdAt: string }[];
    expect(listed.length).toBe(20); // the count says how many more there are
    expect(listed.map((o) => o.createdAt)).toEqual(
      listed
        .map((o) => o.createdAt)
        .sort()
        .reverse(),
    );
    expect(new Set(listed.map((o) => o.status))).toEqual(new Set(['pending', 'processing']));
    expect(listed[0]).toMatchObject({
      productTitle: 'Gift card with a rather long name for the list',
      total: 5,
      currency: 'GBP',
      createdAt: at(NOW - MIN).toISOString(),
    });
    // 14 keys in 14 days, 7 left: gone in 7 days. The pool at its threshold is
    // shown though nothing sells from it; the full one is not.
    const stock = s.stock as {
      name: string;
      daysLeft: number | null;
      low: boolean;
      runsOut: boolean;
    }[];
    expect(stock.map((h) => h.name).sort()).toEqual(['Almost empty pool', 'Keys']);
    expect(stock.find((h) => h.name === 'Keys')).toMatchObject({ daysLeft: 7, runsOut: true });
    expect(stock.find((h) => h.name === 'Almost empty pool')).toMatchObject({
      daysLeft: null,
      low: true,
    });
  });

  it('with a history at the default place, status reads it and says since when and how fresh it is', async () => {
    expect((await runMain(['orders', 'sync'], { env: shop.env, clock })).code).toBe(0);
    const s = shop.sandbox.store;
    s.purchase([...s.products.values()][0]!.id, 1, 'b@example.com', at(NOW - MIN)); // not synced
    const r = await status(['--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toBe('local history (starting 2026-03-07), last synced just now');
    expect(out.today).toMatchObject({ orders: 26, revenue: { USD: 6, EUR: 4 } });
    expect(out.open.count).toBe(21);
    const listed = out.open.orders as { createdAt: string }[]; // pending and processing, merged
    expect(listed.map((o) => o.createdAt)).toEqual(
      listed
        .map((o) => o.createdAt)
        .sort()
        .reverse(),
    );
    // It let go of the history: no lock left beside it.
    const folder = join(shop.env.ASTROSELL_CONFIG_DIR as string, 'history');
    expect(readdirSync(folder).filter((f) => f.endsWith('-lock'))).toEqual([]);
  });

  it('--db naming no history is an error, not a quiet fall-back to the newest orders', async () => {
    const r = await status(['--json', '--db', join(tmp.dir, 'none.sqlite')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stdout).toBe('');
  });

  it('piped: a row per figure, per pool (name, units, days left or empty) and the open count', async () => {
    const r = await status([]);
    const rows = r.stdout.split('\n');
    expect(rows).toContain('today\trevenue USD\t6.00');
    expect(rows).toContain('today\trevenue EUR\t4.00');
    expect(rows).toContain('yesterday\torders\t0');
    expect(rows).toContain('stock\tKeys\t7\t7');
    expect(rows).toContain('stock\tAlmost empty pool\t2\t');
    expect(rows).toContain('open\torders\t21');
  });

  it('on a terminal: the time, the source, the days, the currencies, the pools and the open orders', async () => {
    const r = await status([], { tty: true, columns: 120 });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('AstroSell status  2026-03-10 12:00 UTC');
    expect(lines[1]).toBe(
      'over the the newest 27 orders only (no local history: `astrosell orders sync`)',
    );
    const blankBefore = (re: RegExp) => lines[lines.findIndex((l) => re.test(l)) - 1];
    expect(blankBefore(/^Today /)).toBe('');
    expect(blankBefore(/^Stock /)).toBe('');
    expect(blankBefore(/^Open orders/)).toBe('');
    expect(r.stdout).toMatch(/^Today +26 orders +\$6\.00 · €4\.00$/m);
    expect(r.stdout).toMatch(/^Yesterday +0 orders +—$/m);
    expect(r.stdout).toMatch(/^14 days +.{14} {2}orders, 2026-02-25 to 2026-03-10$/m);
    // A sparkline per currency: USD sold 3 days ago and today, EUR today only.
    expect(lines.find((l) => l.endsWith('  USD'))).toMatch(/^ {11} {10}\S {2}\S {2}USD$/);
    expect(lines.find((l) => l.endsWith('  EUR'))).toMatch(/^ {11} {13}\S {2}EUR$/);
    // Names padded to the longest, then the units, the days left, the flag.
    expect(lines).toContain('Stock low or running out within 7 days');
    expect(lines).toContain(`  ${'Keys'.padEnd(17)}       7 in stock  7 days left`);
    expect(lines).toContain('  Almost empty pool       2 in stock  no recent sales low');
    expect(lines).toContain('Open orders: 21 (14 pending, 7 processing)');
    const first = lines.find((l) => l.includes('Gift card')) as string;
    expect(first).toMatch(
      /^ {2}AS-\S+ {2}processing +£5\.00 {2}1 minute ago +Gift card with a rather long name for the list$/,
    );
    expect(lines.filter((l) => l.includes('Gift card')).length).toBe(8);
    expect(lines).toContain('  … and 13 more: astrosell orders list --status pending');
  });

  it('on a terminal a line as wide as the screen is whole, a wider one ends in …', async () => {
    const source = 'over the the newest 27 orders only (no local history: `astrosell orders sync`)';
    const fits = await status([], { tty: true, columns: source.length });
    expect(fits.stdout.split('\n')[1]).toBe(source);
    const narrow = await status([], { tty: true, columns: 60 });
    const lines = narrow.stdout.split('\n');
    expect(lines[1]).toBe(`${source.slice(0, 59)}…`);
    const order = lines.find((l) => l.includes(' Gift ')) as string;
    expect([...order].length).toBe(60);
    expect(order.endsWith('…')).toBe(true);
  });

  it('in colour: the title bold, the source dim, the sparklines cyan, running out and low in yellow', async () => {
    const r = await status([], { tty: true, columns: 120, color: true });
    expect(r.stdout).toContain('\x1b[1mAstroSell status\x1b[22m');
    expect(r.stdout).toContain('\x1b[2mover the the newest 27 orders');
    expect(r.stdout).toMatch(/\x1b\[36m[ ▁-█]{14}\x1b\[39m {2}orders/);
    expect(r.stdout).toContain('in stock  \x1b[33m7 days left\x1b[39m');
    expect(r.stdout).toContain('no recent sales\x1b[33m low\x1b[39m');
    expect(r.stdout).toContain('\x1b[2m  … and 13 more');
  });
});

describe('astrosell status on a quiet shop', () => {
  let shop: TestShop;
  beforeEach(async () => {
    shop = await startTestShop({ empty: true });
  });
  afterEach(async () => {
    await shop.close();
  });

  it('a history synced from an empty shop says when, not since when', async () => {
    expect((await runMain(['orders', 'sync'], { env: shop.env, clock })).code).toBe(0);
    const r = await runMain(['status', '--json'], { env: shop.env, clock });
    expect(JSON.parse(r.stdout).source).toBe('local history, last synced just now');
  });

  it('nothing low: the stock section says so; eight open orders are all listed, with no "more"', async () => {
    const s = shop.sandbox.store;
    pool(s, 'Plenty', 50, 5);
    openOrders(s, product(s, 'Gift', 'GBP', 5), 8);
    delete (s.orders.values().next().value as { productTitle?: string }).productTitle;
    const r = await runMain(['status'], {
      env: { ...shop.env, NO_COLOR: '1' },
      clock,
      tty: { stdout: true, stderr: true },
      columns: 100,
    });
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Stock  nothing low or running out within 7 days');
    expect(lines.filter((l) => l.endsWith(' Gift')).length).toBe(7);
    expect(lines.filter((l) => / ago +$/.test(l)).length).toBe(1); // no title: none shown
    expect(r.stdout).not.toContain('more:');
  });

  it('an order without a time is left out of the days; at most four currencies get a sparkline; no open orders: the count alone', async () => {
    const s = shop.sandbox.store;
    const gift = product(s, 'Gift', 'GBP', 5);
    s.purchase(gift, 1, 'b@example.com', at(NOW - HOUR));
    delete (s.purchase(gift, 1, 'b@example.com', at(NOW - HOUR)) as { createdAt?: string })
      .createdAt;
    for (const currency of ['USD', 'EUR', 'CAD', 'JPY'])
      s.purchase(gift, 1, 'b@example.com', at(NOW - 2 * DAY)).currency = currency as never;
    const json = await runMain(['status', '--json'], { env: shop.env, clock });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).today.orders).toBe(1);
    const r = await runMain(['status'], {
      env: { ...shop.env, NO_COLOR: '1' },
      clock,
      tty: { stdout: true, stderr: true },
      columns: 100,
    });
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^ {11}.{14} {2}[A-Z]{3}$/.test(l)).length).toBe(4);
    expect(lines).toContain('Open orders: 0');
  });
});
