// takeSnapshot and salesSince against a fake shop: the pages asked for, the
// orders' shapes tolerated (and what is made of malformed ones), and the
// one-by-one reads of open orders (none, up to 20, more than 20).
import { describe, expect, it } from 'vitest';
import type { Resources } from '../../src/api/resources/index.js';
import {
  judgeSales,
  ORDERS_PAGE,
  type SalesSnapshot,
  salesSince,
  takeSnapshot,
} from '../../src/restock/sales.js';

interface Call {
  op: string;
  arg: unknown;
  signal: unknown;
}

function fakeShop(
  pages: Record<string, unknown[]>,
  singles: Record<string, unknown> = {},
): { shop: Resources; calls: Call[] } {
  const calls: Call[] = [];
  const shop = {
    orders: {
      list: async (q: { limit: number; status?: string; signal: AbortSignal }) => {
        const { signal, ...rest } = q;
        calls.push({ op: 'list', arg: rest, signal });
        return { data: pages[q.status ?? 'recent'] ?? [] };
      },
      get: async (id: string, opts: { signal: AbortSignal }) => {
        calls.push({ op: 'get', arg: id, signal: opts.signal });
        return { data: singles[id] };
      },
    },
  };
  return { shop: shop as unknown as Resources, calls };
}

const order = (invoiceId: string, status: string, deliveredItems: unknown = []) => ({
  invoiceId,
  status,
  deliveredItems,
});

describe('takeSnapshot', () => {
  it('reads the newest page and both open lists, and keeps invoiceId → status of the well-formed', async () => {
    const signal = new AbortController().signal;
    const { shop, calls } = fakeShop({
      recent: [
        null,
        5,
        'AS-STR',
        { status: 'completed' },
        { invoiceId: 7, status: 'completed' },
        { invoiceId: 'AS-1', status: 3 },
        order('AS-2', 'completed'),
        order('AS-3', 'pending'),
      ],
      pending: [order('AS-3', 'pending'), order('AS-4', 'pending')],
      processing: [order('AS-5', 'processing')],
    });
    const snap = await takeSnapshot(shop, signal);
    expect(snap).toEqual({
      statuses: [
        ['AS-1', ''],
        ['AS-2', 'completed'],
        ['AS-3', 'pending'],
        ['AS-4', 'pending'],
        ['AS-5', 'processing'],
      ],
      whole: true,
    });
    expect(calls.map((c) => [c.op, c.arg])).toEqual([
      ['list', { limit: ORDERS_PAGE, status: undefined }],
      ['list', { limit: ORDERS_PAGE, status: 'pending' }],
      ['list', { limit: ORDERS_PAGE, status: 'processing' }],
    ]);
    for (const c of calls) expect(c.signal).toBe(signal);
  });

  it('is whole only when neither open list is a full page', async () => {
    const many = (n: number, status: string) =>
      Array.from({ length: n }, (_, i) => order(`${status}-${i}`, status));
    const signal = new AbortController().signal;
    for (const [pending, processing, whole] of [
      [ORDERS_PAGE - 1, ORDERS_PAGE - 1, true],
      [ORDERS_PAGE, 0, false],
      [0, ORDERS_PAGE, false],
    ] as const) {
      const { shop } = fakeShop({
        recent: [],
        pending: many(pending, 'pending'),
        processing: many(processing, 'processing'),
      });
      const snap = await takeSnapshot(shop, signal);
      expect(snap.whole, `${pending}/${processing}`).toBe(whole);
      expect(snap.statuses.length).toBe(pending + processing);
    }
  });
});

describe('salesSince', () => {
  const snap = (statuses: Array<[string, string]>, whole = true): SalesSnapshot => ({
    statuses,
    whole,
  });

  it('counts only string serials of well-formed new orders, with no single reads', async () => {
    const signal = new AbortController().signal;
    const { shop, calls } = fakeShop({
      recent: [
        order('AS-N1', 'completed', ['K1', 5, null, 'K2']),
        order('AS-N2', 'completed', 'K3'),
        { invoiceId: 'AS-N3', status: 'completed' },
        { status: 'completed', deliveredItems: ['K4'] },
        { invoiceId: 9, status: 'completed', deliveredItems: ['K5'] },
        null,
        order('AS-OLD', 'completed', ['K6']),
      ],
    });
    const r = await salesSince(shop, snap([['AS-OLD', 'completed']]), signal);
    expect([...r.sold]).toEqual(['K1', 'K2']);
    expect(r.whole).toBe(true);
    expect(calls.map((c) => c.op)).toEqual(['list', 'list', 'list']);
  });

  it('reads an open order gone from the lists one by one, with the signal, and counts what it delivered', async () => {
    const signal = new AbortController().signal;
    const { shop, calls } = fakeShop(
      { recent: [] },
      { 'AS-P': order('AS-P', 'completed', ['K7', 8]) },
    );
    const r = await salesSince(shop, snap([['AS-P', 'pending']]), signal);
    expect([...r.sold]).toEqual(['K7']);
    expect(r.whole).toBe(true);
    expect(calls.filter((c) => c.op === 'get').map((c) => [c.arg, c.signal])).toEqual([
      ['AS-P', signal],
    ]);
  });

  it('an order that cannot be read back leaves the window not whole', async () => {
    const { shop } = fakeShop({ recent: [] }, { 'AS-P': { nope: 1 } });
    const r = await salesSince(shop, snap([['AS-P', 'pending']]), new AbortController().signal);
    expect([...r.sold]).toEqual([]);
    expect(r.whole).toBe(false);
  });

  it('reads up to 20 open orders one by one; more than 20: none, and not whole', async () => {
    for (const n of [20, 21]) {
      const statuses = Array.from(
        { length: n },
        (_, i) => [`AS-${i}`, 'processing'] as [string, string],
      );
      const singles = Object.fromEntries(
        statuses.map(([id]) => [id, order(id, 'completed', [`S-${id}`])]),
      );
      const { shop, calls } = fakeShop({ recent: [] }, singles);
      const r = await salesSince(shop, snap(statuses), new AbortController().signal);
      const gets = calls.filter((c) => c.op === 'get').length;
      if (n === 20) {
        expect(gets).toBe(20);
        expect(r.sold.size).toBe(20);
        expect(r.whole).toBe(true);
      } else {
        expect(gets).toBe(0);
        expect(r).toMatchObject({ sold: new Set(), whole: false });
      }
    }
  });
});

describe('judgeSales: status changes', () => {
  it('a change from a closed status (completed → refunded) delivers nothing', () => {
    const r = judgeSales(
      { statuses: [['AS-C', 'completed']], whole: true },
      [{ invoiceId: 'AS-C', status: 'refunded', deliveredItems: ['X'] }],
      [],
    );
    expect([...r.sold]).toEqual([]);
    expect(r.whole).toBe(true);
  });

  it('open then and the same status now delivers nothing', () => {
    const r = judgeSales(
      { statuses: [['AS-P', 'processing']], whole: true },
      [],
      [{ invoiceId: 'AS-P', status: 'processing', deliveredItems: ['X'] }],
    );
    expect([...r.sold]).toEqual([]);
    expect(r.toRead).toEqual([]);
  });
});
