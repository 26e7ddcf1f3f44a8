// Only orders new since the run's snapshot, or open then and changed since,
// count as sales of the run. An order done at the snapshot can still deliver
// during the run: support replaces a key that did not work (the order stays
// completed, its one delivered key swapped for a fresh one from the pool), or
// a refunded order is completed again and delivered anew. A key of this run
// that left the pool that way (the answer lost) was stored and sold: it must
// not look never stored and be sent again (in stock once more, sold twice).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

type Redeliver = (order: { status: string; deliveredItems: string[] }, keys: string[]) => void;

async function restockWhileAnOldOrderRedelivers(status: string, redeliver: Redeliver) {
  const s = await shop();
  open.push(s);
  const w = s.warehouse({ removeDuplicates: true, removeSold: true });
  const product = s.product(w);
  const store = s.sandbox.store;
  // Before the run: an order that took the pool's only key, done delivering.
  store.warehouses.get(w)!.pool.add(['EARLIER'], true, 1_000_000);
  const old = store.purchase(product, 1, 'a@example.com');
  old.status = status;
  const delivered: string[] = [];
  let done = false;
  const plan = (n: number): StockFault => (n === 0 ? { kind: '5xx-after' } : { kind: 'ok' });
  const proxy: FaultProxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan,
    // Between the lost answer and its read-back, the old order delivers a key of this run.
    onPoolRead: () => {
      if (done || proxy.stockRequests === 0) return;
      done = true;
      const keys = store.warehouses.get(w)!.pool.take(1, true);
      redeliver(old, keys);
      delivered.push(...keys);
    },
  });
  open.push(proxy);
  const input = serials(20, 'RED');
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const r = await runMain(
    ['warehouses', 'restock', w, file, '--batch-size', '10', '--unsent-file', unsentPath, '--json'],
    { env: { ...s.env, ASTROSELL_BASE_URL: proxy.url }, timeoutMs: 30_000 },
  );
  restockSummary(r);
  expect(delivered.filter((k) => input.includes(k))).toHaveLength(1);
  const unsent = readUnsent(unsentPath);
  const uncertain = readUnsent(`${unsentPath}.uncertain`);
  expectExactlyOnce(input, s.items(w), unsent, delivered, uncertain);
}

describe('an order done at the snapshot that delivers again during the run', () => {
  it('a completed order whose key is replaced: the key it took is not sent again', async () => {
    await restockWhileAnOldOrderRedelivers('completed', (order, keys) => {
      order.deliveredItems = keys;
    });
  });

  it('a refunded order completed again: the key it took is not sent again', async () => {
    await restockWhileAnOldOrderRedelivers('refunded', (order, keys) => {
      order.status = 'completed';
      order.deliveredItems = keys;
    });
  });
});
