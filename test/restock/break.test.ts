// Attempts to break the restock promise: every input serial ends in the
// pool exactly once, or in the unsent file, or in the uncertain file; none
// stored twice by the CLI; and the summary adds up. Each scenario drives the
// built CLI against an in-process sandbox whose store is patched to misbehave
// at one chosen moment. Each "HOLE" comment describes a bug these tests
// found in the first version of the engine, fixed since.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order, SerialPool } from '../../src/sandbox/index.js';
import { runBin } from '../helpers/cli.js';
import { expectExactlyOnce, readUnsent, type Shop, serials, shop, slowTest } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function newShop(...args: Parameters<typeof shop>): Promise<Shop> {
  const s = await shop(...args);
  open.push(s);
  return s;
}

type AddStock = (pool: SerialPool, stock: string, dedup: boolean) => unknown;
/** Runs `hook` in place of the n-th stock add (1-based); `add` does the real one. */
function patchStockAdd(s: Shop, n: number, hook: (add: () => unknown) => unknown): void {
  const store = s.sandbox.store;
  const real = store.addStock.bind(store) as AddStock;
  let calls = 0;
  store.addStock = ((pool, stock, dedup) => {
    calls++;
    const add = () => real(pool, stock, dedup);
    return calls === n ? hook(add) : add();
  }) as typeof store.addStock;
}

function order(invoiceId: string, status: string, at: Date, delivered: string[] = []): Order {
  return {
    invoiceId,
    productId: 'p',
    productTitle: 'P',
    quantity: delivered.length || 1,
    total: 1,
    currency: 'USD',
    status,
    gateway: 'crypto',
    customerEmail: 'b@example.com',
    createdAt: at.toISOString(),
    deliveredItems: delivered,
  };
}

async function restock(s: Shop, w: string, input: string[], extra: string[] = []) {
  const f = s.file('in.txt', input.join('\n'));
  const unsentPath = join(s.dir, 'unsent.txt');
  const r = await runBin(
    ['warehouses', 'restock', w, f, '--unsent-file', unsentPath, '--json', ...extra],
    { env: s.env, timeoutMs: 60_000 },
  );
  return {
    r,
    unsent: readUnsent(unsentPath),
    uncertain: readUnsent(`${unsentPath}.uncertain`),
    summary: r.stdout ? JSON.parse(r.stdout) : undefined,
  };
}

describe('breaking the restock promise', () => {
  // HOLE (pool-scan.ts:53): the read-back scanner drops the part of a serial
  // that arrives in the next chunk. A large pool's body arrives in many
  // chunks, so after a 500 the batch's tail does not match (k = 0). With a
  // sale of an unrelated key during the run the size check of
  // classifyKeepDup is skipped (reconcile.ts, `noSales`), nothing is
  // ambiguous, the whole batch is judged absent, and since a 500 is
  // "finished" (settle.ts:122) it is resent: every serial stored twice.
  // Expected: each serial in the pool once. Actual: the batch twice, exit 0.
  it(
    'keep-duplicates pool, large pool read back in chunks, a 500 after processing and a sale meanwhile: stored once',
    async () => {
      const s = await newShop();
      const w = s.warehouse({ removeDuplicates: false, removeSold: true });
      const p = s.product(w);
      const store = s.sandbox.store;
      const pool = store.warehouses.get(w)!.pool;
      // An older stock of 40,000 keys, so the read-back body is about 1.4 MB.
      store.addStock(pool, serials(40_000, 'OLD-STOCK-KEY').join('\n'), false);
      const input = serials(5000, 'NEW-STOCK-KEY');
      patchStockAdd(s, 1, (add) => {
        add();
        store.purchase(p, 1, 'b@example.com'); // sells the oldest key, not one of ours
        throw new Error('stored, then failed');
      });
      const { r, unsent, uncertain } = await restock(s, w, input, ['--batch-size', '5000']);
      const ours = s.items(w).filter((x) => x.startsWith('NEW-'));
      expectExactlyOnce(input, ours, unsent, [], uncertain);
      // The sale changed the pool's size: which lines landed is not provable, so none is resent.
      expect(r.code, r.stderr).toBe(7);
      expect(uncertain).toEqual(input);
    },
    slowTest(90_000),
  );

  // The same run with a small pool: the sale makes the pool's growth unprovable,
  // so the batch is uncertain (listed, never resent): stored once.
  it(
    'keep-duplicates pool, small pool, a 500 after processing and a sale meanwhile: stored once',
    async () => {
      const s = await newShop();
      const w = s.warehouse({ removeDuplicates: false, removeSold: true });
      const p = s.product(w);
      const store = s.sandbox.store;
      store.addStock(store.warehouses.get(w)!.pool, serials(50, 'OLD').join('\n'), false);
      const input = serials(100, 'NEW');
      patchStockAdd(s, 1, (add) => {
        add();
        store.purchase(p, 1, 'b@example.com');
        throw new Error('stored, then failed');
      });
      const { r, unsent, uncertain, summary } = await restock(s, w, input, ['--batch-size', '100']);
      const ours = s.items(w).filter((x) => x.startsWith('NEW-'));
      expectExactlyOnce(input, ours, unsent, [], uncertain);
      expect(ours.length).toBe(100);
      // A sale in a pool that keeps duplicates: the pool's shape proves nothing; listed, never resent.
      expect(r.code, r.stderr).toBe(7);
      expect(summary.uncertain).toBe(100);
    },
    slowTest(60_000),
  );

  // HOLE (sales.ts judgeSales, `counts`: any status change counts): a key
  // sold before the run, refunded and added again. The old order is in the
  // snapshot as completed; it is marked refunded while the run goes on (the
  // operator handles the refund), and the stock add carrying the key gets a
  // 500 before processing. The read-back finds the key absent, sees the old
  // order's status changed, takes its deliveredItems as a sale of this run,
  // and counts the key "stored, then sold": never resent, in no file.
  // Expected: the key in the pool (resent) — exit 0. Actual: lost, exit 0.
  it(
    'a refunded key added again, its order marked refunded during the run, a 500 before processing: not lost',
    async () => {
      const s = await newShop();
      const w = s.warehouse({ removeDuplicates: true, removeSold: true });
      const store = s.sandbox.store;
      const old = order('AS-REFUND', 'completed', new Date(Date.now() - 86_400_000), [
        'KEY-REFUNDED',
      ]);
      store.orders.set(old.invoiceId, old);
      const input = ['KEY-A', 'KEY-REFUNDED', 'KEY-B'];
      patchStockAdd(s, 1, () => {
        old.status = 'refunded';
        throw new Error('failed before storing');
      });
      const { r, unsent, uncertain } = await restock(s, w, input);
      expectExactlyOnce(input, s.items(w), [...unsent, ...uncertain]);
      expect(s.items(w)).toContain('KEY-REFUNDED');
      expect(r.code, r.stderr).toBe(0);
    },
    slowTest(60_000),
  );

  // HOLE (settle.ts:177-201 with the end check engine.ts:437): a truncated
  // answer in a pool that drops duplicates is reconciled from the pool; if a
  // key this very answer added is sold before the read-back and the sale is
  // not seen (the newest page of orders is full of newer orders), it is
  // "unknown", so stored (r.stored) < a.added. `added` is counted from the
  // answer but `sent` from the read-back: sent ≠ added + droppedByPool +
  // foundStored, and the run ends in "internal error" (exit 1) after the
  // journal was removed, with no summary. Expected: exit 7 with the sold key
  // uncertain and the summary adding up.
  it(
    'truncated answer, a key it added sold unseen before the read-back: the summary still adds up',
    async () => {
      const s = await newShop({ maxLines: 5 });
      const w = s.warehouse({ removeDuplicates: true, removeSold: true });
      const p = s.product(w);
      const store = s.sandbox.store;
      const input = serials(10, 'TR');
      patchStockAdd(s, 1, (add) => {
        const res = add(); // stores TR-0..TR-4, truncated
        store.purchase(p, 1, 'b@example.com'); // sells TR-0
        // 200 newer orders hide that sale from the newest page.
        const later = Date.now() + 60_000;
        for (let i = 0; i < 200; i++) {
          const o = order(`AS-NEW-${i}`, 'pending', new Date(later + i * 1000));
          store.orders.set(o.invoiceId, o);
        }
        return res;
      });
      const { r, summary, unsent, uncertain } = await restock(s, w, input, ['--batch-size', '10']);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code, r.stderr).toBe(7);
      expect(summary.sent).toBe(summary.added + summary.droppedByPool + summary.foundStored);
      expect(summary.sent + summary.unsent + summary.uncertain).toBe(10);
      expect(uncertain).toContain('TR-0000000');
      expect(unsent.length + uncertain.length + s.items(w).length).toBeGreaterThanOrEqual(9);
    },
    slowTest(60_000),
  );
});
