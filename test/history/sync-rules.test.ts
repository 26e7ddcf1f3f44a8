// `orders sync`, what it tells its operator, in-process against the sandbox:
// the summary line and its --json, where a first history starts, a gap with
// its window and exit code, and kept open orders the service lost.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { buyOrders, startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let tmp: { dir: string; cleanup: () => void };
let db: string;

afterEach(async () => {
  await shop.close();
  tmp.cleanup();
});
async function open(options: { history?: number } = {}) {
  shop = await startTestShop(options);
  tmp = tempDir('astrosell-sync-rules-');
  db = join(tmp.dir, 'shop.sqlite');
}
const sync = (...extra: string[]) =>
  runMain(['orders', 'sync', '--db', db, ...extra], { env: shop.env });

const buy = (n: number) => buyOrders(shop, n);

describe('orders sync says what it did', () => {
  beforeEach(() => open());

  it('one line: orders read, new, changed, and the total kept in which file', async () => {
    const count = shop.sandbox.store.orders.size;
    const first = await sync();
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `synced ${count} orders: ${count} new, 0 changed; ${count} in ${db}\n`,
    );
    expect(first.stderr).toBe('');
    buy(1);
    const second = await sync();
    expect(second.stdout).toMatch(
      new RegExp(`^synced \\d+ orders: 1 new, 0 changed; ${count + 1} in `),
    );
  });

  it('one order read is "1 order"', async () => {
    const store = shop.sandbox.store;
    const keep = [...store.orders.values()].find((o) => o.status === 'completed')!;
    store.orders.clear();
    store.orders.set(keep.invoiceId, keep);
    expect((await sync()).stdout).toBe(`synced 1 order: 1 new, 0 changed; 1 in ${db}\n`);
  });

  it('--json: one object a script reads, with no gap', async () => {
    const count = shop.sandbox.store.orders.size;
    const r = await sync('--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ file: db, seen: count, added: count, changed: 0, total: count });
    expect(report.gap).toBeNull();
  });

  it('kept open orders the service no longer knows are kept as last seen, and counted', async () => {
    expect((await sync()).code).toBe(0);
    const store = shop.sandbox.store;
    const open = [...store.orders.values()].filter(
      (o) => o.status === 'pending' || o.status === 'processing',
    );
    expect(open.length).toBeGreaterThanOrEqual(2);
    store.orders.delete(open[0]!.invoiceId);
    const one = await sync();
    expect(one.code).toBe(0);
    expect(one.stderr).toBe(
      'note: 1 kept open order no longer found by the service; kept as last seen\n',
    );
    store.orders.delete(open[1]!.invoiceId);
    const two = await sync();
    expect(two.stderr).toMatch(/^note: 2 kept open orders no longer found by the service/);
    expect(two.stdout).toMatch(/^synced /);
  });
});

describe('orders sync over a shop with more orders than the service lists', () => {
  beforeEach(() => open({ history: 600 }));

  it('the first sync says where the history starts and why older orders cannot be read; later ones do not', async () => {
    const newestFirst = [...shop.sandbox.store.orders.values()]
      .map((o) => o.createdAt)
      .sort()
      .reverse();
    const oldest = newestFirst[199]; // the oldest the service lists
    const first = await sync();
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      `note: the history starts at ${oldest}: the service lists only the newest 200 orders, older ones cannot be read\n`,
    );
    const again = await sync();
    expect(again.stderr).toBe('');
  });

  it('a gap is a warning with its window and a hint, exit 10; --json carries the window', async () => {
    expect((await sync()).code).toBe(0);
    const newestBefore = shop.sandbox.store.orders.get(buy(1)[0]!)!.createdAt;
    expect((await sync()).code).toBe(0);
    const ids = buy(230);
    const r = await sync('--json');
    expect(r.code).toBe(EXIT_CODES.historyGap);
    const pageOldest = shop.sandbox.store.orders.get(ids[30]!)!.createdAt;
    expect(r.stderr.split('\n')).toEqual([
      `warning: orders created between ${newestBefore} and ${pageOldest} may be missing: the newest 200 orders held none already in the history`,
      'hint: sync more often (the newest page must overlap the last sync)',
      '',
    ]);
    expect(JSON.parse(r.stdout).gap).toEqual({ after: newestBefore, before: pageOldest });
  });
});
