// What each record's table shows: every cell's text and tone, piped and on a
// terminal, and which columns give way on a narrow terminal (pure policies).
import { describe, expect, it } from 'vitest';
import { COUPON, type Coupon, couponExpired, couponUsedUp } from '../../src/records/coupon.js';
import type { RecordDef } from '../../src/records/define.js';
import { ORDER, type Order } from '../../src/records/order.js';
import { PRODUCT, type Product, stockText } from '../../src/records/product.js';
import { isLow, WAREHOUSE, type Warehouse } from '../../src/records/warehouse.js';
import type { Column } from '../../src/render/output.js';
import { columnsOf, showFor } from '../../src/render/records.js';

const table =
  <T>(def: RecordDef<T>) =>
  (tty = false, now = 0): Column<T>[] =>
    columnsOf(def, def.columns ?? [], showFor(tty, now));
const productColumns = table(PRODUCT as RecordDef<Product>);
const warehouseColumns = table(WAREHOUSE as RecordDef<Warehouse>);
const orderColumns = table(ORDER as RecordDef<Order>);
const couponColumns = table(COUPON as RecordDef<Coupon>);

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const YESTERDAY = '2026-05-31T12:00:00.000Z';
const TOMORROW = '2026-06-02T12:00:00.000Z';

/** Each column's header, text and tone for one row. */
function cells<T>(columns: readonly Column<T>[], row: T): Array<[string, string, string]> {
  return columns.map((c) => [c.header, c.value(row), c.tone ? c.tone(row) : '-']);
}

/** The layout hints of a column set. */
function shape<T>(columns: readonly Column<T>[]) {
  return columns.map((c) => ({
    header: c.header,
    align: c.align ?? 'left',
    shrink: c.shrink ?? false,
    drop: c.drop ?? 0,
  }));
}

describe('stockText', () => {
  it('is ∞ for unlimited stock, whatever the count', () => {
    expect(stockText({ id: 'p', type: 'serials', unlimitedStock: true, stock: 3 })).toBe('∞');
  });
  it('is ∞ for a product that is not serials (nothing to count)', () => {
    expect(stockText({ id: 'p', type: 'service', stock: 3 })).toBe('∞');
    expect(stockText({ id: 'p', type: 'file', unlimitedStock: false, stock: 0 })).toBe('∞');
  });
  it('is the count for serials, or for a product whose type is missing', () => {
    expect(stockText({ id: 'p', type: 'serials', unlimitedStock: false, stock: 7 })).toBe('7');
    expect(stockText({ id: 'p', stock: 0 })).toBe('0');
    expect(stockText({ id: 'p', type: 'serials', stock: 12 })).toBe('12');
  });
  it('is empty when serials have no numeric count', () => {
    expect(stockText({ id: 'p', type: 'serials' })).toBe('');
    expect(stockText({ id: 'p', type: 'serials', stock: null })).toBe('');
    expect(stockText({ id: 'p', unlimitedStock: null })).toBe('');
  });
});

describe('productColumns', () => {
  const serials: Product = {
    id: 'prod_1',
    title: 'Game key',
    price: 4.99,
    currency: 'USD',
    type: 'serials',
    stock: 0,
    unlimitedStock: false,
    visibility: 'public',
    salesCount: 12,
    createdAt: YESTERDAY,
  };

  it('piped: exact values (plain money, ISO date); stock 0 is bad', () => {
    expect(cells(productColumns(false, NOW), serials)).toEqual([
      ['id', 'prod_1', '-'],
      ['title', 'Game key', '-'],
      ['price', '4.99 USD', '-'],
      ['type', 'serials', '-'],
      ['stock', '0', 'bad'],
      ['visibility', 'public', '-'],
      ['sales', '12', '-'],
      ['created', YESTERDAY, 'dim'],
    ]);
  });

  it('on a terminal: currency symbol and relative date; stock above 0 is plain', () => {
    const row = { ...serials, stock: 1, price: 1234.5, currency: 'EUR' };
    expect(cells(productColumns(true, NOW), row)).toEqual([
      ['id', 'prod_1', '-'],
      ['title', 'Game key', '-'],
      ['price', '€1,234.50', '-'],
      ['type', 'serials', '-'],
      ['stock', '1', 'plain'],
      ['visibility', 'public', '-'],
      ['sales', '12', '-'],
      ['created', 'yesterday', 'dim'],
    ]);
  });

  it('missing fields give empty cells, unlimited stock ∞ and plain', () => {
    expect(cells(productColumns(true, NOW), { id: 'p2', unlimitedStock: true })).toEqual([
      ['id', 'p2', '-'],
      ['title', '', '-'],
      ['price', '', '-'],
      ['type', '', '-'],
      ['stock', '∞', 'plain'],
      ['visibility', '', '-'],
      ['sales', '', '-'],
      ['created', '', 'dim'],
    ]);
  });

  it('layout: money and counts right-aligned, title shrinks, created goes first', () => {
    expect(shape(productColumns(false, NOW))).toEqual([
      { header: 'id', align: 'left', shrink: false, drop: 0 },
      { header: 'title', align: 'left', shrink: true, drop: 0 },
      { header: 'price', align: 'right', shrink: false, drop: 0 },
      { header: 'type', align: 'left', shrink: false, drop: 0 },
      { header: 'stock', align: 'right', shrink: false, drop: 0 },
      { header: 'visibility', align: 'left', shrink: false, drop: 2 },
      { header: 'sales', align: 'right', shrink: false, drop: 3 },
      { header: 'created', align: 'left', shrink: false, drop: 1 },
    ]);
  });
});

describe('isLow', () => {
  it('is true at the threshold and below, false above', () => {
    expect(isLow({ id: 'w', count: 5, lowStockThreshold: 5 })).toBe(true);
    expect(isLow({ id: 'w', count: 4, lowStockThreshold: 5 })).toBe(true);
    expect(isLow({ id: 'w', count: 0, lowStockThreshold: 0 })).toBe(true);
    expect(isLow({ id: 'w', count: 6, lowStockThreshold: 5 })).toBe(false);
  });
  it('is false when either number is missing', () => {
    expect(isLow({ id: 'w', count: 0 })).toBe(false);
    expect(isLow({ id: 'w', count: 0, lowStockThreshold: null })).toBe(false);
    expect(isLow({ id: 'w', lowStockThreshold: 5 })).toBe(false);
    expect(isLow({ id: 'w', count: null, lowStockThreshold: 5 })).toBe(false);
  });
});

describe('warehouseColumns', () => {
  const base: Warehouse = {
    id: 'wh_1',
    name: 'Keys',
    count: 10,
    lowStockThreshold: 5,
    removeDuplicates: true,
    removeSold: false,
  };

  it('above the threshold: plain count, yes/no flags', () => {
    expect(cells(warehouseColumns(), base)).toEqual([
      ['id', 'wh_1', '-'],
      ['name', 'Keys', '-'],
      ['count', '10', 'plain'],
      ['low at', '5', '-'],
      ['dedup', 'yes', '-'],
      ['remove sold', 'no', '-'],
    ]);
  });

  it('at the threshold: warn; empty and low: bad; empty with no threshold: plain', () => {
    const tone = (w: Warehouse) => cells(warehouseColumns(), w)[2];
    expect(tone({ ...base, count: 5 })).toEqual(['count', '5', 'warn']);
    expect(tone({ ...base, count: 1 })).toEqual(['count', '1', 'warn']);
    expect(tone({ ...base, count: 0 })).toEqual(['count', '0', 'bad']);
    expect(tone({ ...base, count: 0, lowStockThreshold: null })).toEqual(['count', '0', 'plain']);
  });

  it('missing fields: empty cells (neither yes nor no)', () => {
    expect(cells(warehouseColumns(), { id: 'wh_2', removeDuplicates: false })).toEqual([
      ['id', 'wh_2', '-'],
      ['name', '', '-'],
      ['count', '', 'plain'],
      ['low at', '', '-'],
      ['dedup', 'no', '-'],
      ['remove sold', '', '-'],
    ]);
  });

  it('layout', () => {
    expect(shape(warehouseColumns())).toEqual([
      { header: 'id', align: 'left', shrink: false, drop: 0 },
      { header: 'name', align: 'left', shrink: true, drop: 0 },
      { header: 'count', align: 'right', shrink: false, drop: 0 },
      { header: 'low at', align: 'right', shrink: false, drop: 0 },
      { header: 'dedup', align: 'left', shrink: false, drop: 0 },
      { header: 'remove sold', align: 'left', shrink: false, drop: 0 },
    ]);
  });
});

describe('orderColumns', () => {
  const order: Order = {
    invoiceId: 'inv_1',
    productTitle: 'Game key',
    total: 1235,
    currency: 'JPY',
    status: 'completed',
    gateway: 'stripe',
    deliveredItems: ['A', 'B'],
    createdAt: YESTERDAY,
  };

  it('piped: exact values', () => {
    expect(cells(orderColumns(false, NOW), order)).toEqual([
      ['invoice', 'inv_1', '-'],
      ['product', 'Game key', '-'],
      ['total', '1235 JPY', '-'],
      ['status', 'completed', 'good'],
      ['gateway', 'stripe', '-'],
      ['items', '2', '-'],
      ['created', YESTERDAY, 'dim'],
    ]);
  });

  it('on a terminal: currency format and relative date', () => {
    expect(cells(orderColumns(true, NOW), { ...order, deliveredItems: [] })).toEqual([
      ['invoice', 'inv_1', '-'],
      ['product', 'Game key', '-'],
      ['total', '¥1,235', '-'],
      ['status', 'completed', 'good'],
      ['gateway', 'stripe', '-'],
      ['items', '0', '-'],
      ['created', 'yesterday', 'dim'],
    ]);
  });

  it('each status has its tone; an unknown or missing one is plain', () => {
    const tone = (status: string | null | undefined) =>
      cells(orderColumns(false, NOW), { invoiceId: 'i', status } as Order)[3];
    expect(tone('completed')).toEqual(['status', 'completed', 'good']);
    expect(tone('pending')).toEqual(['status', 'pending', 'warn']);
    expect(tone('processing')).toEqual(['status', 'processing', 'warn']);
    expect(tone('expired')).toEqual(['status', 'expired', 'dim']);
    expect(tone('refunded')).toEqual(['status', 'refunded', 'bad']);
    expect(tone('cancelled')).toEqual(['status', 'cancelled', 'dim']);
    expect(tone('failed')).toEqual(['status', 'failed', 'bad']);
    expect(tone('on_hold')).toEqual(['status', 'on_hold', 'plain']);
    expect(tone('toString')).toEqual(['status', 'toString', 'plain']);
    expect(tone(null)).toEqual(['status', '', 'plain']);
    expect(tone(undefined)).toEqual(['status', '', 'plain']);
  });

  it('missing fields give empty cells (items too, when not a list)', () => {
    expect(cells(orderColumns(true, NOW), { invoiceId: 'inv_2', deliveredItems: null })).toEqual([
      ['invoice', 'inv_2', '-'],
      ['product', '', '-'],
      ['total', '', '-'],
      ['status', '', 'plain'],
      ['gateway', '', '-'],
      ['items', '', '-'],
      ['created', '', 'dim'],
    ]);
  });

  it('layout', () => {
    expect(shape(orderColumns(false, NOW))).toEqual([
      { header: 'invoice', align: 'left', shrink: false, drop: 0 },
      { header: 'product', align: 'left', shrink: true, drop: 0 },
      { header: 'total', align: 'right', shrink: false, drop: 0 },
      { header: 'status', align: 'left', shrink: false, drop: 0 },
      { header: 'gateway', align: 'left', shrink: false, drop: 2 },
      { header: 'items', align: 'right', shrink: false, drop: 0 },
      { header: 'created', align: 'left', shrink: false, drop: 0 },
    ]);
  });
});

describe('couponExpired / couponUsedUp', () => {
  it('expired at exactly now and before; not after; never without a date', () => {
    expect(couponExpired({ expiresAt: new Date(NOW).toISOString() }, NOW)).toBe(true);
    expect(couponExpired({ expiresAt: new Date(NOW - 1).toISOString() }, NOW)).toBe(true);
    expect(couponExpired({ expiresAt: new Date(NOW + 1).toISOString() }, NOW)).toBe(false);
    expect(couponExpired({ expiresAt: null }, NOW)).toBe(false);
    expect(couponExpired({}, NOW)).toBe(false);
  });
  it('used up when uses reach maxUses; never without a limit', () => {
    expect(couponUsedUp({ uses: 3, maxUses: 3 })).toBe(true);
    expect(couponUsedUp({ uses: 4, maxUses: 3 })).toBe(true);
    expect(couponUsedUp({ uses: 2, maxUses: 3 })).toBe(false);
    expect(couponUsedUp({ uses: 0, maxUses: 0 })).toBe(true);
    expect(couponUsedUp({ uses: 5, maxUses: null })).toBe(false);
    expect(couponUsedUp({ maxUses: 0 })).toBe(false);
    expect(couponUsedUp({ uses: 9 })).toBe(false);
  });
});

describe('couponColumns', () => {
  const percent: Coupon = {
    code: 'SAVE10',
    type: 'percent',
    value: 10,
    uses: 2,
    maxUses: 5,
    expiresAt: TOMORROW,
  };

  it('percent, active, piped: exact values', () => {
    expect(cells(couponColumns(false, NOW), percent)).toEqual([
      ['code', 'SAVE10', '-'],
      ['discount', '10%', '-'],
      ['used', '2/5', 'plain'],
      ['expires', TOMORROW, 'plain'],
      ['state', 'active', 'good'],
    ]);
  });

  it('percent, active, on a terminal: relative expiry', () => {
    expect(cells(couponColumns(true, NOW), percent)).toEqual([
      ['code', 'SAVE10', '-'],
      ['discount', '10%', '-'],
      ['used', '2/5', 'plain'],
      ['expires', 'tomorrow', 'plain'],
      ['state', 'active', 'good'],
    ]);
  });

  it('a fixed amount with a currency: money, piped and on a terminal', () => {
    const fixed: Coupon = { code: 'FIVE', type: 'fixed', value: 5, currency: 'EUR' };
    expect(cells(couponColumns(false, NOW), fixed)[1]).toEqual(['discount', '5.00 EUR', '-']);
    expect(cells(couponColumns(true, NOW), fixed)[1]).toEqual(['discount', '€5.00', '-']);
  });

  it('a fixed amount without a currency: two decimals, no code', () => {
    const bare: Coupon = { code: 'FIVE', type: 'fixed', value: 5, currency: null };
    expect(cells(couponColumns(false, NOW), bare)[1]).toEqual(['discount', '5.00', '-']);
    expect(cells(couponColumns(true, NOW), { ...bare, currency: '' })[1]).toEqual([
      'discount',
      '5.00',
      '-',
    ]);
  });

  it('no numeric value: the text as is (empty when missing)', () => {
    expect(cells(couponColumns(false, NOW), { code: 'X', type: 'fixed' })[1]).toEqual([
      'discount',
      '',
      '-',
    ]);
    expect(cells(couponColumns(false, NOW), { code: 'X', type: 'percent' })[1]).toEqual([
      'discount',
      '%',
      '-',
    ]);
  });

  it('no limit, never expires: ∞, and "never" only on a terminal', () => {
    const open: Coupon = { code: 'OPEN', type: 'percent', value: 5, maxUses: null };
    expect(cells(couponColumns(false, NOW), open)).toEqual([
      ['code', 'OPEN', '-'],
      ['discount', '5%', '-'],
      ['used', '0/∞', 'plain'],
      ['expires', '', 'plain'],
      ['state', 'active', 'good'],
    ]);
    expect(cells(couponColumns(true, NOW), { ...open, uses: 7, expiresAt: null })).toEqual([
      ['code', 'OPEN', '-'],
      ['discount', '5%', '-'],
      ['used', '7/∞', 'plain'],
      ['expires', 'never', 'plain'],
      ['state', 'active', 'good'],
    ]);
  });

  it('used up: warn', () => {
    const used = { ...percent, uses: 5 };
    expect(cells(couponColumns(false, NOW), used)).toEqual([
      ['code', 'SAVE10', '-'],
      ['discount', '10%', '-'],
      ['used', '5/5', 'warn'],
      ['expires', TOMORROW, 'plain'],
      ['state', 'used up', 'warn'],
    ]);
  });

  it('expired at exactly now: bad, "expired …" on a terminal, the date piped; expiry wins over used up', () => {
    const at = new Date(NOW).toISOString();
    const expired = { ...percent, uses: 5, expiresAt: at };
    expect(cells(couponColumns(false, NOW), expired)).toEqual([
      ['code', 'SAVE10', '-'],
      ['discount', '10%', '-'],
      ['used', '5/5', 'warn'],
      ['expires', at, 'bad'],
      ['state', 'expired', 'bad'],
    ]);
    expect(cells(couponColumns(true, NOW), { ...percent, expiresAt: YESTERDAY })).toEqual([
      ['code', 'SAVE10', '-'],
      ['discount', '10%', '-'],
      ['used', '2/5', 'plain'],
      ['expires', 'expired yesterday', 'bad'],
      ['state', 'expired', 'bad'],
    ]);
  });

  it('layout', () => {
    expect(shape(couponColumns(false, NOW))).toEqual([
      { header: 'code', align: 'left', shrink: false, drop: 0 },
      { header: 'discount', align: 'right', shrink: false, drop: 0 },
      { header: 'used', align: 'right', shrink: false, drop: 0 },
      { header: 'expires', align: 'left', shrink: false, drop: 0 },
      { header: 'state', align: 'left', shrink: false, drop: 0 },
    ]);
  });
});
