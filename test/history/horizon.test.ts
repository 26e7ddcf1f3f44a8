// `warehouses check --days N`: days of stock left from the sales in the
// history; exit 8 for what runs out within N days. Without --days, check
// reads no orders.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product } from '../../src/api/resources/index.js';
import { systemClock } from '../../src/clock.js';
import { attribute } from '../../src/commands/warehouses/horizon.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

describe('which product an order sold', () => {
  const products = [
    { id: 'a', title: 'Key' },
    { id: 'b', title: 'Key' },
    { id: 'c', title: 'Card' },
  ] as Product[];

  it('by id where the order has one, by title where that title names one product', () => {
    const { sold, ambiguous } = attribute(
      [
        { productId: 'a', productTitle: 'Key', sold: 2 },
        { productId: null, productTitle: 'Card', sold: 3 },
      ],
      products,
    );
    expect([...sold]).toEqual([
      ['a', 2],
      ['c', 3],
    ]);
    expect(ambiguous).toEqual([]);
  });

  it('a title several products share counts for none, and is named', () => {
    const r = attribute([{ productId: null, productTitle: 'Key', sold: 5 }], products);
    expect(r.sold.size).toBe(0);
    expect(r.ambiguous).toEqual(['Key']);
    expect(r.unknown).toBe(5);
  });
});

describe('warehouses check --days', () => {
  let shop: TestShop;
  let tmp: { dir: string; cleanup: () => void };
  let paths: string[];
  let warehouse: string;
  beforeEach(async () => {
    paths = [];
    shop = await startTestShop({
      empty: true,
      log: (line) => {
        const m = /(GET|POST) (\S+)/.exec(line);
        if (m) paths.push(m[2]!);
      },
    });
    tmp = tempDir('astrosell-horizon-');
    const s = shop.sandbox.store;
    warehouse = s.createWarehouse({
      name: 'Keys',
      stock: Array.from({ length: 100 }, (_, i) => `K-${i}`).join('\n'),
      removeDuplicates: true,
      removeSold: true,
      lowStockThreshold: 5,
    }).id;
    const product = s.createProduct({
      title: 'Key',
      price: 3,
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
      warehouseId: warehouse,
    }).id;
    // 28 sold within the last 14 days: 2 a day; 72 left, so 36 days.
    for (let i = 0; i < 28; i++) s.purchase(product, 1, 'b@example.com');
  });
  afterEach(async () => {
    await shop.close();
    tmp.cleanup();
  });

  it('says the days left per pool and exits 8 only when they fall within N days', async () => {
    const db = join(tmp.dir, 'h.sqlite');
    expect((await runMain(['orders', 'sync', '--db', db], { env: shop.env })).code).toBe(0);
    const within = async (days: number) => {
      const r = await runMain(
        ['warehouses', 'check', '--days', String(days), '--db', db, '--json'],
        {
          env: shop.env,
        },
      );
      const pool = JSON.parse(r.stdout).stock.find((x: { id: string }) => x.id === warehouse);
      return { code: r.code, pool };
    };
    const far = await within(30);
    expect(far.code).toBe(0);
    expect(far.pool).toMatchObject({ count: 72, perDay: 2, daysLeft: 36, runsOut: false });
    const near = await within(40);
    expect(near.code).toBe(8);
    expect(near.pool.runsOut).toBe(true);
  });

  it("counts the newest sales when the service's clock runs ahead of ours", async () => {
    const db = join(tmp.dir, 'h.sqlite');
    expect((await runMain(['orders', 'sync', '--db', db], { env: shop.env })).code).toBe(0);
    const behind = { now: () => systemClock.now() - 10 * 60_000, sleep: systemClock.sleep };
    const r = await runMain(['warehouses', 'check', '--days', '30', '--db', db, '--json'], {
      env: shop.env,
      clock: behind,
    });
    const pool = JSON.parse(r.stdout).stock.find((x: { id: string }) => x.id === warehouse);
    expect(pool).toMatchObject({ perDay: 2, daysLeft: 36 });
  });

  it('without --days, check reads no orders', async () => {
    const r = await runMain(['warehouses', 'check'], { env: shop.env });
    expect(r.code).toBe(0);
    expect(paths.some((p) => p.includes('/orders'))).toBe(false);
    expect(paths.some((p) => p.includes('/warehouses'))).toBe(true);
  });
});
