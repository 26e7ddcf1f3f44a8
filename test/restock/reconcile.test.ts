import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, classify, ORDERS_PAGE, ordersWindow } from '../../src/restock/reconcile.js';

const T = Date.parse('2026-06-01T12:00:00Z');
const order = (minutesAfter: number, items: string[], status = 'completed') => ({
  status,
  createdAt: new Date(T + minutesAfter * 60_000).toISOString(),
  deliveredItems: items,
});

describe('classify', () => {
  it('present in the pool: stored; absent without removeSold: not stored', () => {
    const r = classify(['a', 'b', 'c'], ['x', 'a', 'c'], false, undefined);
    expect(r).toEqual({ stored: 2, sold: 0, absent: ['b'], unknown: [] });
  });

  it('matches repeated serials copy by copy', () => {
    expect(classify(['a', 'a', 'a'], ['a', 'a'], false, undefined)).toMatchObject({
      stored: 2,
      absent: ['a'],
    });
  });

  it('with removeSold, a delivered serial counts as stored and is never resent', () => {
    const w = ordersWindow([order(1, ['b'])], T);
    expect(classify(['a', 'b', 'c'], ['a'], true, w)).toEqual({
      stored: 1,
      sold: 1,
      absent: ['c'],
      unknown: [],
    });
  });

  it('with removeSold and orders that do not cover the window, absence proves nothing', () => {
    const page = Array.from({ length: ORDERS_PAGE }, () => order(5, []));
    const w = ordersWindow(page, T);
    expect(w.complete).toBe(false);
    expect(classify(['a', 'b'], ['a'], true, w)).toMatchObject({ stored: 1, unknown: ['b'] });
    expect(classify(['a', 'b'], ['a'], true, undefined)).toMatchObject({ unknown: ['b'] });
  });

  it('a full page whose oldest order predates the send (minus skew) covers the window', () => {
    const page = Array.from({ length: ORDERS_PAGE }, (_, i) =>
      order(i === ORDERS_PAGE - 1 ? -60 : 1, []),
    );
    expect(ordersWindow(page, T).complete).toBe(true);
    const justInside = Array.from({ length: ORDERS_PAGE }, () =>
      order(-(CLOCK_SKEW_MS / 60_000) + 1, []),
    );
    expect(ordersWindow(justInside, T).complete).toBe(false);
  });

  it('an order still being fulfilled in the window makes absence unknown', () => {
    expect(ordersWindow([order(1, [], 'processing')], T).complete).toBe(false);
    expect(ordersWindow([order(-60, [], 'pending')], T).complete).toBe(true);
  });
});
