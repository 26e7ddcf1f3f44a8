import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { sandbox } from './helpers.js';

const P = DEMO.products;

describe('orders', () => {
  it('lists newest first with every status in the demo shop', async () => {
    const { api } = await sandbox();
    const { body } = await api('GET', '/orders');
    expect(body).toHaveLength(DEMO.orders.length);
    expect(body.map((o: { invoiceId: string }) => o.invoiceId)).toEqual([...DEMO.orders].reverse());
    const statuses = new Set(body.map((o: { status: string }) => o.status));
    for (const s of ['completed', 'pending', 'processing', 'expired', 'refunded', 'cancelled']) {
      expect(statuses).toContain(s);
    }
    expect(body[0]).not.toHaveProperty('customerEmail');
  });

  it('filters by status and caps with limit (the reference example)', async () => {
    const { api } = await sandbox();
    const { body } = await api('GET', '/orders?status=completed&limit=2');
    expect(body).toHaveLength(2);
    for (const o of body) {
      expect(o).toEqual({
        invoiceId: expect.stringMatching(/^AS-[A-Z0-9]{6}$/),
        productId: expect.any(String),
        productTitle: expect.any(String),
        quantity: expect.any(Number),
        total: expect.any(Number),
        currency: expect.any(String),
        status: 'completed',
        gateway: expect.any(String),
        createdAt: expect.any(String),
        deliveredItems: expect.any(Array),
      });
    }
    expect((await api('GET', '/orders?status=nosuch')).body).toEqual([]);
    expect((await api('GET', '/orders?limit=200')).body).toHaveLength(DEMO.orders.length);
    expect((await api('GET', '/orders?limit=1')).body).toHaveLength(1);
  });

  it.each(['0', '201', '-1', '1.5', 'ten', ''])('400 for limit=%s', async (limit) => {
    const { api } = await sandbox();
    const r = await api('GET', `/orders?limit=${limit}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/limit/);
  });

  it('gets one order with customerEmail and deliveredItems; 404 Order not found', async () => {
    const { api } = await sandbox();
    const r = await api('GET', '/orders/AS-7KD2P9');
    expect(r.body).toMatchObject({
      invoiceId: 'AS-7KD2P9',
      productTitle: 'Netflix Premium 1 Month',
      total: 4.99,
      currency: 'USD',
      status: 'completed',
      gateway: 'crypto',
      customerEmail: expect.stringContaining('@'),
      deliveredItems: [expect.any(String)],
    });
    expect(await api('GET', '/orders/AS-NOPE00')).toMatchObject({
      status: 404,
      body: { error: 'Order not found' },
    });
  });
});

describe('coupons', () => {
  it('lists the demo coupons with limits and usage', async () => {
    const { api } = await sandbox();
    const { body } = await api('GET', '/coupons');
    expect(body.map((c: { code: string }) => c.code)).toEqual([...DEMO.coupons]);
    expect(body[0]).toEqual({
      code: 'LAUNCH10',
      type: 'percent',
      value: 10,
      uses: 42,
      maxUses: 100,
      expiresAt: '2026-12-31T00:00:00.000Z',
    });
    expect(body.some((c: { maxUses: null }) => c.maxUses === null)).toBe(true);
    expect(body.some((c: { type: string }) => c.type === 'fixed')).toBe(true);
  });

  it('an empty shop has no products, warehouses, orders or coupons', async () => {
    const { api } = await sandbox({ empty: true });
    for (const path of ['/products', '/warehouses', '/orders', '/coupons']) {
      expect((await api('GET', path)).body).toEqual([]);
    }
  });
});

describe('POST /sandbox/purchase', () => {
  it('completes an order from the front of the pool and removes the serials sold', async () => {
    const { api } = await sandbox();
    const before = (await api('GET', `/products/${P.netflix3m}`)).body;
    const r = await api('POST', '/sandbox/purchase', {
      productId: P.netflix3m,
      quantity: 2,
      email: 'ci@example.com',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      invoiceId: expect.stringMatching(/^AS-[A-Z0-9]{6}$/),
      productId: P.netflix3m,
      status: 'completed',
      total: 25.98,
      customerEmail: 'ci@example.com',
      deliveredItems: before.stockItems.slice(0, 2),
    });
    const after = (await api('GET', `/products/${P.netflix3m}`)).body;
    expect(after.stock).toBe(before.stock - 2);
    expect(after.salesCount).toBe(before.salesCount + 2);
    expect(after.stockItems).toEqual(before.stockItems.slice(2));
    // The shared pool shrank for the other product too.
    expect((await api('GET', `/products/${P.netflix1m}`)).body.stock).toBe(before.stock - 2);
    const listed = (await api('GET', '/orders?limit=1')).body[0];
    expect(listed.invoiceId).toBe(r.body.invoiceId);
    expect((await api('GET', `/orders/${r.body.invoiceId}`)).body).toEqual(r.body);
  });

  it('keeps sold serials when the warehouse does not remove them', async () => {
    const { api } = await sandbox({ empty: true });
    const w = await api('POST', '/warehouses', { name: 'W', stock: 'K1\nK2', removeSold: false });
    const p = await api('POST', '/products', { title: 'P', price: 1, warehouseId: w.body.id });
    const r = await api('POST', '/sandbox/purchase', { productId: p.body.id });
    expect(r.body.deliveredItems).toEqual(['K1']);
    expect((await api('GET', `/warehouses/${w.body.id}`)).body.items).toEqual(['K1', 'K2']);
  });

  it('400 when there is not enough stock or the body is bad; 404 for unknown products', async () => {
    const { api, sb } = await sandbox();
    const r = await api('POST', '/sandbox/purchase', { productId: P.spotify, quantity: 99 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/stock/i);
    expect(sb.store.warehouses.get(DEMO.warehouses.spotify)!.pool.size).toBe(DEMO.counts.spotify);
    expect(
      (await api('POST', '/sandbox/purchase', { productId: P.spotify, quantity: 0 })).status,
    ).toBe(400);
    expect((await api('POST', '/sandbox/purchase', {})).status).toBe(400);
    expect((await api('POST', '/sandbox/purchase', { productId: 'nope' })).status).toBe(404);
  });

  it('sells unlimited products without delivering serials', async () => {
    const { api } = await sandbox();
    const r = await api('POST', '/sandbox/purchase', { productId: P.setupService });
    expect(r.body).toMatchObject({ status: 'completed', total: 25, deliveredItems: [] });
  });
});
