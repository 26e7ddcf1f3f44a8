// HTTP 202 Accepted says the request was taken "for processing, but the
// processing has not been completed" (RFC 9110, 15.3.3): a queue or a
// gateway in front of the service answers it at once and stores the serials
// later. Such an answer without the stock fields is no word on what was
// stored, and the request may still land: its serials must be treated like a
// gateway's 502/504 (uncertain when absent, never resent), or the late
// landing stores them a second time (keeping duplicates), or puts keys sold
// meanwhile back in stock (dropping them).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe('a 202 Accepted to a stock add: the request may still land', () => {
  for (const removeDuplicates of [false, true]) {
    it(`absent serials are uncertain, never resent (pool removeDuplicates ${removeDuplicates})`, async () => {
      const s = await shop();
      open.push(s);
      const w = s.warehouse({ removeDuplicates, removeSold: true });
      const product = s.product(w);
      // The first stock add is answered 202 at once and queued; it reaches
      // the service only after the run.
      const plan = (n: number): StockFault =>
        n === 0 ? { kind: 'gateway', status: 202, release: 'end' } : { kind: 'ok' };
      const proxy = await startFaultProxy({ upstream: s.sandbox.url, plan });
      open.push(proxy);
      const input = serials(20, `ACC${removeDuplicates}`);
      const file = s.file('in.txt', `${input.join('\n')}\n`);
      const unsentPath = join(s.dir, 'unsent.txt');
      const r = await runMain(
        [
          'warehouses',
          'restock',
          w,
          file,
          '--batch-size',
          '10',
          '--unsent-file',
          unsentPath,
          '--json',
        ],
        { env: { ...s.env, ASTROSELL_BASE_URL: proxy.url }, timeoutMs: 30_000 },
      );
      restockSummary(r);
      // Customers buy what the pool holds; then the queued request lands.
      const sold = s.sandbox.store.purchase(product, s.items(w).length, 'b@example.com');
      await proxy.finish();
      await proxy.idle();
      const unsent = readUnsent(unsentPath);
      const uncertain = readUnsent(`${unsentPath}.uncertain`);
      expectExactlyOnce(input, s.items(w), unsent, sold.deliveredItems, uncertain);
      // The queued serials were not known stored when the run ended.
      expect(r.code, r.stderr).toBe(7);
    });
  }
});
