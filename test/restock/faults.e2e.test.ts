import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hurriedClock, runMain } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
  slowTest,
} from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function faultyShop(...args: Parameters<typeof shop>): Promise<Shop> {
  const s = await shop(...args);
  open.push(s);
  return s;
}

describe('restock under faults', () => {
  it(
    'keys sold while the restock runs are never stored twice nor resent',
    async () => {
      const s = await faultyShop({
        faults: { seed: 5, dropRate: 0.2, errorRate: 0.05, latencyMs: 5 },
      });
      const w = s.warehouse({ removeDuplicates: false, removeSold: true });
      const store = s.sandbox.store;
      const p = { id: s.product(w, 'sold') };
      const input = serials(600, 'SOLD');
      const f = s.file('sold.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'sold-unsent.txt');
      // A buyer empties the pool as it fills.
      let buying = true;
      const delivered: string[] = [];
      const buyer = (async () => {
        while (buying) {
          const size = store.warehouses.get(w)!.pool.size;
          if (size > 0)
            delivered.push(...store.purchase(p.id, size, 'b@example.com').deliveredItems);
          await new Promise((r) => setTimeout(r, 3));
        }
      })();
      const r = await runMain(
        [
          'warehouses',
          'restock',
          w,
          f,
          '--batch-size',
          '40',
          '--unsent-file',
          unsentPath,
          '--json',
        ],
        { env: s.env, timeoutMs: 50_000, clock: hurriedClock },
      );
      buying = false;
      await buyer;
      expect([0, 7], r.stderr).toContain(r.code);
      const summary = restockSummary(r);
      const unsent = readUnsent(unsentPath);
      const uncertain = readUnsent(`${unsentPath}.uncertain`);
      expectExactlyOnce(input, s.items(w), [...unsent, ...uncertain], delivered);
      expect(summary.sent + summary.unsent + summary.uncertain).toBe(600);
      // Known not stored: neither in the pool nor sold.
      const stored = new Set([...s.items(w), ...delivered]);
      expect(unsent.filter((x) => stored.has(x))).toEqual([]);
    },
    slowTest(60_000),
  );
});
