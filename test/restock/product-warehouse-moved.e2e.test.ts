// `products restock <product>` stores the keys in the pool the product draws
// from: its warehouse. The dashboard can point the product at another
// warehouse while the restock runs. The run must then not judge keys it sent
// to the first warehouse by the second one's pool: a lost answer read back
// through the product shows the new warehouse, where the keys are absent,
// and sending them again stores them in both warehouses (sold twice).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe("a product's warehouse changed during its restock", () => {
  it('no key ends up in both warehouses', async () => {
    const s = await shop();
    open.push(s);
    const first = s.warehouse({ removeDuplicates: true, removeSold: false });
    const second = s.warehouse({ removeDuplicates: true, removeSold: false });
    const product = s.product(first);
    const store = s.sandbox.store;
    let moved = false;
    // The first stock add is processed but its answer is lost (a 500).
    const plan = (n: number): StockFault => (n === 0 ? { kind: '5xx-after' } : { kind: 'ok' });
    const proxy: FaultProxy = await startFaultProxy({
      upstream: s.sandbox.url,
      plan,
      // Before the read-back, the product is pointed at the other warehouse.
      onPoolRead: () => {
        if (moved || proxy.stockRequests === 0) return;
        moved = true;
        store.products.get(product)!.warehouseId = second;
      },
    });
    open.push(proxy);
    const input = serials(20, 'MOV');
    const file = s.file('in.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'unsent.txt');
    const args = ['products', 'restock', product, file, '--batch-size', '10'];
    const env = { env: { ...s.env, ASTROSELL_BASE_URL: proxy.url }, timeoutMs: 30_000 };
    const r = await runMain([...args, '--unsent-file', unsentPath, '--json'], env);
    expect(moved).toBe(true);
    // A resume while the product still draws from the other warehouse is refused too.
    const again = await runMain([...args, '--resume'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^error: .*now draws from warehouse/m);
    const unsent = readUnsent(unsentPath);
    const uncertain = readUnsent(`${unsentPath}.uncertain`);
    const both = [...s.items(first), ...s.items(second)];
    expectExactlyOnce(input, both, unsent, [], uncertain);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
