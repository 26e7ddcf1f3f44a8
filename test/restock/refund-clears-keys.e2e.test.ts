// The reference lists an order's delivered items "once completed"; what a
// refunded order lists is not said. An order made during the run that
// completes with keys this run stored (the answer lost) and is refunded
// before the read-back may list none of them: the keys left the pool (the
// customer has them), and no order names them. Absent and unnamed, they must
// not look never stored and be sent again (in stock once more, sold twice):
// an order of this pool that lists fewer keys than it bought makes absence
// prove nothing.
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

describe('an order of the run refunded, its delivered keys no longer listed', () => {
  it('the keys it took are not sent again', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: true });
    const product = s.product(w);
    const store = s.sandbox.store;
    // An order before the run: the window's newest page reaches back to it.
    store.warehouses.get(w)!.pool.add(['EARLIER'], true, 1_000_000);
    store.purchase(product, 1, 'a@example.com');
    const delivered: string[] = [];
    // Between the lost answer and its read-back: a sale of five keys, then its refund.
    const proxy = await lostAnswerProxy(s, () => {
      const order = store.purchase(product, 5, 'c@example.com');
      delivered.push(...order.deliveredItems);
      order.status = 'refunded';
      order.deliveredItems = [];
    });
    open.push(proxy);
    const input = serials(20, 'REF');
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'warehouses', w, input);
    restockSummary(r);
    expect(delivered).toHaveLength(5);
    expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
  });
});
