// `sandbox --history N`: a shop with a past. N orders over the last 90 days,
// busier evenings than nights, open orders only among the newest, and the
// list endpoint still answering only the newest 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

const N = 20_000;
let sandbox: Sandbox;
let started: number;

beforeAll(async () => {
  started = Date.now();
  sandbox = await startSandbox({ port: 0, keys: ['nsk_test_history'], history: N });
});
afterAll(() => sandbox.close());

const seeded = () =>
  [...sandbox.store.orders.values()].filter(
    (o) => Date.parse(o.createdAt) > Date.parse('2026-07-01'),
  );

describe('sandbox --history', () => {
  it('adds N orders within the last 90 days', () => {
    const orders = seeded();
    expect(orders.length).toBe(N);
    const oldest = Math.min(...orders.map((o) => Date.parse(o.createdAt)));
    expect(oldest).toBeGreaterThanOrEqual(started - 90 * 86_400_000 - 60_000);
    expect(Math.max(...orders.map((o) => Date.parse(o.createdAt)))).toBeLessThan(Date.now());
  });

  it('has more orders in the evening than at night, and open orders only in the last hours', () => {
    const byHour = new Array(24).fill(0);
    for (const o of seeded()) byHour[new Date(o.createdAt).getUTCHours()]++;
    expect(byHour[19] + byHour[20]).toBeGreaterThan(3 * (byHour[2] + byHour[3]));
    const open = seeded().filter((o) => o.status === 'pending' || o.status === 'processing');
    for (const o of open) expect(Date.parse(o.createdAt)).toBeGreaterThan(started - 3 * 3_600_000);
  });

  it('the API still lists only the newest 200', async () => {
    const res = await fetch(`${sandbox.url}/orders?limit=200`, {
      headers: { authorization: 'Bearer nsk_test_history' },
    });
    const page = (await res.json()) as Array<{ createdAt: string }>;
    expect(page.length).toBe(200);
    const newest = Math.max(...seeded().map((o) => Date.parse(o.createdAt)));
    expect(Date.parse(page[0]!.createdAt)).toBe(newest);
  });
});
