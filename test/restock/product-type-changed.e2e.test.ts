// `products restock <product>` reads a lost answer back through the product.
// Made a non-serials product in the dashboard during the run, the product
// lists no stock items, though its warehouse keeps every key this run
// stored: the keys must not be listed as not stored (the unsent file, to be
// restocked again: stored twice).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe('a product made a non-serials product during its restock', () => {
  it('keys its warehouse holds are not listed as unsent', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: false });
    const product = s.product(w);
    const store = s.sandbox.store;
    let changed = false;
    // The first stock add is processed but its answer is lost (a 500).
    const plan = (n: number): StockFault => (n === 0 ? { kind: '5xx-after' } : { kind: 'ok' });
    const proxy: FaultProxy = await startFaultProxy({
      upstream: s.sandbox.url,
      plan,
      onPoolRead: () => {
        if (changed || proxy.stockRequests === 0) return;
        changed = true;
        store.products.get(product)!.type = 'file';
      },
    });
    open.push(proxy);
    const input = serials(20, 'TYP');
    const file = s.file('in.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'unsent.txt');
    const args = ['products', 'restock', product, file, '--batch-size', '10'];
    const env = { env: { ...s.env, ASTROSELL_BASE_URL: proxy.url }, timeoutMs: 30_000 };
    const r = await runMain([...args, '--unsent-file', unsentPath], env);
    expect(changed).toBe(true);
    expect(r.code).not.toBe(0);
    const unsent = readUnsent(unsentPath);
    const uncertain = readUnsent(`${unsentPath}.uncertain`);
    expectExactlyOnce(input, s.items(w), unsent, [], uncertain);
  });
});
