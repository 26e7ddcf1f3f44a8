// The run counts as its sales the orders new since its snapshot, and those
// open then (pending, processing) that changed since. The reference lists
// statuses only "e.g.", and the service may add others (an order awaiting a
// payment's confirmations, say). An order in such a status at the snapshot
// that completes during the run delivers keys like any open one: a key this
// run stored (the answer lost), sold that way, must not look never stored.
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultProxy } from '../helpers/fault-proxy.js';
import {
  expectExactlyOnce,
  lostAnswerProxy,
  restockSummary,
  restockThrough,
  type Shop,
  serials,
  shop,
} from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe('an order in a status the reference does not list, completing during the run', () => {
  it('its deliveries count as sales of the run', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: true });
    const product = s.product(w);
    const store = s.sandbox.store;
    // Before the run: an order bought with a payment not yet confirmed.
    store.warehouses.get(w)!.pool.add(['EARLIER'], true, 1_000_000);
    const waiting = store.purchase(product, 1, 'a@example.com');
    waiting.status = 'confirming';
    waiting.deliveredItems = [];
    const delivered: string[] = [];
    // Between the lost answer and its read-back, the payment is confirmed:
    // the order completes and takes five keys from the front of the pool.
    const proxy = await lostAnswerProxy(s, () => {
      const keys = store.warehouses.get(w)!.pool.take(5, true);
      waiting.status = 'completed';
      waiting.deliveredItems = keys;
      delivered.push(...keys);
    });
    open.push(proxy);
    const input = serials(20, 'CONF');
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'warehouses', w, input);
    restockSummary(r);
    expect(delivered.filter((k) => input.includes(k))).toHaveLength(5);
    expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
  });
});
