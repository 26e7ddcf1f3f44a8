// The rules a reader relies on in every record's table and detail: amounts
// with their currency, dates relative on a terminal and exact when piped,
// missing fields blank, ids never cut, which columns go first on a narrow
// terminal, and what each colour means. Columns are found by their header,
// so adding a column breaks none of these.
import { describe, expect, it } from 'vitest';
import type { IO } from '../../src/io.js';
import { COUPON, couponExpired, couponUsedUp } from '../../src/records/coupon.js';
import type { Kind, RecordDef, Tone } from '../../src/records/define.js';
import { DIFF } from '../../src/records/diff.js';
import { HORIZON } from '../../src/records/horizon.js';
import { LOW } from '../../src/records/low.js';
import { ORDER, ORDER_DETAIL } from '../../src/records/order.js';
import { PRODUCT, PRODUCT_DETAIL, stockText } from '../../src/records/product.js';
import { isLow, WAREHOUSE, WAREHOUSE_DETAIL } from '../../src/records/warehouse.js';
import { layout } from '../../src/render/output.js';
import { columnsOf, recordWriter, showFor } from '../../src/render/records.js';

type Row = Record<string, unknown>;
type Def = RecordDef<Row>;
const LISTS = { PRODUCT, WAREHOUSE, ORDER, COUPON, HORIZON, LOW } as unknown as Record<string, Def>;
const DETAILS = { PRODUCT_DETAIL, WAREHOUSE_DETAIL, ORDER_DETAIL, DIFF } as unknown as Record<
  string,
  Def
>;
const ALL = { ...LISTS, ...DETAILS };

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const YESTERDAY = '2026-05-31T12:00:00.000Z';
const TOMORROW = '2026-06-02T12:00:00.000Z';

/** A list's columns, or a detail's rows, as drawn piped (tty false) or on a terminal. */
const cellsOf = (def: Def, tty: boolean) =>
  columnsOf(def, def.columns ?? def.rows ?? [], showFor(tty, NOW));

/** The cell under a header: its text and its colour ('plain' when it has none). */
function cell(def: unknown, header: string, row: Row, tty = false): { text: string; tone: Tone } {
  const c = cellsOf(def as Def, tty).find((x) => x.header === header);
  if (!c) throw new Error(`no "${header}" cell`);
  return { text: c.value(row), tone: c.tone?.(row) ?? 'plain' };
}
const tone = (def: unknown, header: string, row: Row) => cell(def, header, row).tone;

const kindOf = (def: Def, field: string) =>
  def.schema[field]?.replace(/!$/, '') as Kind | undefined;
const required = (def: Def) => Object.keys(def.schema).filter((f) => def.schema[f]!.endsWith('!'));
/** A record with its required fields only. */
const bare = (def: Def): Row =>
  Object.fromEntries(required(def).map((f) => [f, kindOf(def, f) === 'count' ? 3 : `${f}-1`]));

describe('every record', () => {
  it.each(Object.entries(ALL))(
    '%s: a missing field is a blank cell, never "undefined" or "null"',
    (_, def) => {
      for (const tty of [false, true]) {
        for (const c of cellsOf(def, tty)) {
          const text = c.value(bare(def));
          expect(text).not.toMatch(/undefined|null|NaN|\[object/);
          const field = (def.columns ?? def.rows)!.find((x) => x.label === c.header)!.field;
          if (field && !required(def).includes(field)) expect(text, c.header).toBe('');
        }
      }
    },
  );

  const amounts = Object.entries(ALL).flatMap(([name, def]) =>
    (def.columns ?? def.rows ?? [])
      .filter((c) => c.field && def.money?.[c.field])
      .map((c) => [name, c.label, def, c.field!, def.money![c.field!]!] as const),
  );
  it('products and orders show an amount', () => {
    expect(new Set(amounts.map(([name]) => name))).toEqual(
      new Set(['PRODUCT', 'PRODUCT_DETAIL', 'ORDER', 'ORDER_DETAIL']),
    );
  });
  it.each(amounts)(
    '%s %s: an amount with its currency, its code piped, its symbol on a terminal',
    (_, header, def, field, currency) => {
      const row = { ...bare(def), [field]: 1234.5, [currency]: 'EUR' };
      expect(cell(def, header, row).text).toBe('1234.50 EUR');
      expect(cell(def, header, row, true).text).toBe('€1,234.50');
      expect(cell(def, header, { ...row, [field]: 1235, [currency]: 'JPY' }, true).text).toBe(
        '¥1,235',
      );
    },
  );

  const dates = Object.entries(ALL).flatMap(([name, def]) =>
    (def.columns ?? def.rows ?? [])
      .filter((c) => c.field?.endsWith('At'))
      .map((c) => [name, c.label, def, c.field!] as const),
  );
  it.each(dates)(
    '%s %s: a date is exact (ISO) piped, relative on a terminal, dimmed in a list',
    (_, header, def, field) => {
      const row = { ...bare(def), [field]: YESTERDAY };
      expect(cell(def, header, row).text).toBe(YESTERDAY);
      expect(cell(def, header, row, true).text).toBe('yesterday');
      if (def.columns) expect(cell(def, header, row).tone).toBe('dim');
    },
  );
});

describe('every list table', () => {
  it.each(Object.entries(LISTS))(
    '%s: numbers and amounts right-aligned; only free text gives way',
    (_, def) => {
      for (const c of def.columns!) {
        const kind = c.field && kindOf(def, c.field);
        const amount = c.field !== undefined && def.money?.[c.field] !== undefined;
        if (kind === 'number' || kind === 'count' || amount) expect(c.align, c.label).toBe('right');
        if (c.shrink) {
          // Not an id, an amount, a count or a date: a title or a name.
          expect(kind, c.label).toBe('string');
          expect(required(def).includes(c.field!) || amount || c.field!.endsWith('At')).toBe(false);
        }
      }
    },
  );

  it.each(Object.entries(LISTS))(
    '%s: a 40-column terminal cuts a title, never an id; piped, every column and nothing cut',
    async (_, def) => {
      const long = 'x'.repeat(60);
      const row: Row = Object.fromEntries(
        Object.keys(def.schema).map((f) => [
          f,
          kindOf(def, f) === 'string' ? `${f}-${long}` : 12345,
        ]),
      );
      for (const currency of Object.values(def.money ?? {})) row[currency] = 'EUR';
      for (const f of Object.keys(def.schema)) if (f.endsWith('At')) row[f] = YESTERDAY;
      const draw = async (tty: boolean) => {
        let out = '';
        const io = {
          stdout: {
            write(s: string) {
              out += s;
              return true;
            },
          },
          stderr: { write: () => true },
          stdoutIsTTY: tty,
          color: false,
          columns: 40,
        } as unknown as IO;
        const w = await recordWriter(io, NOW, tty ? 'table' : 'tsv', def);
        w.write([row]);
        w.end();
        return out.split('\n');
      };
      const [, line] = await draw(true);
      // A title or name is cut; the record's required fields (its id) and
      // its first column (a coupon's code) are not.
      for (const c of def.columns!) if (c.shrink) expect(line).not.toContain(row[c.field!]);
      for (const f of [...required(def), def.columns![0]!.field!]) expect(line).toContain(row[f]);
      const [piped] = await draw(false);
      expect(piped!.split('\t')).toHaveLength(def.columns!.length);
      for (const c of def.columns!)
        if (c.field) expect(piped).toContain(cell(def, c.label, row).text);
    },
  );

  /** Headers in the order a narrowing terminal leaves them out, and those that always stay. */
  function narrowing(def: Def) {
    const cols = def.columns!.map((c) => ({
      natural: 10,
      shrink: Boolean(c.shrink),
      drop: c.drop,
    }));
    const gone: string[] = [];
    let keep: number[] = [];
    for (let total = 200; total >= 0; total--) {
      keep = layout(cols, total).keep;
      for (const [i, c] of def.columns!.entries()) {
        if (!keep.includes(i) && !gone.includes(c.label)) gone.push(c.label);
      }
    }
    return { gone, stay: keep.map((i) => def.columns![i]!.label) };
  }

  it("a narrow terminal leaves out a product's sales first, then visibility, then created; id, title, price and stock stay", () => {
    const { gone, stay } = narrowing(LISTS.PRODUCT!);
    expect(gone).toEqual(['sales', 'visibility', 'created']);
    expect(stay).toEqual(expect.arrayContaining(['id', 'title', 'price', 'type', 'stock']));
  });

  it("a narrow terminal leaves out an order's gateway only; the other lists keep every column", () => {
    expect(narrowing(LISTS.ORDER!).gone).toEqual(['gateway']);
    for (const name of ['WAREHOUSE', 'COUPON', 'HORIZON', 'LOW']) {
      expect(narrowing(LISTS[name]!).gone, name).toEqual([]);
    }
  });
});

describe('products: stock', () => {
  it('∞ for unlimited stock and for a product that is not serials; else the count, blank without one', () => {
    expect(stockText({ id: 'p', type: 'serials', unlimitedStock: true, stock: 3 })).toBe('∞');
    expect(stockText({ id: 'p', type: 'service', stock: 3 })).toBe('∞');
    expect(stockText({ id: 'p', type: 'file', unlimitedStock: false, stock: 0 })).toBe('∞');
    expect(stockText({ id: 'p', type: 'serials', unlimitedStock: false, stock: 7 })).toBe('7');
    expect(stockText({ id: 'p', stock: 0 })).toBe('0');
    expect(stockText({ id: 'p', type: 'serials', stock: null })).toBe('');
    expect(stockText({ id: 'p', unlimitedStock: null })).toBe('');
  });

  it.each([
    ['list', PRODUCT],
    ['detail', PRODUCT_DETAIL],
  ])('%s: stock 0 is red; any other count, ∞ and blank are plain', (_, def) => {
    expect(tone(def, 'stock', { id: 'p', type: 'serials', stock: 0 })).toBe('bad');
    expect(tone(def, 'stock', { id: 'p', type: 'serials', stock: 1 })).toBe('plain');
    expect(tone(def, 'stock', { id: 'p', type: 'serials', stock: 0, unlimitedStock: true })).toBe(
      'plain',
    );
    expect(tone(def, 'stock', { id: 'p', type: 'service', stock: 0 })).toBe('plain');
    expect(tone(def, 'stock', { id: 'p' })).toBe('plain');
  });
});

describe('warehouses: low stock', () => {
  it('low at the threshold and below; never without both numbers', () => {
    expect(isLow({ id: 'w', count: 5, lowStockThreshold: 5 })).toBe(true);
    expect(isLow({ id: 'w', count: 0, lowStockThreshold: 0 })).toBe(true);
    expect(isLow({ id: 'w', count: 6, lowStockThreshold: 5 })).toBe(false);
    expect(isLow({ id: 'w', count: 0, lowStockThreshold: null })).toBe(false);
    expect(isLow({ id: 'w', count: null, lowStockThreshold: 5 })).toBe(false);
  });

  it('a low count is yellow, an empty low pool red; no threshold, no colour', () => {
    const count = (count: number, lowStockThreshold?: number | null) =>
      tone(WAREHOUSE, 'count', { id: 'w', count, lowStockThreshold });
    expect([count(10, 5), count(5, 5), count(1, 5), count(0, 5), count(0, null)]).toEqual([
      'plain',
      'warn',
      'warn',
      'bad',
      'plain',
    ]);
    expect(tone(WAREHOUSE_DETAIL, 'count', { id: 'w', count: 5, lowStockThreshold: 5 })).toBe(
      'warn',
    );
    expect(tone(WAREHOUSE_DETAIL, 'count', { id: 'w', count: 6, lowStockThreshold: 5 })).toBe(
      'plain',
    );
  });

  it('a pool setting reads yes or no; one the service did not send is blank, not "no"', () => {
    const row = { id: 'w', removeDuplicates: true, removeSold: false };
    expect(cell(WAREHOUSE, 'dedup', row).text).toBe('yes');
    expect(cell(WAREHOUSE, 'remove sold', row).text).toBe('no');
    expect(cell(WAREHOUSE, 'remove sold', { id: 'w' }).text).toBe('');
  });
});

describe('orders', () => {
  it.each([
    ['good', ['completed']],
    ['warn', ['pending', 'processing']],
    ['bad', ['refunded', 'failed']],
    ['dim', ['expired', 'cancelled']],
    // Unknown statuses, names of Object's methods included, and none at all.
    ['plain', ['on_hold', 'toString', 'constructor', null, undefined]],
  ])('status colour %s: %j', (want, statuses) => {
    for (const status of statuses)
      expect(tone(ORDER, 'status', { invoiceId: 'i', status })).toBe(want);
  });

  it('items: how many serials were delivered; blank when the service sent no list', () => {
    const items = (deliveredItems: unknown) =>
      cell(ORDER, 'items', { invoiceId: 'i', deliveredItems }).text;
    expect([items(['A', 'B']), items([]), items(null), items('AB')]).toEqual(['2', '0', '', '']);
  });
});

describe('coupons', () => {
  const coupon = {
    code: 'SAVE10',
    type: 'percent',
    value: 10,
    uses: 2,
    maxUses: 5,
    expiresAt: TOMORROW,
  };
  const at = (iso: string) => ({ expiresAt: iso });

  it('expired from its expiry time on; used up when uses reach the limit; neither without one', () => {
    expect(couponExpired(at(new Date(NOW).toISOString()), NOW)).toBe(true);
    expect(couponExpired(at(new Date(NOW + 1).toISOString()), NOW)).toBe(false);
    expect(couponExpired({ expiresAt: null }, NOW)).toBe(false);
    expect(couponUsedUp({ uses: 3, maxUses: 3 })).toBe(true);
    expect(couponUsedUp({ uses: 0, maxUses: 0 })).toBe(true);
    expect(couponUsedUp({ uses: 2, maxUses: 3 })).toBe(false);
    expect(couponUsedUp({ uses: 5, maxUses: null })).toBe(false);
    expect(couponUsedUp({ maxUses: 0 })).toBe(false);
  });

  it('discount: a percentage with %, a fixed amount as money in its currency, two decimals without one', () => {
    const discount = (c: Row, tty = false) => cell(COUPON, 'discount', c, tty).text;
    expect(discount(coupon)).toBe('10%');
    expect(discount({ type: 'fixed', value: 5, currency: 'EUR' })).toBe('5.00 EUR');
    expect(discount({ type: 'fixed', value: 5, currency: 'EUR' }, true)).toBe('€5.00');
    expect(discount({ type: 'fixed', value: 5, currency: null })).toBe('5.00');
    expect(discount({ type: 'fixed', value: 5, currency: '' }, true)).toBe('5.00');
    expect(discount({ type: 'fixed' })).toBe('');
  });

  it('used: uses out of the limit, ∞ without one; yellow when used up', () => {
    expect(cell(COUPON, 'used', coupon)).toEqual({ text: '2/5', tone: 'plain' });
    expect(cell(COUPON, 'used', { ...coupon, uses: 5 })).toEqual({ text: '5/5', tone: 'warn' });
    expect(cell(COUPON, 'used', { code: 'X', maxUses: null }).text).toBe('0/∞');
  });

  it('expires: relative on a terminal, "never" there and blank piped when it does not; red once expired', () => {
    expect(cell(COUPON, 'expires', coupon, true)).toEqual({ text: 'tomorrow', tone: 'plain' });
    expect(cell(COUPON, 'expires', coupon).text).toBe(TOMORROW);
    expect(cell(COUPON, 'expires', { ...coupon, expiresAt: null }, true).text).toBe('never');
    expect(cell(COUPON, 'expires', { ...coupon, expiresAt: null }).text).toBe('');
    const old = { ...coupon, expiresAt: YESTERDAY };
    expect(cell(COUPON, 'expires', old, true)).toEqual({ text: 'expired yesterday', tone: 'bad' });
    expect(cell(COUPON, 'expires', old)).toEqual({ text: YESTERDAY, tone: 'bad' });
  });

  it('state: active (green), used up (yellow), expired (red); expired wins over used up', () => {
    const state = (c: Row) => cell(COUPON, 'state', c);
    expect(state(coupon)).toEqual({ text: 'active', tone: 'good' });
    expect(state({ ...coupon, uses: 5 })).toEqual({ text: 'used up', tone: 'warn' });
    expect(state({ ...coupon, uses: 5, expiresAt: YESTERDAY })).toEqual({
      text: 'expired',
      tone: 'bad',
    });
  });
});

describe('stock checks', () => {
  it('days left: a dash when sales give no horizon; yellow with a "runs out" flag when it runs out', () => {
    const r = { kind: 'warehouse', id: 'w', daysLeft: 3, runsOut: true, low: true };
    expect(cell(HORIZON, 'days left', r)).toEqual({ text: '3', tone: 'warn' });
    expect(cell(HORIZON, 'flag', r).text).toBe('low, runs out');
    expect(cell(HORIZON, 'days left', { kind: 'warehouse', id: 'w' })).toEqual({
      text: '—',
      tone: 'plain',
    });
  });

  it("a low pool's count is yellow; a diff's missing serials are red only when there are some", () => {
    expect(tone(LOW, 'count', { kind: 'warehouse', id: 'w', count: 4 })).toBe('warn');
    expect(tone(DIFF, 'missing', { missing: 2 })).toBe('bad');
    expect(tone(DIFF, 'missing', { missing: 0 })).toBe('plain');
  });
});
