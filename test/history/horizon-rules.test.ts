// `warehouses check --days N`, rule by rule: which stock counts, how the
// pace and the days left follow from the units sold, which orders are sales,
// and what the operator (and a script) reads. The pure parts as tables; the
// command in-process against a sandbox with a fixed clock.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product, Warehouse } from '../../src/api/resources/index.js';
import { type Clock, systemClock } from '../../src/clock.js';
import { attribute, type Horizon, horizons } from '../../src/commands/warehouses/horizon.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const DAY = 86_400_000;
const products = (...p: Partial<Product>[]) => p as Product[];
const pools = (...w: Partial<Warehouse>[]) => w as Warehouse[];

describe('which stock the horizon counts', () => {
  it.each([
    ['a serials product with its own stock', { type: 'serials', stock: 4 }, true],
    ['a product of no stated type with its own stock', { stock: 4 }, true],
    ['a product whose type is null, with its own stock', { type: null, stock: 4 }, true],
    ['a file product (no serials to run out of)', { type: 'file', stock: 4 }, false],
    ['an unlimited product', { type: 'serials', stock: 4, unlimitedStock: true }, false],
    ['a product without a number of units', { type: 'serials', stock: null }, false],
    ['a product drawing from a pool (the pool counts it)', { stock: 4, warehouseId: 'w' }, false],
  ] as const)('%s: a row of its own is %s', (_, p, counted) => {
    const rows = horizons(
      [],
      products({ id: 'p', title: 'Key', ...p } as Partial<Product>),
      new Map(),
      14,
      7,
    );
    expect(rows.map((r) => r.id)).toEqual(counted ? ['p'] : []);
  });

  it("a product row carries its title, its units and its own sales, and without --min is never 'low' (it has no threshold)", () => {
    const [row] = horizons(
      [],
      products({ id: 'p', title: 'Key', type: 'serials', stock: 0 }),
      new Map([['p', 14]]),
      14,
      7,
    );
    expect(row).toMatchObject({ kind: 'product', name: 'Key', count: 0, perDay: 1, low: false });
  });

  it('a pool sells what the products drawing from it sell, not what other pools sell', () => {
    const rows = horizons(
      pools(
        { id: 'w1', name: 'Keys', count: 30, lowStockThreshold: 5 },
        { id: 'w2', name: 'Cards', count: 30 },
      ),
      products(
        { id: 'a', warehouseId: 'w1' },
        { id: 'b', warehouseId: 'w1' },
        { id: 'c', warehouseId: 'w2' },
      ),
      new Map([
        ['a', 14],
        ['b', 28],
        ['c', 70],
      ]),
      14,
      7,
    );
    const by = (id: string) => rows.find((r) => r.id === id) as Horizon;
    expect(rows.map((r) => [r.kind, r.id])).toEqual([
      ['warehouse', 'w1'],
      ['warehouse', 'w2'],
    ]);
    expect(by('w1')).toMatchObject({ name: 'Keys', threshold: 5, perDay: 3, daysLeft: 10 });
    expect(by('w2')).toMatchObject({ threshold: null, perDay: 5, daysLeft: 6 });
  });
});

describe('days left and what runs out', () => {
  const one = (count: number | null, units: number, days = 7) =>
    horizons(
      pools({ id: 'w', count } as Partial<Warehouse>),
      [{ id: 'p', warehouseId: 'w' } as Product],
      new Map([['p', units]]),
      14,
      days,
    )[0] as Horizon;

  it.each([
    // count, units sold in 14 days, N → days left, runs out within N
    [70, 14, 7, 70, false],
    [7, 14, 7, 7, true], // gone on the Nth day: runs out within N
    [8, 14, 7, 8, false],
    [10, 42, 7, 3.3, true], // rounded to a tenth of a day
    [5, 0, 7, null, false], // nothing sells: never runs out
    [0, 0, 7, null, false],
    [null, 14, 7, null, false], // units unknown: no days left to tell
  ] as const)(
    '%s left, %s sold over 14 days, N=%s: %s days left, runs out %s',
    (count, units, days, left, runsOut) => {
      const h = one(count, units, days);
      expect(h.daysLeft).toBe(left);
      expect(h.runsOut).toBe(runsOut);
    },
  );
});

describe('which product an order sold: the edges', () => {
  const listed = products(
    { id: 'a', title: 'Key' },
    { id: 'b', title: 'Key' },
    { id: 'c', title: 'Card' },
    { id: 'd', title: 'Box' },
    { id: 'e', title: 'Box' },
  );

  it('an order naming a product id no listed product has counts for none, even when its title names one', () => {
    const r = attribute([{ productId: 'gone', productTitle: 'Card', sold: 4 }], listed);
    expect(r.sold.size).toBe(0);
    expect(r.unknown).toBe(4);
  });

  it('a title no listed product has counts for none and is not called ambiguous', () => {
    const r = attribute([{ productId: null, productTitle: 'Nobody', sold: 2 }], listed);
    expect(r.sold.size).toBe(0);
    expect(r.unknown).toBe(2);
    expect(r.ambiguous).toEqual([]);
  });

  it('the shared titles are named once each, in alphabetical order', () => {
    const r = attribute(
      [
        { productId: null, productTitle: 'Key', sold: 1 },
        { productId: null, productTitle: 'Box', sold: 1 },
        { productId: null, productTitle: 'Key', sold: 1 },
      ],
      listed,
    );
    expect(r.ambiguous).toEqual(['Box', 'Key']);
  });
});

describe('warehouses check --days, in-process', () => {
  let shop: TestShop;
  let tmp: { dir: string; cleanup: () => void };
  let now: number;
  let clock: Clock;
  let pool: string;
  let keyProduct: string;
  const ago = (days: number) => new Date(now - days * DAY);
  const check = (args: string[]) =>
    runMain(['warehouses', 'check', ...args], { env: shop.env, clock });
  /** Lock files beside the histories (the default folder and tmp). */
  const locks = () =>
    [join(shop.env.ASTROSELL_CONFIG_DIR as string, 'history'), tmp.dir]
      .flatMap((d) => readdirSync(d))
      .filter((f) => f.endsWith('-lock'));
  const poolRow = (stdout: string) =>
    (JSON.parse(stdout).stock as Horizon[]).find((r) => r.id === pool) as Horizon;

  beforeEach(async () => {
    shop = await startTestShop({ empty: true });
    tmp = tempDir('astrosell-horizon-rules-');
    now = Math.floor(systemClock.now() / 1000) * 1000;
    clock = { now: () => now, sleep: systemClock.sleep };
    const s = shop.sandbox.store;
    pool = s.createWarehouse({
      name: 'Keys',
      stock: Array.from({ length: 1000 }, (_, i) => `K-${i}`).join('\n'),
      removeDuplicates: true,
      removeSold: true,
      lowStockThreshold: 5,
    }).id;
    keyProduct = s.createProduct({
      title: 'Key',
      price: 3,
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
      warehouseId: pool,
    }).id;
  });
  afterEach(async () => {
    await shop.close();
    tmp.cleanup();
  });

  it('without a history, the sales are the completed and refunded orders of the last 14 days, counted in units', async () => {
    const s = shop.sandbox.store;
    s.purchase(keyProduct, 3, 'b@example.com', ago(1)); // 3 units
    s.purchase(keyProduct, 1, 'b@example.com', ago(2)).status = 'refunded'; // the key was delivered
    for (const status of ['pending', 'processing', 'cancelled', 'expired'])
      s.purchase(keyProduct, 5, 'b@example.com', ago(1)).status = status;
    s.purchase(keyProduct, 7, 'b@example.com', ago(14)); // the window's first moment
    s.purchase(keyProduct, 100, 'b@example.com', new Date(now - 14 * DAY - 1000)); // before it
    const r = await check(['--days', '7', '--json']);
    expect(r.code).toBe(0);
    // 3 + 1 + 7 = 11 units over 14 days.
    expect(poolRow(r.stdout).perDay).toBe(Math.round((11 / 14) * 100) / 100);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.source).toMatch(/^sales in the newest 8 orders; no local history/);
    expect(out.window).toEqual({
      from: new Date(now - 14 * DAY).toISOString(),
      to: new Date(now).toISOString(),
    });
  });

  it('an order without a quantity is one unit; one without a product id is found by its title', async () => {
    const s = shop.sandbox.store;
    const card = s.createProduct({
      title: 'Card',
      price: 3,
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
      warehouseId: pool,
    }).id;
    const o = s.purchase(card, 14, 'b@example.com', ago(1));
    delete (o as Partial<typeof o>).productId; // 14 units of Card, by title
    delete (s.purchase(keyProduct, 1, 'b@example.com', ago(1)) as Partial<typeof o>).quantity; // 1
    const r = await check(['--days', '7', '--json']);
    expect(poolRow(r.stdout).perDay).toBe(Math.round((15 / 14) * 100) / 100);
  });

  it('an order without a quantity counts the keys it delivered, with a history or without', async () => {
    const o = shop.sandbox.store.purchase(keyProduct, 3, 'b@example.com', ago(1));
    delete (o as Partial<typeof o>).quantity;
    expect(o.deliveredItems).toHaveLength(3);
    const page = await check(['--days', '7', '--json']);
    expect(poolRow(page.stdout).perDay).toBe(Math.round((3 / 14) * 100) / 100);
    expect((await runMain(['orders', 'sync'], { env: shop.env, clock })).code).toBe(0);
    const history = await check(['--days', '7', '--json']);
    expect(JSON.parse(history.stdout).source).toMatch(/history/);
    expect(poolRow(history.stdout).perDay).toBe(poolRow(page.stdout).perDay);
  });

  it('a full page of 200 orders is the pace over the time those orders span, not over 14 days', async () => {
    const s = shop.sandbox.store;
    for (let i = 0; i < 200; i++)
      s.purchase(keyProduct, 1, 'b@example.com', new Date(now - DAY * 2 + i * 1000));
    const r = await check(['--days', '7', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.window.from).toBe(ago(2).toISOString());
    expect(poolRow(r.stdout).perDay).toBe(100);
  });

  it('a short page is still read over 14 days', async () => {
    const s = shop.sandbox.store;
    for (let i = 0; i < 14; i++) s.purchase(keyProduct, 1, 'b@example.com', ago(1));
    const r = await check(['--days', '7', '--json']);
    expect(poolRow(r.stdout).perDay).toBe(1);
  });

  it('an order naming its product id counts for it though its title is shared; one naming only that title counts for none, and stderr says so', async () => {
    const s = shop.sandbox.store;
    const other = s.createWarehouse({
      name: 'Other keys',
      stock: 'O-1',
      removeDuplicates: true,
      removeSold: true,
      lowStockThreshold: null,
    }).id;
    s.createProduct({
      title: 'Key',
      price: 4,
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
      warehouseId: other,
    });
    const byTitle = s.purchase(keyProduct, 14, 'b@example.com', ago(2));
    delete (byTitle as Partial<typeof byTitle>).productId;
    s.purchase(keyProduct, 7, 'b@example.com', ago(1));
    const r = await check(['--days', '7', '--json']);
    expect(r.stderr).toContain('orders name "Key", the title of several products');
    const out = JSON.parse(r.stdout);
    expect(out.ambiguousTitles).toEqual(['Key']);
    expect(poolRow(r.stdout).perDay).toBe(0.5);
    expect((out.stock as Horizon[]).find((h) => h.id === other)?.perDay).toBe(0);
  });

  it('with a history, at the default place or named by --db, the sales come from it', async () => {
    const s = shop.sandbox.store;
    for (let i = 0; i < 28; i++) s.purchase(keyProduct, 1, 'b@example.com', ago(1));
    const db = join(tmp.dir, 'h.sqlite');
    for (const args of [[], ['--db', db]]) {
      expect((await runMain(['orders', 'sync', ...args], { env: shop.env, clock })).code).toBe(0);
      // Sold after the sync: only the page would see these.
      const r = await check(['--days', '7', '--json', ...args]);
      expect(JSON.parse(r.stdout).source).toBe('sales of the last 14 days in the local history');
      expect(poolRow(r.stdout).perDay).toBe(2);
      s.purchase(keyProduct, 14, 'b@example.com', ago(1));
      const again = await check(['--days', '7', '--json', ...args]);
      expect(poolRow(again.stdout).perDay).toBe(2);
      expect(locks()).toEqual([]); // it let go of the history
      s.orders.clear();
      for (let i = 0; i < 28; i++) s.purchase(keyProduct, 1, 'b@example.com', ago(1));
    }
  });

  it('--db naming no history is an error, not a quiet fall-back to the newest orders', async () => {
    const db = join(tmp.dir, 'none.sqlite');
    const r = await check(['--days', '7', '--json', '--db', db]);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(8);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stdout).toBe('');
  });

  it('what runs out within N days: exit 8, ok false in JSON, and the count on stderr', async () => {
    const s = shop.sandbox.store;
    // 28 sold in 14 days: 2 a day; 972 left, 486 days.
    for (let i = 0; i < 28; i++) s.purchase(keyProduct, 1, 'b@example.com', ago(1));
    const near = await check(['--days', '500', '--json']);
    expect(near.code).toBe(8);
    expect(JSON.parse(near.stdout).ok).toBe(false);
    const far = await check(['--days', '400']);
    expect(far.code).toBe(0);
    expect(far.stderr).toMatch(
      /^Nothing runs out within 400 days \(sales in the newest 28 orders;/,
    );
    expect(far.stdout.split('\n')[0]).toMatch(/^warehouse\t/); // rows, not the JSON object
    const piped = await check(['--days', '500']);
    expect(piped.code).toBe(8);
    expect(piped.stderr).toMatch(
      /^1 of 1 pools and products low or running out within 500 days \(/,
    );
  });

  it('--json --fields gives the rows with those fields, not the summary object', async () => {
    const r = await check(['--days', '7', '--json', '--fields', 'id,daysLeft']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toEqual([{ id: pool, daysLeft: null }]);
  });
});
