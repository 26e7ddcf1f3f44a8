// Rule 2 holds across a resume: in a pool that drops duplicates and sells
// keys off, a key whose earlier request may still land is not sent again
// from a later line, or a sale in between and the late landing sell it
// twice. A resume rebuilds the keys to hold from the uncertain list of the
// stopped runs, however many: past 200,000 it once held none, and a
// key repeated later in the input was sent.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

const UNIT = 70_000;

describe('a resume after more than 200,000 uncertain serials', () => {
  it('a later line repeating a key that may still land is not sent', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: true });
    const product = s.product(w);
    // Units 0–2: a gateway gives up on each (they land only after the runs);
    // unit 3: 429, the run stops (resumable); the resume sends units 3 and 4.
    const plan = (n: number): StockFault =>
      n < 3
        ? { kind: 'gateway', status: 502, release: 'end' }
        : n === 3
          ? { kind: 'refuse', status: 429 }
          : { kind: 'ok' };
    const proxy = await startFaultProxy({ upstream: s.sandbox.url, plan });
    open.push(proxy);
    const unique = serials(4 * UNIT, 'MANY');
    // The last unit repeats the first key, whose request never answered.
    const input = [...unique, unique[0]!];
    const file = s.file('in.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'unsent.txt');
    const args = [
      'warehouses',
      'restock',
      w,
      file,
      '--batch-size',
      String(UNIT),
      '--unsent-file',
      unsentPath,
      '--json',
    ];
    const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url, ASTROSELL_MAX_RETRIES: '0' };
    const first = await runMain(args, { env, timeoutMs: 120_000 });
    expect(first.stderr).toMatch(/--resume/);
    await runMain([...args, '--resume'], { env, timeoutMs: 120_000 });
    // Customers buy what the pool holds; then the gateways' requests land.
    const sold = s.sandbox.store.purchase(product, s.items(w).length, 'b@example.com');
    await proxy.finish();
    await proxy.idle();
    const unsent = readUnsent(unsentPath);
    const uncertain = readUnsent(`${unsentPath}.uncertain`);
    expectExactlyOnce(unique, s.items(w), unsent, sold.deliveredItems, uncertain);
  }, 240_000);
});
