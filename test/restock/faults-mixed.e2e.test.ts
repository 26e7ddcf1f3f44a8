// Nothing lost, nothing doubled: restocks through a sandbox that truncates,
// caps, rate-limits, answers 5xx and drops connections after processing, all
// in one run. Kept apart from faults.e2e.test.ts because their real retry
// waits take seconds: mutation testing leaves this file out.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { expectExactlyOnce, readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function faultyShop(...args: Parameters<typeof shop>): Promise<Shop> {
  const s = await shop(...args);
  open.push(s);
  return s;
}

describe('restock under mixed faults', () => {
  for (const removeDuplicates of [false, true]) {
    it(`5xx, dropped connections, 429, truncation and a cap (pool removeDuplicates ${removeDuplicates})`, async () => {
      const s = await faultyShop({
        maxLines: 45,
        maxPool: 1300,
        rateLimit: { requests: 60, perMs: 1000 },
        faults: { seed: removeDuplicates ? 11 : 7, errorRate: 0.12, dropRate: 0.12, latencyMs: 2 },
      });
      const w = s.warehouse({ removeDuplicates });
      const input = serials(1500, `F${removeDuplicates}`);
      const f = s.file('in.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'unsent.txt');
      const r = await runMain(
        [
          'warehouses',
          'restock',
          w,
          f,
          '--batch-size',
          '100',
          '--unsent-file',
          unsentPath,
          '--json',
        ],
        { env: s.env, timeoutMs: 50_000 },
      );
      expect([0, 7], r.stderr).toContain(r.code);
      const summary = restockSummary(r);
      const unsent = readUnsent(unsentPath);
      const uncertain = readUnsent(`${unsentPath}.uncertain`);
      // pool + unsent + uncertain == input, each serial exactly once.
      expectExactlyOnce(input, s.items(w), [...unsent, ...uncertain]);
      expect(summary.lines).toBe(1500);
      expect(summary.sent + summary.unsent + summary.uncertain).toBe(1500);
      expect(unsent.length).toBe(summary.unsent);
      expect(uncertain.length).toBe(summary.uncertain);
      // The unsent file lists only serials known not stored.
      const pool = new Set(s.items(w));
      expect(unsent.filter((x) => pool.has(x))).toEqual([]);
      expect(s.items(w).length).toBe(1300); // capped at the end
      expect(r.stderr).not.toMatch(/F(true|false)-\d/); // no serial in errors or warnings
    }, 60_000);
  }
});
