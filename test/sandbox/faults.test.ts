// Rate limiting and fault injection: what CLI retry logic is tested against.
import { describe, expect, it } from 'vitest';
import { KEY, sandbox } from './helpers.js';

describe('rate limit', () => {
  it('429 with Retry-After once a key is over its limit, per key, then recovers', async () => {
    const other = 'nsk_test_ffffffffffffffffffffffffffffffff';
    const { api } = await sandbox({ keys: [KEY, other], rateLimit: { requests: 2, perMs: 1000 } });
    expect((await api('GET', '/coupons')).status).toBe(200);
    expect((await api('GET', '/coupons')).status).toBe(200);
    const limited = await api('GET', '/coupons');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'Rate limit exceeded' });
    const wait = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(wait) && wait >= 1).toBe(true);
    expect(
      (await api('GET', '/coupons', undefined, { authorization: `Bearer ${other}` })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await api('GET', '/coupons')).status).toBe(200);
  });

  it('can be switched on and off at run time', async () => {
    const { api, sb } = await sandbox();
    sb.setLimits({ rateLimit: { requests: 1, perMs: 60_000 } });
    await api('GET', '/coupons');
    const r = await api('GET', '/coupons');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    sb.setLimits({ rateLimit: null });
    expect((await api('GET', '/coupons')).status).toBe(200);
  });
});

describe('fault injection', () => {
  async function pool() {
    const h = await sandbox({ empty: true });
    const w = await h.api('POST', '/warehouses', { name: 'W', removeDuplicates: false });
    return {
      ...h,
      id: w.body.id as string,
      size: () => h.sb.store.warehouses.get(w.body.id)!.pool.size,
    };
  }

  it('errorRate answers 5xx JSON without processing the request', async () => {
    const { api, sb, id, size } = await pool();
    sb.setFaults({ seed: 7, errorRate: 1 });
    for (let i = 0; i < 5; i++) {
      const r = await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB' });
      expect([500, 502, 503]).toContain(r.status);
      expect(r.body.error).toMatch(/fault injection/);
    }
    expect(size()).toBe(0);
    sb.setFaults({});
    expect((await api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB' })).body.total).toBe(2);
  });

  it('the same seed replays the same faults', async () => {
    async function statuses(): Promise<number[]> {
      const { api } = await sandbox({ faults: { seed: 42, errorRate: 0.5 } });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await api('GET', '/coupons')).status);
      return out;
    }
    const first = await statuses();
    expect(first).toContain(200);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(await statuses()).toEqual(first);
  });

  it('dropRate processes the request, then cuts the connection without an answer', async () => {
    const { api, sb, id, size } = await pool();
    sb.setFaults({ seed: 1, dropRate: 1 });
    await expect(api('POST', `/warehouses/${id}/stock`, { stock: 'A\nB\nC' })).rejects.toThrow();
    sb.setFaults({});
    // Stored exactly once: the state change happened, and nothing retried it.
    expect(size()).toBe(3);
    expect((await api('GET', '/coupons')).status).toBe(200);
  });

  it('latencyMs delays each request', async () => {
    const { api, sb } = await sandbox();
    sb.setFaults({ latencyMs: 150 });
    const started = Date.now();
    expect((await api('GET', '/coupons')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('faults apply only under /api/v1', async () => {
    const { sb } = await sandbox({ faults: { errorRate: 1 } });
    const res = await fetch(sb.url.replace('/api/v1', '/'));
    expect(res.status).toBe(200);
  });

  it('rejects impossible fault settings', async () => {
    const { sb } = await sandbox();
    expect(() => sb.setFaults({ errorRate: 0.7, dropRate: 0.5 })).toThrow(/≤ 1/);
    expect(() => sb.setFaults({ errorRate: 2 })).toThrow(/between 0 and 1/);
  });
});
