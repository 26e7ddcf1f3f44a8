// A pool's `removeSold` is read when the run starts: off, a serial absent at
// a read-back is taken as never stored, since sold keys stay. Someone
// switching it on in the dashboard during the run (the API cannot, but the
// shop's owner can) makes a sale remove a key this run stored: had the
// read-back after a lost answer judged by the setting of the start, it would
// send the key again, back in stock to be sold twice. The read-back sees the
// switch in the warehouse's body, and from then on absence proves nothing.
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

describe('removeSold switched on during a restock', () => {
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
    const input = serials(20, 'FLIP');
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'warehouses', w, input);
    restockSummary(r);
    expect(delivered).toHaveLength(5);
    expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
  });
});
