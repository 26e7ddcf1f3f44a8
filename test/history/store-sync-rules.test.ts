// `orders sync` in-process against the sandbox: what a cron job relies on.
// Every order stored once, changed orders updated (those older than the
// newest page too), where the history starts said once, a possible gap said
// with its window and exit code, a sync stopped inside its transaction
// storing none of it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AstroSell } from '../../src/api/astrosell.js';
import { systemClock } from '../../src/clock.js';
import { EXIT_CODES, ServerError } from '../../src/errors.js';
import { History } from '../../src/history/db.js';
import { rowOf, type SyncDeps, syncOrders } from '../../src/history/sync.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { closeAll } from '../helpers/fake-service.js';
import { ordersFront } from '../helpers/orders-front.js';
import { buyOrders, startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let tmp: { dir: string; cleanup: () => void };
let db: string;
beforeEach(async () => {
  shop = await startTestShop();
  tmp = tempDir('astrosell-store-sync-');
  db = join(tmp.dir, 'shop.sqlite');
});
afterEach(async () => {
  await shop.close();
  tmp.cleanup();
});

const sync = (...extra: string[]) =>
  runMain(['orders', 'sync', '--db', db, ...extra], { env: shop.env });
const syncJson = async () => {
  const r = await sync('--json');
  return { ...r, report: JSON.parse(r.stdout) as Record<string, unknown> };
};
const kept = async () => {
  const r = await runMain(['orders', 'list', '--history', '--db', db, '--json'], {
    env: shop.env,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
};

const buy = (n: number) => buyOrders(shop, n);
const orders = () => [...shop.sandbox.store.orders.values()];
const created = () =>
  orders()
    .map((o) => o.createdAt)
    .sort();
const oldestCreated = () => created()[0];
const newestCreated = () => created().at(-1);

describe('orders sync', () => {
  it('stores every order the service lists once; the next sync adds and changes nothing', async () => {
    const n = orders().length;
    const first = await syncJson();
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.report).toMatchObject({ seen: n, added: n, changed: 0, total: n, gap: null });
    const again = await syncJson();
    expect(again.report).toMatchObject({ seen: n, added: 0, changed: 0, total: n });
    const ids = (await kept()).map((o) => o.invoiceId);
    expect(new Set(ids)).toEqual(new Set(orders().map((o) => o.invoiceId)));
    expect(ids.length).toBe(n);
    // Each command holds the file only while it uses it: no lock is left behind.
    expect(existsSync(`${db}.astrosell-lock`)).toBe(false);
  });

  it('a shop with no orders yet: the sync stores nothing, says nothing is missing, and exits 0', async () => {
    shop.sandbox.store.orders.clear();
    const r = await syncJson();
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.report).toMatchObject({ seen: 0, added: 0, total: 0, gap: null });
    expect(await kept()).toEqual([]);
  });

  it('a first sync of a full newest page (200) says once where the history starts: its oldest order', async () => {
    buy(200 - orders().length);
    const first = await sync();
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`synced 200 orders: 200 new, 0 changed; 200 in ${db}\n`);
    expect(first.stderr).toBe(
      `note: the history starts at ${oldestCreated()}: the service lists only the newest 200 orders, older ones cannot be read\n`,
    );
    buy(1);
    const next = await sync();
    expect([next.code, next.stderr]).toEqual([0, '']);
  });

  it('sees a completion and a refund of orders older than the newest page, and updates them in place', async () => {
    expect((await sync()).code).toBe(0);
    const pending = orders().find((o) => o.status === 'pending')!;
    const completed = orders().find((o) => o.status === 'completed')!;
    buy(195); // both fall outside the newest page, which still overlaps the history
    pending.status = 'completed';
    completed.status = 'refunded';
    const r = await syncJson();
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.report).toMatchObject({ added: 195, changed: 2, total: orders().length });
    const status = new Map((await kept()).map((o) => [o.invoiceId, o.status]));
    expect(status.get(pending.invoiceId)).toBe('completed');
    expect(status.get(completed.invoiceId)).toBe('refunded');
  });

  it('a kept open order the service no longer knows is kept as last seen, and said', async () => {
    expect((await sync()).code).toBe(0);
    const gone = orders().find((o) => o.status === 'pending')!;
    shop.sandbox.store.orders.delete(gone.invoiceId);
    const r = await sync();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'note: 1 kept open order no longer found by the service; kept as last seen\n',
    );
    const still = (await kept()).find((o) => o.invoiceId === gone.invoiceId);
    expect(still?.status).toBe('pending');
  });

  it('a full newest page holding none of the kept orders: the window is said, with its own exit code; what was read is stored', async () => {
    expect((await sync()).code).toBe(0);
    const newestBefore = newestCreated();
    const ids = buy(230);
    const oldestOfPage = shop.sandbox.store.orders.get(ids[30]!)!.createdAt;
    const r = await syncJson();
    expect(r.code).toBe(EXIT_CODES.historyGap);
    expect(r.report.gap).toEqual({ after: newestBefore, before: oldestOfPage });
    expect(r.stderr.split('\n')).toEqual([
      `warning: orders created between ${newestBefore} and ${oldestOfPage} may be missing: the newest 200 orders held none already in the history`,
      'hint: sync more often (the newest page must overlap the last sync)',
      '',
    ]);
    expect((await kept()).map((o) => o.invoiceId)).toContain(ids[229]);
    const next = await syncJson();
    expect([next.code, next.report.gap]).toEqual([0, null]);
  });
});

describe('syncOrders', () => {
  let api: AstroSell;
  let deps: SyncDeps;
  beforeEach(() => {
    api = new AstroSell({ key: shop.key, baseUrl: shop.sandbox.url });
    deps = {
      shop: api,
      clock: systemClock,
      open: (create) => History.open(db, { create, label: 'test', clock: systemClock }),
    };
  });
  afterEach(() => api.close());

  it('a sync stopped inside its transaction stores none of it, and the next one stores it all', async () => {
    const before = (await syncOrders(deps)).total;
    buy(5);
    const stopped = syncOrders({
      ...deps,
      pauseInTransactionMs: 1,
      onPause: () => {
        throw new Error('killed');
      },
    });
    await expect(stopped).rejects.toThrow('killed');
    const next = await syncOrders(deps);
    expect([next.added, next.total]).toEqual([5, before + 5]);
  });

  it('a re-read of an open order the service fails (not a 404) fails the sync, which stores none of it', async () => {
    const before = (await syncOrders(deps)).total;
    buy(195); // the kept open orders fall outside the newest page: each is re-read
    const once = new AstroSell({ key: shop.key, baseUrl: shop.sandbox.url, retries: 0 });
    try {
      const find: typeof once.orders.find = (id, o) => {
        shop.sandbox.setFaults({ errorRate: 1 });
        return once.orders.find(id, o);
      };
      const failing = syncOrders({ ...deps, shop: { ...once, orders: { ...once.orders, find } } });
      await expect(failing).rejects.toBeInstanceOf(ServerError);
    } finally {
      shop.sandbox.setFaults({});
      await once.close();
    }
    const h = await deps.open(false);
    try {
      expect(h.count()).toBe(before);
    } finally {
      h.close();
    }
  });

  it('entries of a page that are not orders with an invoice id are neither stored nor counted', async () => {
    const n = orders().length;
    // The service's own pages with foreign entries put before its orders.
    const front = await ordersFront(shop, [{ total: 5 }, { invoiceId: 7 }, null, 3]);
    const through = new AstroSell({ key: shop.key, baseUrl: front.url });
    try {
      const r = await syncOrders({ ...deps, shop: through });
      expect([r.seen, r.added, r.total]).toEqual([n, n, n]);
    } finally {
      await through.close();
      await closeAll();
    }
  });
});

describe('the row kept for an order', () => {
  it("keeps the order as sent less its serials and the buyer's email, counting the serials", () => {
    const r = rowOf({
      invoiceId: 'AS-1',
      status: 'completed',
      deliveredItems: ['SERIAL-1', 'SERIAL-2'],
      customerEmail: 'b@example.com',
      total: 4,
    });
    expect(JSON.parse(r.json)).toEqual({ invoiceId: 'AS-1', status: 'completed', total: 4 });
    expect(r.delivered).toBe(2);
  });

  it('a field of the wrong type is kept as unknown, never as a figure', () => {
    const r = rowOf({
      invoiceId: 'AS-1',
      createdAt: 1_750_000_000,
      status: 3,
      quantity: '2',
      total: '9.99',
      currency: null,
      deliveredItems: 'SERIAL-1',
    });
    expect([r.createdAt, r.status, r.quantity, r.total, r.currency, r.delivered]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(rowOf({ invoiceId: 'AS-2', quantity: 3, total: 0 })).toMatchObject({
      quantity: 3,
      total: 0,
    });
  });
});
