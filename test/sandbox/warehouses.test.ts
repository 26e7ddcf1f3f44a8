import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { ID, sandbox } from './helpers.js';

const W = DEMO.warehouses;

describe('warehouses', () => {
  it('lists newest first with settings; one is at its low-stock threshold', async () => {
    const { api } = await sandbox();
    const { body } = await api('GET', '/warehouses');
    expect(body.map((w: { id: string }) => w.id)).toEqual([W.spotify, W.steam, W.netflix]);
    expect(body[2]).toEqual({
      id: W.netflix,
      name: 'Netflix pool',
      count: DEMO.counts.netflix,
      removeDuplicates: true,
      removeSold: true,
      lowStockThreshold: 20,
      createdAt: '2026-05-20T09:00:00.000Z',
    });
    const low = body.find((w: { id: string }) => w.id === DEMO.lowStockWarehouse);
    expect(low.count).toBeLessThanOrEqual(low.lowStockThreshold);
  });

  it('creates with defaults (the reference example) and gets items in order', async () => {
    const { api } = await sandbox({ empty: true });
    const r = await api('POST', '/warehouses', { name: 'Netflix pool', stock: 'A\nB\nC' });
    expect(r.body).toEqual({
      id: expect.stringMatching(ID),
      name: 'Netflix pool',
      count: 3,
      removeDuplicates: true,
      removeSold: true,
      lowStockThreshold: null,
      createdAt: expect.any(String),
    });
    const got = await api('GET', `/warehouses/${r.body.id}`);
    expect(got.body).toMatchObject({ count: 3, items: ['A', 'B', 'C'] });
    const settings = await api('POST', '/warehouses', {
      name: 'Keep all',
      removeDuplicates: false,
      removeSold: false,
      lowStockThreshold: 5,
    });
    expect(settings.body).toMatchObject({
      count: 0,
      removeDuplicates: false,
      removeSold: false,
      lowStockThreshold: 5,
    });
  });

  it.each([
    [{}, /name/],
    [{ name: 1 }, /name/],
    [{ name: 'W', removeSold: 'no' }, /removeSold/],
    [{ name: 'W', lowStockThreshold: -1 }, /lowStockThreshold/],
    [{ name: 'W', lowStockThreshold: 2.5 }, /lowStockThreshold/],
    [{ name: 'W', stock: { a: 1 } }, /stock/],
  ])('400 for %j', async (body, message) => {
    const { api } = await sandbox();
    const r = await api('POST', '/warehouses', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  });

  it('404 Warehouse not found', async () => {
    const { api } = await sandbox();
    for (const path of ['/warehouses/abc', '/warehouses/abc/stock']) {
      const r = await api(
        path.endsWith('stock') ? 'POST' : 'GET',
        path,
        path.endsWith('stock') ? { stock: 'A' } : undefined,
      );
      expect(r).toMatchObject({ status: 404, body: { error: 'Warehouse not found' } });
    }
  });
});

describe('POST /warehouses/:id/stock', () => {
  async function empty(options = {}, settings = {}) {
    const h = await sandbox({ empty: true, ...options });
    const w = await h.api('POST', '/warehouses', { name: 'Pool', ...settings });
    return {
      ...h,
      id: w.body.id as string,
      items: () => h.sb.store.warehouses.get(w.body.id)!.pool.list(),
    };
  }

  it('parses lines: \\r\\n, surrounding spaces, blank lines; keeps case and inner spaces', async () => {
    const { api, id, items } = await empty();
    const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'a-1\r\n  B 2 \n\n\t\r\nc-3' });
    expect(r.body).toEqual({ added: 3, total: 3, truncated: false, capped: false });
    expect(items()).toEqual(['a-1', 'B 2', 'c-3']);
  });

  it('drops duplicates within the batch and against the pool', async () => {
    const { api, id, items } = await empty();
    await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB' });
    const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'B\nC\nC\nA\nD\na' });
    expect(r.body).toEqual({ added: 3, total: 5, truncated: false, capped: false });
    expect(items()).toEqual(['A', 'B', 'C', 'D', 'a']);
  });

  it('removeDuplicates defaults to the warehouse setting; the body overrides it', async () => {
    const { api, id, items } = await empty({}, { removeDuplicates: false });
    await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nA' });
    expect(items()).toEqual(['A', 'A']);
    const r = await api('POST', `/warehouses/${id}/stock`, {
      stock: 'A\nB\nB',
      removeDuplicates: true,
    });
    expect(r.body).toMatchObject({ added: 1, total: 3 });
  });

  it('truncated: only the first maxLines non-blank lines are considered and stored', async () => {
    const { api, id, items } = await empty({ maxLines: 3 });
    const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'L1\n\nL2\nL1\nL4\nL5' });
    // Lines considered: L1, L2, L1 (a duplicate, dropped). L4 and L5 were past the limit.
    expect(r.body).toEqual({ added: 2, total: 2, truncated: true, capped: false });
    expect(items()).toEqual(['L1', 'L2']);
  });

  it('capped: the pool never exceeds maxPool; the first serials that fit are stored', async () => {
    const { api, id, items } = await empty({ maxPool: 4 });
    await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB' });
    const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'C\nA\nD\nE\nF' });
    expect(r.body).toEqual({ added: 2, total: 4, truncated: false, capped: true });
    expect(items()).toEqual(['A', 'B', 'C', 'D']);
  });

  it('truncated and capped together, limits changed at run time', async () => {
    const { api, id, items, sb } = await empty();
    sb.setLimits({ maxLines: 4, maxPool: 2 });
    const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB\nC\nD\nE' });
    expect(r.body).toEqual({ added: 2, total: 2, truncated: true, capped: true });
    expect(items()).toEqual(['A', 'B']);
  });

  it('refuses a create whose stock is over the limits, creating nothing', async () => {
    const { api, sb } = await sandbox({ empty: true, maxLines: 2 });
    const r = await api('POST', '/products', { title: 'T', price: 1, stock: 'A\nB\nC' });
    expect(r.status).toBe(400);
    expect(sb.store.products.size + sb.store.warehouses.size).toBe(0);
  });
});
