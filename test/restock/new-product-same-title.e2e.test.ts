// Orders name their product by title only, so a restock tells its pool's
// sales from another pool's by the titles of the products drawing from each.
// Those titles are read once, when the run starts. A product created during
// the run (POST /products with the pool's warehouseId) under a title that a
// product of another pool already has sells this pool's keys under a title
// the run takes for the other pool's: a key stored by a request whose answer
// was lost, then sold that way, looks never stored, and is sent again.
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

describe("a product made during the run, titled like another pool's", () => {
  it('its sales of keys this run stored are not taken for the other pool', async () => {
    const s = await shop();
    open.push(s);
    const other = s.warehouse({ removeDuplicates: true, removeSold: true });
    const otherListing = s.product(other, 'Game key');
    // A shop with a past: the other pool has sold before.
    s.sandbox.store.warehouses.get(other)!.pool.add(['OLD-1'], true, 1_000_000);
    s.sandbox.store.purchase(otherListing, 1, 'a@example.com');
    const w = s.warehouse({ removeDuplicates: true, removeSold: true });
    const delivered: string[] = [];
    // Between the lost answer and its read-back: a second listing of the pool, and a sale.
    const proxy = await lostAnswerProxy(s, () => {
      const listing = s.product(w, 'Game key');
      delivered.push(...s.sandbox.store.purchase(listing, 5, 'b@example.com').deliveredItems);
    });
    open.push(proxy);
    const input = serials(20, 'TITLE');
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'warehouses', w, input);
    restockSummary(r);
    expect(delivered).toHaveLength(5);
    expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
  });
});
