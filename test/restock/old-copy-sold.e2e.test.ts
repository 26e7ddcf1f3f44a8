// In a pool that drops duplicates, a key of the input may already be in the
// pool (a file restocked again, in part). If the request carrying it gets no
// answer and a buyer takes the pool's old copy meanwhile, the read-back finds
// the key absent and delivered by an order of this run. That does not say
// this run's request stored it: the request may still land, and put the key,
// sold, back in stock. Such a key may be stored again later: it is uncertain
// (listed, so the operator checks it), not "stored, then sold".
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import {
  expectExactlyOnce,
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

describe('an old copy of an input key sold while the request carrying it may still land', () => {
  it('the key is not counted stored and sold: the late landing would put it back', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: true });
    const product = s.product(w);
    const input = serials(20, 'OLD');
    // The pool already holds the first key of the input, and the shop has sold before.
    s.sandbox.store.warehouses.get(w)!.pool.add(['EARLIER', input[0]!], true, 1_000_000);
    s.sandbox.store.purchase(product, 1, 'a@example.com');
    const delivered: string[] = [];
    let sold = false;
    // The first stock add: a gateway gives up on it; it reaches the service after the run.
    const plan = (n: number): StockFault =>
      n === 0 ? { kind: 'gateway', status: 502, release: 'end' } : { kind: 'ok' };
    const proxy: FaultProxy = await startFaultProxy({
      upstream: s.sandbox.url,
      plan,
      // Before the read-back: a buyer takes the pool's oldest key, the old copy.
      onPoolRead: () => {
        if (sold || proxy.stockRequests === 0) return;
        sold = true;
        delivered.push(...s.sandbox.store.purchase(product, 1, 'b@example.com').deliveredItems);
      },
    });
    open.push(proxy);
    const { r, unsent, uncertain } = await restockThrough(s, proxy.url, 'warehouses', w, input);
    restockSummary(r);
    expect(delivered).toEqual([input[0]]);
    await proxy.finish();
    await proxy.idle();
    expectExactlyOnce(input, s.items(w), unsent, [], uncertain);
    // The late landing put the sold key back: no client can prevent that
    // once the request is out, but it must not have said the key was settled.
    const pool = new Set(s.items(w));
    const soldAndStocked = delivered.filter((k) => pool.has(k));
    expect(soldAndStocked).toEqual([input[0]]);
    expect(
      soldAndStocked.filter((k) => !uncertain.includes(k)),
      'sold, back in stock, not listed',
    ).toEqual([]);
  });
});
