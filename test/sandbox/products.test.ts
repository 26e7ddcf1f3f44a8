import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { ID, sandbox } from './helpers.js';

const P = DEMO.products;
const W = DEMO.warehouses;

describe('GET /products', () => {
  it('lists every product newest first with the documented fields', async () => {
    const { api } = await sandbox();
    const { status, body } = await api('GET', '/products');
    expect(status).toBe(200);
    expect(body).toHaveLength(Object.keys(P).length);
    const dates = body.map((p: { createdAt: string }) => p.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    const netflix = body.find((p: { id: string }) => p.id === P.netflix1m);
    expect(netflix).toEqual({
      id: P.netflix1m,
      title: 'Netflix Premium 1 Month',
      slug: 'netflix-premium-1-month',
      price: 4.99,
      currency: 'USD',
      type: 'serials',
      stock: DEMO.counts.netflix,
      unlimitedStock: false,
      visibility: 'public',
      salesCount: 318,
      purchaseNote: expect.any(String),
      warehouseId: W.netflix,
      createdAt: '2026-06-01T12:00:00.000Z',
    });
    const service = body.find((p: { id: string }) => p.id === P.setupService);
    expect(service).toMatchObject({ type: 'service', unlimitedStock: true, stock: null });
    expect(service).not.toHaveProperty('warehouseId');
    const legacy = body.find((p: { id: string }) => p.id === P.windowsLegacy);
    expect(legacy).toMatchObject({ stock: DEMO.counts.windowsLegacy, currency: 'CAD' });
    expect(legacy).not.toHaveProperty('warehouseId');
  });
});

describe('GET /products/:id', () => {
  it('adds stockItems from the warehouse, or the inline stock of a legacy product', async () => {
    const { api, sb } = await sandbox();
    const linked = await api('GET', `/products/${P.netflix3m}`);
    expect(linked.body.stockItems).toEqual(sb.store.warehouses.get(W.netflix)!.pool.list());
    expect(linked.body.stockItems).toHaveLength(DEMO.counts.netflix);
    const legacy = await api('GET', `/products/${P.windowsLegacy}`);
    expect(legacy.body.stockItems).toHaveLength(DEMO.counts.windowsLegacy);
    expect((await api('GET', `/products/${P.wallpapers}`)).body.stockItems).toEqual([]);
  });

  it('404 Product not found', async () => {
    const { api } = await sandbox();
    expect(await api('GET', '/products/000000000000000000000000')).toMatchObject({
      status: 404,
      body: { error: 'Product not found' },
    });
  });
});

describe('POST /products', () => {
  it('creates the reference example with a dedicated warehouse', async () => {
    const { api, sb } = await sandbox({ empty: true });
    const r = await api('POST', '/products', {
      title: 'Steam Gift Card $20',
      price: 18.5,
      type: 'serials',
      stock: 'CODE-1\nCODE-2\nCODE-3',
      purchaseNote: 'Thanks for your order!',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      title: 'Steam Gift Card $20',
      slug: 'steam-gift-card-20',
      price: 18.5,
      currency: 'USD',
      type: 'serials',
      stock: 3,
      unlimitedStock: false,
      visibility: 'public',
      salesCount: 0,
      purchaseNote: 'Thanks for your order!',
    });
    expect(r.body.id).toMatch(ID);
    const w = sb.store.warehouses.get(r.body.warehouseId)!;
    expect(w.name).toBe('Steam Gift Card $20');
    expect(w.pool.list()).toEqual(['CODE-1', 'CODE-2', 'CODE-3']);
    const again = await api('POST', '/products', { title: 'Steam Gift Card $20', price: 1 });
    expect(again.body.slug).toBe('steam-gift-card-20-2');
    // Neither stock nor warehouseId: an empty dedicated warehouse.
    expect(again.body).toMatchObject({ stock: 0, warehouseId: expect.stringMatching(ID) });
    expect(again.body.warehouseId).not.toBe(r.body.warehouseId);
  });

  it('links a shared warehouse; stock added there restocks every linked product', async () => {
    const { api } = await sandbox();
    const r = await api('POST', '/products', {
      title: 'Netflix 6 Months',
      price: 20,
      warehouseId: W.netflix,
      currency: 'EUR',
      visibility: 'private',
    });
    expect(r.body).toMatchObject({ warehouseId: W.netflix, stock: DEMO.counts.netflix });
    await api('POST', `/warehouses/${W.netflix}/stock`, { stock: 'NEW-A\nNEW-B' });
    for (const id of [P.netflix1m, P.netflix3m, r.body.id]) {
      expect((await api('GET', `/products/${id}`)).body.stock).toBe(DEMO.counts.netflix + 2);
    }
  });

  it('creates unlimited products of the other types', async () => {
    const { api } = await sandbox({ empty: true });
    for (const type of ['service', 'file', 'dynamic']) {
      const r = await api('POST', '/products', { title: type, price: 0, type, currency: 'GBP' });
      expect(r.body).toMatchObject({ type, unlimitedStock: true, stock: null, currency: 'GBP' });
    }
  });

  it.each([
    [{ price: 1 }, /title/],
    [{ title: '  ', price: 1 }, /title/],
    [{ title: 'T' }, /price/],
    [{ title: 'T', price: -1 }, /price/],
    [{ title: 'T', price: '4.99' }, /price/],
    [{ title: 'T', price: 1, type: 'bundle' }, /type/],
    [{ title: 'T', price: 1, currency: 'JPY' }, /currency/],
    [{ title: 'T', price: 1, visibility: 'hidden' }, /visibility/],
    [{ title: 'T', price: 1, stock: 'A', warehouseId: W.steam }, /either stock or warehouseId/],
    [{ title: 'T', price: 1, warehouseId: '000000000000000000000000' }, /warehouseId/],
    [{ title: 'T', price: 1, stock: 5 }, /stock/],
    [{ title: 'T', price: 1, type: 'file', stock: 'A' }, /serials/],
  ])('400 for %j', async (body, message) => {
    const { api } = await sandbox();
    const r = await api('POST', '/products', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  });
});

describe('POST /products/:id/stock', () => {
  it('adds to the linked warehouse (the reference example)', async () => {
    const { api } = await sandbox();
    const r = await api('POST', `/products/${P.netflix1m}/stock`, {
      stock: 'NEW-1\nNEW-2',
      removeDuplicates: true,
    });
    expect(r.body).toEqual({
      added: 2,
      total: DEMO.counts.netflix + 2,
      truncated: false,
      capped: false,
    });
    expect((await api('GET', `/warehouses/${W.netflix}`)).body.items.slice(-2)).toEqual([
      'NEW-1',
      'NEW-2',
    ]);
  });

  it("appends to a legacy product's own pool", async () => {
    const { api, sb } = await sandbox();
    const before = (await api('GET', `/products/${P.windowsLegacy}`)).body.stockItems;
    const r = await api('POST', `/products/${P.windowsLegacy}/stock`, {
      stock: `${before[0]}\nW10-NEW`,
    });
    expect(r.body).toEqual({ added: 1, total: before.length + 1, truncated: false, capped: false });
    expect(sb.store.products.get(P.windowsLegacy)!.inline!.list().at(-1)).toBe('W10-NEW');
  });

  it('400 for non-serials products, empty or non-string stock; 404 for unknown products', async () => {
    const { api } = await sandbox();
    expect((await api('POST', `/products/${P.setupService}/stock`, { stock: 'A' })).status).toBe(
      400,
    );
    expect((await api('POST', `/products/${P.steam20}/stock`, { stock: ' \n\r\n' })).status).toBe(
      400,
    );
    expect((await api('POST', `/products/${P.steam20}/stock`, { stock: ['A'] })).status).toBe(400);
    expect((await api('POST', `/products/${P.steam20}/stock`, {})).status).toBe(400);
    const bool = await api('POST', `/products/${P.steam20}/stock`, {
      stock: 'A',
      removeDuplicates: 'yes',
    });
    expect(bool.status).toBe(400);
    expect(await api('POST', '/products/nope/stock', { stock: 'A' })).toMatchObject({
      status: 404,
      body: { error: 'Product not found' },
    });
  });
});
