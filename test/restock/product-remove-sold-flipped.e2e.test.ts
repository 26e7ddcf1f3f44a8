// `products restock <product>` stores into the product's warehouse, and
// reads back through the product, whose body does not show the warehouse's
// `removeSold`. Switched on in the dashboard during the run, a sale removes
// a key this run stored (its answer lost): judged by the setting of the
// start (sold keys stay), the absent key looks never stored and is sent
// again, back in stock to be sold twice. (The warehouse target sees the
// switch in its own body: remove-sold-flipped.e2e.test.ts.)
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

describe("removeSold switched on in a product's warehouse during the product's restock", () => {
  it('a key stored, then sold after the switch, is not stored again', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: false });
    const product = s.product(w);
    const delivered: string[] = [];
    // Between the lost answer and its read-back: the switch, then a sale of what landed.
    const proxy = await lostAnswerProxy(s, () => {
      s.sandbox.store.warehouses.get(w)!.removeSold = true;
      delivered.push(...s.sandbox.store.purchase(product, 5, 'b@example.com').deliveredItems);
    });
    open.push(proxy);
    const input = serials(20, 'PFLIP');
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'products', product, input);
    restockSummary(r);
    expect(delivered).toHaveLength(5);
    expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
  });
});
