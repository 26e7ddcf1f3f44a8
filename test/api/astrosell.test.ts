// The library's client, imported from src/ and run in-process against a
// sandbox (test/index.test.ts checks the published package through dist/ in
// a process of its own): every resource method, every option, and the
// options' checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AstroSell, type AstroSellOptions } from '../../src/api/astrosell.js';
import {
  AuthError,
  InterruptedError,
  NetworkError,
  NotFoundError,
  ServerError,
  UsageError,
} from '../../src/errors.js';
import { closeAll, fakeService, jsonAnswer } from '../helpers/fake-service.js';
import { holdServer } from '../helpers/hold-server.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
const opened: AstroSell[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

function client(options: Partial<AstroSellOptions> = {}): AstroSell {
  const c = new AstroSell({ key: shop.key, baseUrl: shop.sandbox.url, ...options });
  opened.push(c);
  return c;
}

beforeAll(async () => {
  shop = await startTestShop();
});
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
  while (cleanups.length) await cleanups.pop()!();
  await closeAll();
});
afterAll(async () => {
  await shop.close();
});

describe('every resource method, typed', () => {
  it('products: list, get, create', async () => {
    const c = client();
    const listed = await c.products.list();
    expect(listed.status).toBe(200);
    expect(listed.data.length).toBeGreaterThan(0);
    expect(listed.data).toEqual(JSON.parse(listed.raw));
    const first = listed.data[0]!;
    const got = await c.products.get(first.id);
    expect(got.data.id).toBe(first.id);
    expect(got.data.title).toBe(first.title);
    const made = await c.products.create({ title: 'Library product', price: 3 });
    expect(made.data).toMatchObject({ title: 'Library product', price: 3 });
    expect((await c.products.get(made.data.id)).data.title).toBe('Library product');
  });

  it('warehouses and stock: create, add, list, get', async () => {
    const c = client();
    const w = (await c.warehouses.create({ name: 'Library pool', stock: 'L1\nL2' })).data;
    expect(w).toMatchObject({ name: 'Library pool', count: 2 });
    const added = await c.stock.add('warehouse', w.id, { stock: 'L3\nL1' });
    expect(added.data).toEqual({ added: 1, total: 3, truncated: false, capped: false });
    expect((await c.warehouses.get(w.id)).data.items).toEqual(['L1', 'L2', 'L3']);
    const all = (await c.warehouses.list()).data;
    expect(all.find((x) => x.id === w.id)).toMatchObject({ name: 'Library pool', count: 3 });
  });

  it('orders: list with a limit, get by invoice id', async () => {
    const c = client();
    const orders = (await c.orders.list({ limit: 2 })).data;
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.length).toBeLessThanOrEqual(2);
    const one = (await c.orders.get(orders[0]!.invoiceId)).data;
    expect(one.invoiceId).toBe(orders[0]!.invoiceId);
  });

  it('coupons: list', async () => {
    const c = client();
    const coupons = await c.coupons.list();
    expect(coupons.data).toEqual(JSON.parse(coupons.raw));
    expect(Array.isArray(coupons.data)).toBe(true);
  });

  it('a read streamed: the body as the service sent it', async () => {
    const c = client();
    const streamed = await c.products.list().stream();
    expect(streamed.status).toBe(200);
    const chunks: Buffer[] = [];
    for await (const chunk of streamed.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe((await c.products.list()).raw);
  });

  it('the same typed errors as the CLI', async () => {
    await expect(client().products.get('no-such-product')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client({ key: 'nsk_wrong', retries: 0 }).coupons.list()).rejects.toBeInstanceOf(
      AuthError,
    );
  });
});

describe('options', () => {
  it('close() ends the connections: a request after it fails', async () => {
    const c = client({ retries: 0 });
    await c.coupons.list();
    await c.close();
    await expect(c.coupons.list()).rejects.toBeInstanceOf(NetworkError);
  });

  it('retries: 0 makes one attempt, 1 makes two', async () => {
    const answers = [jsonAnswer(503, { error: 'busy' }), jsonAnswer(200, [])];
    const svc = await fakeService((req, res, body) =>
      answers[Math.min(svc.requests.length - 1, 1)]!(req, res, body),
    );
    const once = client({ baseUrl: svc.url, retries: 0 }).coupons.list();
    await expect(once).rejects.toBeInstanceOf(ServerError);
    await expect(once).rejects.toThrow('busy');
    expect(svc.requests).toHaveLength(1);
    svc.requests.length = 0;
    expect((await client({ baseUrl: svc.url, retries: 1 }).coupons.list()).data).toEqual([]);
    expect(svc.requests).toHaveLength(2);
  });

  // Real back-off waits (the library uses the system clock): about 2 to 4 s.
  it('by default a read is tried five times (four retries)', async () => {
    const svc = await fakeService(jsonAnswer(503, { error: 'busy' }));
    await expect(client({ baseUrl: svc.url }).coupons.list()).rejects.toBeInstanceOf(ServerError);
    expect(svc.requests).toHaveLength(5);
  });

  it('timeout limits the whole request', async () => {
    const held = await holdServer();
    cleanups.push(() => held.close());
    const e = await client({ baseUrl: held.url, timeout: 200, retries: 0 })
      .coupons.list()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as Error).message).toBe(
      `timed out after 0.2s talking to ${new URL(held.url).host} (the whole request: connecting, the answer and its body)`,
    );
  });

  it('signal cancels a request in flight', async () => {
    const held = await holdServer();
    cleanups.push(() => held.close());
    const ctl = new AbortController();
    // A read is sent when first awaited or fetched.
    const pending = client({ baseUrl: held.url, signal: ctl.signal }).coupons.list().fetch();
    await held.arrived();
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });

  it.each([0, 10])('accepts retries: %i', (retries) => {
    expect(() => client({ retries })).not.toThrow();
  });

  it.each([-1, 11, 1.5, Number.NaN])('refuses retries: %d', (retries) => {
    expect(() => new AstroSell({ key: 'nsk_x', retries })).toThrow(
      new UsageError(`retries must be a whole number from 0 to 10, not ${retries}`),
    );
  });

  it('accepts a timeout of 1 ms and none at all', () => {
    expect(() => client({ timeout: 1 })).not.toThrow();
    expect(() => client()).not.toThrow();
  });

  it.each([0, -1, Number.NaN])('refuses timeout: %d', (timeout) => {
    expect(() => new AstroSell({ key: 'nsk_x', timeout })).toThrow(
      new UsageError('timeout must be a positive number of milliseconds'),
    );
  });

  it('a base URL or key it cannot use: the first call says so, close() still works', async () => {
    const plain = new AstroSell({ key: 'nsk_x', baseUrl: 'http://example.com/api/v1' });
    await expect(plain.coupons.list()).rejects.toThrow(
      'refusing to send the API key over plain HTTP to example.com',
    );
    await expect(plain.close()).resolves.toBeUndefined();
    const spaced = new AstroSell({ key: 'nsk x', baseUrl: shop.sandbox.url });
    await expect(spaced.products.list()).rejects.toBeInstanceOf(UsageError);
    await expect(spaced.close()).resolves.toBeUndefined();
  });
});
