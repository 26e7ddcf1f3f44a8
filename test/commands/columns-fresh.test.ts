// The tables columns.ts builds when it loads (the record views, the tone of
// each order status), read from a copy of the module loaded inside each test
// so that mutation testing sees them; and the coupon checks' edges for
// values of the wrong type.
import { describe, expect, it } from 'vitest';
import type { Coupon, Order } from '../../src/api/resources/index.js';
import { freshImport } from '../helpers/fresh.js';

type Columns = typeof import('../../src/commands/columns.js');
const load = () => freshImport<Columns>(import.meta.url, '../../src/commands/columns.js');

describe('built when the module loads', () => {
  it('the record views: their fields in order and their money fields', async () => {
    const { PRODUCT_VIEW, WAREHOUSE_VIEW, ORDER_VIEW, COUPON_VIEW } = await load();
    expect(PRODUCT_VIEW).toStrictEqual({
      fields: [
        'id',
        'title',
        'price',
        'currency',
        'type',
        'stock',
        'unlimitedStock',
        'visibility',
        'salesCount',
        'warehouseId',
        'createdAt',
      ],
      money: { price: 'currency' },
    });
    expect(WAREHOUSE_VIEW).toStrictEqual({
      fields: [
        'id',
        'name',
        'count',
        'lowStockThreshold',
        'removeDuplicates',
        'removeSold',
        'createdAt',
      ],
    });
    expect(ORDER_VIEW).toStrictEqual({
      fields: [
        'invoiceId',
        'productTitle',
        'total',
        'currency',
        'status',
        'gateway',
        'customerEmail',
        'createdAt',
      ],
      money: { total: 'currency' },
    });
    expect(COUPON_VIEW).toStrictEqual({
      fields: ['code', 'type', 'value', 'currency', 'uses', 'maxUses', 'expiresAt'],
    });
  });

  it('the tone of each order status', async () => {
    const { orderColumns } = await load();
    const status = orderColumns(false, 0).find((c) => c.header === 'status')!;
    const tone = (s: unknown) => status.tone!({ status: s } as Order);
    expect(
      [
        'completed',
        'pending',
        'processing',
        'expired',
        'refunded',
        'cancelled',
        'failed',
        'on_hold',
        '',
      ].map(tone),
    ).toEqual(['good', 'warn', 'warn', 'dim', 'bad', 'dim', 'bad', 'plain', 'plain']);
  });
});

describe('coupon checks, values of the wrong type', () => {
  it('an expiry that is not a string is no expiry, even one Date.parse reads', async () => {
    const { couponExpired } = await load();
    expect(Date.parse(123 as unknown as string)).not.toBeNaN();
    expect(couponExpired({ expiresAt: 123 } as unknown as Coupon, Date.now())).toBe(false);
  });

  it('uses and limits that are not numbers never make a coupon used up', async () => {
    const { couponUsedUp } = await load();
    expect(couponUsedUp({ uses: '3', maxUses: 3 } as unknown as Coupon)).toBe(false);
    expect(couponUsedUp({ uses: 3, maxUses: '3' } as unknown as Coupon)).toBe(false);
    expect(couponUsedUp({ uses: 3, maxUses: 3 })).toBe(true);
  });

  it('no limit, null or missing, is ∞', async () => {
    const { couponColumns } = await load();
    const used = (c: Coupon) =>
      couponColumns(false, 0)
        .find((x) => x.header === 'used')!
        .value(c);
    expect([used({ uses: 3, maxUses: null }), used({ uses: 3 }), used({ maxUses: 4 })]).toEqual([
      '3/∞',
      '3/∞',
      '0/4',
    ]);
  });
});
