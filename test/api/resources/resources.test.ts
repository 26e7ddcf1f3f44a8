// The typed resources: each call sends the documented request, keeps the
// service's bytes for --json, types the documented fields and keeps the
// rest. Requests go to a recording stand-in for the client (the client
// itself is tested in ../client.test.ts), and once, end to end, to the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse, RequestOptions } from '../../../src/api/client.js';
import { createClient } from '../../../src/api/client.js';
import { resources } from '../../../src/api/resources/index.js';
import { parseStockAddResult } from '../../../src/api/resources/stock.js';
import { systemClock } from '../../../src/clock.js';
import { ServerError, UsageError } from '../../../src/errors.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

/** A client that answers every request with `body` and records what was asked. */
function recording(body: string, status = 200) {
  const sent: RequestOptions[] = [];
  const api: ApiClient = {
    baseUrl: 'http://127.0.0.1:1/api/v1',
    async request(o) {
      sent.push(o);
      const res: ApiResponse = { status, headers: {}, text: body, durationMs: 0, attempts: 1 };
      return res;
    },
    async consume() {
      throw new Error('these resources do not consume a body');
    },
    async stream(o) {
      sent.push(o);
      return {
        status,
        headers: {},
        body: (async function* () {
          yield Buffer.from(body);
        })(),
      };
    },
    async close() {},
  };
  return { shop: resources(api), sent };
}

describe('requests', () => {
  const cases: Array<[string, (s: ReturnType<typeof resources>) => Promise<unknown>, object]> = [
    ['products.list', (s) => s.products.list(), { method: 'GET', path: '/products' }],
    ['products.get', (s) => s.products.get('a/b'), { method: 'GET', path: '/products/a%2Fb' }],
    [
      'products.create',
      (s) => s.products.create({ title: 'T', price: 1 }),
      { method: 'POST', path: '/products', body: { title: 'T', price: 1 }, idempotent: false },
    ],
    ['warehouses.list', (s) => s.warehouses.list(), { method: 'GET', path: '/warehouses' }],
    ['warehouses.get', (s) => s.warehouses.get('w1'), { method: 'GET', path: '/warehouses/w1' }],
    [
      'warehouses.create',
      (s) => s.warehouses.create({ name: 'N', removeSold: false }),
      { method: 'POST', path: '/warehouses', body: { name: 'N', removeSold: false } },
    ],
    [
      'orders.list',
      (s) => s.orders.list({ status: 'completed', limit: 200 }),
      { method: 'GET', path: '/orders', query: { status: 'completed', limit: 200 } },
    ],
    ['orders.get', (s) => s.orders.get('AS-1'), { method: 'GET', path: '/orders/AS-1' }],
    ['coupons.list', (s) => s.coupons.list(), { method: 'GET', path: '/coupons' }],
  ];
  it.each(cases)('%s', async (_name, call, expected) => {
    const { shop, sent } = recording('[]');
    await call(shop);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject(expected);
  });

  it('a read streamed instead of fetched is the same request, its body handed over unread', async () => {
    const { shop, sent } = recording('[{"invoiceId":"AS-1"}]');
    const streamed = await shop.orders.list({ status: 'pending', limit: 5 }).stream();
    const chunks: Buffer[] = [];
    for await (const c of streamed.body) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('[{"invoiceId":"AS-1"}]');
    const fetched = await shop.orders
      .list({ status: 'pending', limit: 5 })
      .fetch({ maxBodyBytes: 1024 });
    expect(fetched.data).toEqual([{ invoiceId: 'AS-1' }]);
    const query = { status: 'pending', limit: 5 };
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/orders', query });
    expect(sent[1]).toMatchObject({ method: 'GET', path: '/orders', query, maxBodyBytes: 1024 });
  });

  it('a read is sent when first awaited, once: awaited again it gives the same answer', async () => {
    const { shop, sent } = recording('[]');
    const read = shop.coupons.list();
    expect(sent, 'not sent before it is used').toHaveLength(0);
    const first = await read;
    expect(await read).toBe(first);
    expect(await read.fetch()).toBe(first);
    expect(sent).toHaveLength(1);
  });

  it('a read sent one way refuses another, rather than asking the service twice', async () => {
    const { shop, sent } = recording('[]');
    const fetched = shop.products.list();
    await fetched;
    await expect(fetched.stream()).rejects.toThrow('a read is sent once');
    const streamed = shop.products.list();
    await streamed.stream();
    await expect(streamed.fetch()).rejects.toThrow('a read is sent once');
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['product', '/products/p1/stock'],
    ['warehouse', '/warehouses/p1/stock'],
  ] as const)('stock.add to a %s pool is sent once, as given', async (kind, path) => {
    const { shop, sent } = recording('{"added":2,"total":9,"truncated":false,"capped":false}');
    const raw = '{"stock":"A\\nB"}';
    const a = await shop.stock.add(kind, 'p1', raw);
    expect(sent[0]).toMatchObject({ method: 'POST', path, rawBody: raw, idempotent: false });
    expect(a.data).toEqual({ added: 2, total: 9, truncated: false, capped: false });
    await shop.stock.add(kind, 'p1', { stock: 'A', removeDuplicates: true });
    expect(sent[1]).toMatchObject({ body: { stock: 'A', removeDuplicates: true } });
  });

  it.each(['..', '%2e', ' '])('refuses the id %j before sending', async (id) => {
    const { shop, sent } = recording('{}');
    await expect(shop.products.get(id)).rejects.toBeInstanceOf(UsageError);
    await expect(shop.stock.add('warehouse', id, '{}')).rejects.toBeInstanceOf(UsageError);
    expect(sent).toHaveLength(0);
  });
});

describe('answers', () => {
  it('keeps the raw bytes, types documented fields, keeps unknown ones', async () => {
    const body = `[ {"id":"p1","title":"T","price":"4.99","stock":null,"newField":{"x":1}} ]`;
    const { shop } = recording(body);
    const a = await shop.products.list();
    expect(a.raw).toBe(body);
    // price of the wrong type is left out; null stock is allowed; the new field stays.
    expect(a.data).toEqual([{ id: 'p1', title: 'T', stock: null, newField: { x: 1 } }]);
  });

  it('checks the shape only when the data is read: --json prints any JSON answer', async () => {
    const { shop } = recording('{"not":"a list"}');
    const a = await shop.warehouses.list();
    expect(a.raw).toBe('{"not":"a list"}');
    expect(() => a.data).toThrow('expected a list of warehouses from the service');
  });

  it.each([
    ['a product without an id', (s: ReturnType<typeof resources>) => s.products.get('x'), '{}'],
    ['an order without an invoiceId', (s) => s.orders.get('x'), '{"id":"1"}'],
  ])('refuses %s', async (_name, call, body) => {
    const { shop } = recording(body);
    const a = await call(shop);
    expect(() => a.data).toThrow(/expected a/);
  });

  it('a body that is not JSON is a ServerError', async () => {
    const { shop } = recording('<html>');
    await expect(shop.coupons.list()).rejects.toBeInstanceOf(ServerError);
  });
});

describe('stock add answers are parsed strictly', () => {
  it.each([
    ['nothing', {}],
    ['added missing', { total: 1, truncated: false, capped: false }],
    ['added negative', { added: -1, total: 1, truncated: false, capped: false }],
    ['added fractional', { added: 1.5, total: 1, truncated: false, capped: false }],
    ['total missing', { added: 1, truncated: false, capped: false }],
    ['truncated as a string', { added: 1, total: 1, truncated: 'false', capped: false }],
    ['capped missing', { added: 1, total: 1, truncated: false }],
    ['a list', [1]],
    ['null', null],
  ])('%s: ServerError', (_name, body) => {
    expect(() => parseStockAddResult(body)).toThrow(ServerError);
  });

  it('a malformed 2xx answer fails the call itself', async () => {
    const { shop } = recording('{"added":1}');
    await expect(shop.stock.add('warehouse', 'w', '{}')).rejects.toBeInstanceOf(ServerError);
  });

  it('extra fields are fine', () => {
    expect(
      parseStockAddResult({ added: 0, total: 0, truncated: true, capped: true, more: 1 }),
    ).toEqual({ added: 0, total: 0, truncated: true, capped: true });
  });
});

describe('against the sandbox', () => {
  let shop: TestShop;
  let api: ApiClient;
  beforeAll(async () => {
    shop = await startTestShop({ empty: true });
    api = await createClient({
      baseUrl: shop.sandbox.url,
      apiKey: shop.key,
      timeoutMs: 5000,
      clock: systemClock,
      env: {},
    });
  });
  afterAll(async () => {
    await api.close();
    await shop.close();
  });

  it('creates, restocks and reads back a warehouse and its product', async () => {
    const s = resources(api);
    const w = (await s.warehouses.create({ name: 'Pool', stock: 'A\nB' })).data;
    expect(w).toMatchObject({ name: 'Pool', count: 2 });
    const p = (await s.products.create({ title: 'P', price: 2, warehouseId: w.id })).data;
    const added = await s.stock.add('warehouse', w.id, { stock: 'C\nA' });
    expect(added.data).toEqual({ added: 1, total: 3, truncated: false, capped: false });
    expect((await s.warehouses.get(w.id)).data.items).toEqual(['A', 'B', 'C']);
    const detail = (await s.products.get(p.id)).data;
    expect(detail).toMatchObject({ warehouseId: w.id, stock: 3 });
    expect(detail.stockItems).toEqual(['A', 'B', 'C']);
    const listed = await s.products.list();
    expect(JSON.parse(listed.raw)).toEqual(listed.data);
    expect((await s.orders.list({ limit: 1 })).data).toEqual([]);
    expect((await s.coupons.list()).data).toEqual([]);
  });
});

describe('the typed data of every call', () => {
  type Shop = ReturnType<typeof resources>;
  const product = { id: 'p1', title: 'T', price: 2, stockItems: ['A', 'B'], extra: 1 };
  const warehouse = { id: 'w1', name: 'Pool', count: 2, items: ['A', 'B'] };
  const order = { invoiceId: 'AS-1', total: 3, deliveredItems: ['K'] };
  const coupon = { code: 'SAVE', value: 10 };
  const cases: Array<[string, (s: Shop) => Promise<{ data: unknown }>, unknown]> = [
    ['products.list', (s) => s.products.list(), [product]],
    ['products.get', (s) => s.products.get('p1'), product],
    ['products.create', (s) => s.products.create({ title: 'T', price: 2 }), product],
    ['warehouses.list', (s) => s.warehouses.list(), [warehouse]],
    ['warehouses.get', (s) => s.warehouses.get('w1'), warehouse],
    ['warehouses.create', (s) => s.warehouses.create({ name: 'Pool' }), warehouse],
    ['orders.list', (s) => s.orders.list(), [order]],
    ['orders.get', (s) => s.orders.get('AS-1'), order],
    ['coupons.list', (s) => s.coupons.list(), [coupon]],
  ];
  it.each(cases)('%s', async (_name, call, body) => {
    const { shop } = recording(JSON.stringify(body));
    const a = await call(shop);
    expect(a.data).toEqual(body);
  });

  it.each<[string, (s: Shop) => Promise<{ data: unknown }>, string]>([
    ['products.list', (s) => s.products.list(), 'expected a list of products from the service'],
    ['products.get', (s) => s.products.get('p'), 'expected a product object from the service'],
    [
      'products.create',
      (s) => s.products.create({ title: 'T', price: 1 }),
      'expected a product object from the service',
    ],
    [
      'warehouses.list',
      (s) => s.warehouses.list(),
      'expected a list of warehouses from the service',
    ],
    [
      'warehouses.get',
      (s) => s.warehouses.get('w'),
      'expected a warehouse object from the service',
    ],
    [
      'warehouses.create',
      (s) => s.warehouses.create({ name: 'N' }),
      'expected a warehouse object from the service',
    ],
    ['orders.list', (s) => s.orders.list(), 'expected a list of orders from the service'],
    ['orders.get', (s) => s.orders.get('o'), 'expected an order object from the service'],
    ['coupons.list', (s) => s.coupons.list(), 'expected a list of coupons from the service'],
  ])('%s refuses an answer of the wrong shape, naming it', async (_name, call, message) => {
    for (const body of ['"text"', 'null', '42']) {
      const { shop } = recording(body);
      const a = await call(shop);
      expect(() => a.data).toThrow(message);
    }
  });

  it('a record that is a list is not a record', async () => {
    const { shop } = recording('[{"id":"p1"}]');
    const a = await shop.products.get('p1');
    expect(() => a.data).toThrow('expected a product object from the service');
  });

  it.each<[string, (s: Shop) => Promise<unknown>, string]>([
    ['products.create', (s) => s.products.create({ title: 'T', price: 1 }), '/products'],
    ['warehouses.create', (s) => s.warehouses.create({ name: 'N' }), '/warehouses'],
    ['stock.add', (s) => s.stock.add('warehouse', 'w', '{}'), 'a stock add'],
    ['coupons.list', (s) => s.coupons.list(), '/coupons'],
  ])(
    '%s: a body that is not JSON is a ServerError naming what was asked',
    async (_n, call, what) => {
      const { shop } = recording('<html>', 201);
      const e = await call(shop).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ServerError);
      expect((e as ServerError).message).toBe(
        `the service answered ${what} with a body that is not JSON`,
      );
      expect((e as ServerError).status).toBe(201);
    },
  );

  it('a stock add answer without its fields names them', async () => {
    const { shop } = recording('{"added":1}');
    await expect(shop.stock.add('product', 'p', '{}')).rejects.toThrow(
      'the service answered a stock add without {added, total, truncated, capped}',
    );
  });

  it('creates are sent as writes that are not resent', async () => {
    const { shop, sent } = recording(JSON.stringify(warehouse));
    await shop.warehouses.create({ name: 'Pool' });
    await shop.products.create({ title: 'T', price: 1 });
    expect(sent.map((s) => s.idempotent)).toEqual([false, false]);
  });
});

describe('record() and list()', () => {
  it('leaves out documented fields of the wrong type, keeps null and unknown fields', async () => {
    const body = {
      id: 'p1',
      title: 7,
      price: '4.99',
      stock: null,
      unlimitedStock: 'yes',
      stockItems: ['A', 2],
      slug: 's',
      later: [1],
    };
    const { shop } = recording(JSON.stringify(body));
    expect((await shop.products.get('p1')).data).toEqual({
      id: 'p1',
      stock: null,
      slug: 's',
      later: [1],
    });
  });

  it.each([
    ['a string', 'AB'],
    ['an object', { 0: 'A' }],
    ['numbers', [1, 2]],
  ])('a list of strings given as %s is left out', async (_what, items) => {
    const { shop } = recording(JSON.stringify({ id: 'w1', items }));
    expect((await shop.warehouses.get('w1')).data).toEqual({ id: 'w1' });
  });

  it('an empty list of strings is kept', async () => {
    const { shop } = recording('{"id":"w1","items":[]}');
    expect((await shop.warehouses.get('w1')).data).toEqual({ id: 'w1', items: [] });
  });

  it('skips list entries that are not objects', async () => {
    const { shop } = recording('[1, "x", null, [{"id":"in-a-list"}], true, {"id":"p1"}]');
    expect((await shop.products.list()).data).toEqual([{ id: 'p1' }]);
  });

  it('refuses a record whose id is missing or not a string', async () => {
    for (const body of ['{"title":"T"}', '{"id":7}', '{"id":null}']) {
      const { shop } = recording(body);
      const a = await shop.products.get('p');
      expect(() => a.data).toThrow('expected a product with an id from the service');
    }
  });
});

describe('ids', () => {
  it.each(['', ' ', '.', '..', '%2e', '%2E%2e', '.%2e'])('refuses %j with its text', async (id) => {
    const { shop, sent } = recording('{}');
    await expect(shop.products.get(id)).rejects.toThrow(new UsageError(`invalid id "${id}"`));
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['a.b', '/products/a.b'],
    ['v1.', '/products/v1.'],
    ['.env', '/products/.env'],
    ['x..', '/products/x..'],
    ['...', '/products/...'],
    ['a b', '/products/a%20b'],
  ])('accepts %j as %s', async (id, path) => {
    const { shop, sent } = recording('{"id":"x"}');
    await shop.products.get(id);
    expect(sent[0]!.path).toBe(path);
  });
});
