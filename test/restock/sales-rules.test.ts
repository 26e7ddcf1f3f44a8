// The sales window's rules as an operator would name them (src/restock/sales.ts):
// which serials count as sold during a run, and when the window is seen whole
// (only then does a serial absent from the pool prove it was never stored).
// The first part reads the orders through the real resource layer, from a
// stand-in client that answers the orders endpoints as the reference
// describes them (newest first, filtered by status, a Date header); the
// second states rules of judgeSales case by case (sales.test.ts has the
// basic cases).
import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse, RequestOptions } from '../../src/api/client.js';
import { resources } from '../../src/api/resources/index.js';
import { NotFoundError } from '../../src/errors.js';
import {
  judgeSales,
  keysDigest,
  type OrderPool,
  type SalesSnapshot,
  salesSince,
  takeSnapshot,
} from '../../src/restock/sales.js';

const DATE = 'Sun, 06 Dec 2026 12:00:00 GMT';

interface Shop {
  /** The orders as the service holds them, newest first (any shape: the service's bytes). */
  orders: unknown[];
  /** The newest page (no status asked) holds at most this many: a service answering short. */
  newestPage?: number;
  /** What GET /orders answers instead of the list, when set. */
  listBody?: unknown;
  /** Invoice ids read one by one. */
  readOne: string[];
}

const idOf = (o: unknown) => (o as { invoiceId?: unknown } | null)?.invoiceId;

/** The shop's orders endpoints, through the real resources (raw body, typed data). */
function ordersOf(shop: Shop) {
  const answer = (body: unknown): ApiResponse => ({
    status: 200,
    headers: { date: DATE, 'content-type': 'application/json' },
    text: JSON.stringify(body),
    durationMs: 1,
    attempts: 1,
  });
  const api: ApiClient = {
    baseUrl: 'http://127.0.0.1:1/api/v1',
    async request(o: RequestOptions) {
      if (o.path === '/orders') {
        if (shop.listBody !== undefined) return answer(shop.listBody);
        const status = o.query?.status;
        const limit = Number(o.query?.limit ?? 50);
        const listed = status
          ? shop.orders.filter((x) => (x as { status?: unknown } | null)?.status === status)
          : shop.orders.slice(0, shop.newestPage ?? Number.POSITIVE_INFINITY);
        return answer(listed.slice(0, limit));
      }
      const id = decodeURIComponent(o.path.replace(/^\/orders\//, ''));
      shop.readOne.push(id);
      o.signal?.throwIfAborted();
      const found = shop.orders.find((x) => idOf(x) === id);
      if (found === undefined) throw new NotFoundError(`order ${id} not found`);
      return answer(found);
    },
    async stream() {
      throw new Error('not used');
    },
    async consume() {
      throw new Error('not used');
    },
    async close() {},
  };
  return resources(api);
}

const signal = new AbortController().signal;
const order = (
  invoiceId: string,
  status: string,
  deliveredItems: unknown[] = [],
  more: object = {},
) => ({ invoiceId, status, deliveredItems, productTitle: 'Game key', ...more });

/** The window over a run: the snapshot, then `during` changes the shop, then what was sold. */
async function run(shop: Shop, during: (orders: unknown[]) => unknown[], pool?: OrderPool) {
  const api = ordersOf(shop);
  const snap = await takeSnapshot(api, signal);
  shop.orders = during(shop.orders);
  shop.newestPage = undefined;
  return salesSince(api, snap, signal, pool);
}
const shopWith = (orders: unknown[], o: Partial<Shop> = {}): Shop => ({
  orders,
  readOne: [],
  ...o,
});

describe('sales read from the orders endpoints', () => {
  const old = order('AS-OLD', 'completed', ['OLD-KEY']);

  it('an order pending when the run began and completed during it: its keys are sold', async () => {
    const sales = await run(shopWith([order('AS-P', 'pending'), old]), (orders) => [
      order('AS-P', 'completed', ['K1']),
      ...orders.slice(1),
    ]);
    expect([...sales.sold]).toEqual(['K1']);
    expect(sales.whole).toBe(true);
  });

  it("a sale of another product's pool is not this pool's, and leaves the window whole", async () => {
    const pool: OrderPool = (o) =>
      o.productTitle === 'Game key' ? 'this' : o.productTitle === 'Gift card' ? 'other' : 'unknown';
    const sales = await run(
      shopWith([old]),
      (orders) => [order('AS-GIFT', 'completed', ['G1'], { productTitle: 'Gift card' }), ...orders],
      pool,
    );
    expect(sales).toMatchObject({ whole: true, delivered: 0 });
    expect(sales.sold.size).toBe(0);
  });

  it('an order made before the service’s time at the snapshot, missing from its short page, is no sale; one made after is', async () => {
    // The service answered the snapshot's newest page empty.
    const shop = shopWith([old], { newestPage: 0 });
    const sales = await run(shop, (orders) => [
      order('AS-NEW', 'completed', ['NEW-KEY'], { createdAt: '2026-12-06T12:00:07Z' }),
      ...orders.map((o) => ({ ...(o as object), createdAt: '2026-12-06T11:00:00Z' })),
    ]);
    expect([...sales.sold]).toEqual(['NEW-KEY']);
    // The page was cut: what else it hid cannot be known.
    expect(sales.whole).toBe(false);
  });

  it('an order that lists no deliveredItems (as pending ones may) delivered nothing', async () => {
    const sales = await run(shopWith([old]), (orders) => [
      { invoiceId: 'AS-NEW', status: 'pending', productTitle: 'Game key' },
      ...orders,
    ]);
    expect(sales).toMatchObject({ whole: true, delivered: 0 });
  });

  it('a new order whose delivered keys are not plain strings makes the window unsure (the typed layer would drop them)', async () => {
    const sales = await run(shopWith([old]), (orders) => [
      order('AS-NEW', 'completed', [{ serial: 'K1' }]),
      ...orders,
    ]);
    expect(sales.whole).toBe(false);
  });

  it('a done order listing fewer keys than it bought (a refund may stop listing them) makes the window unsure', async () => {
    const sale = (keys: string[], status = 'completed') =>
      run(shopWith([old]), (orders) => [order('AS-NEW', status, keys, { quantity: 2 }), ...orders]);
    expect((await sale(['K1', 'K2'])).whole).toBe(true);
    const refunded = await sale(['K1'], 'refunded');
    expect(refunded.sold.has('K1')).toBe(true);
    expect(refunded.whole).toBe(false);
  });

  it('a createdAt without a zone is not read as this machine’s time: listed above an order the snapshot knew, the order is new', async () => {
    // The snapshot's newest page came back empty; the open order was listed.
    const shop = shopWith([order('AS-P', 'pending')], { newestPage: 0 });
    const sales = await run(shop, (orders) => [
      order('AS-NEW', 'completed', ['K1'], { createdAt: '2026-12-05T12:00:00' }),
      ...orders,
    ]);
    expect([...sales.sold]).toEqual(['K1']);
  });

  it('an orders answer that is not a list makes the window unsure, never an empty shop', async () => {
    const shop = shopWith([], { listBody: { orders: [] } });
    const snap = await takeSnapshot(ordersOf(shop), signal);
    expect(snap.whole).toBe(false);
    const sales = await salesSince(ordersOf(shop), { statuses: [], whole: true }, signal);
    expect(sales.whole).toBe(false);
  });

  describe('orders open when the run began, since gone from the open lists and off the newest page', () => {
    /** `n` orders processing at the snapshot, below a newest page of `old` only. */
    const opened = (n: number) =>
      Array.from({ length: n }, (_, i) => order(`AS-P${i}`, 'processing'));
    /** The shop after the run: the open orders completed, each delivering one key, off the newest page. */
    const completed = (n: number) => [
      old,
      ...opened(n).map((o, i) => ({ ...o, status: 'completed', deliveredItems: [`K${i}`] })),
    ];

    it('are read one by one: their keys are sold and the window is whole', async () => {
      const shop = shopWith([...opened(2), old], { newestPage: 3 });
      const api = ordersOf(shop);
      const snap = await takeSnapshot(api, signal);
      // Completed during the run, and pushed off the newest page (it shows one order).
      shop.orders = completed(2);
      shop.newestPage = 1;
      const sales = await salesSince(api, snap, signal);
      expect(shop.readOne.sort()).toEqual(['AS-P0', 'AS-P1']);
      expect([...sales.sold].sort()).toEqual(['K0', 'K1']);
      expect(sales).toMatchObject({ whole: true, delivered: 2 });
    });

    it('one read by itself whose delivered keys are not plain strings makes the window unsure', async () => {
      const shop = shopWith([...opened(1), old], { newestPage: 2 });
      const api = ordersOf(shop);
      const snap = await takeSnapshot(api, signal);
      shop.orders = [old, order('AS-P0', 'completed', [{ serial: 'K0' }])];
      shop.newestPage = 1;
      expect((await salesSince(api, snap, signal)).whole).toBe(false);
    });

    it('so many that they are not each read: the window is unsure', async () => {
      const shop = shopWith([...opened(150), old]);
      const api = ordersOf(shop);
      const snap = await takeSnapshot(api, signal);
      expect(snap.whole).toBe(true);
      shop.orders = completed(150);
      shop.newestPage = 1;
      const sales = await salesSince(api, snap, signal);
      expect(sales.whole).toBe(false);
    });

    it('reading them one by one stops when the run is stopped', async () => {
      const shop = shopWith([...opened(1), old], { newestPage: 2 });
      const api = ordersOf(shop);
      const snap = await takeSnapshot(api, signal);
      shop.orders = completed(1);
      shop.newestPage = 1;
      const stop = new AbortController();
      // Stopped once the lists are read, before the single reads.
      const sales = salesSince(api, snap, stop.signal, undefined, async () => stop.abort());
      await expect(sales).rejects.toThrow();
    });
  });
});

// judgeSales, case by case.
interface O {
  invoiceId: string;
  status: string;
  deliveredItems: string[];
  productTitle?: string;
  odd?: boolean;
}
const o = (invoiceId: string, status: string, deliveredItems: string[] = []): O => ({
  invoiceId,
  status,
  deliveredItems,
});
const snap = (orders: O[]): SalesSnapshot => ({
  statuses: orders.map((x) => [x.invoiceId, x.status]),
  whole: true,
});
const OLD = o('AS-OLD', 'completed', ['X']);
/** An order not shaped as documented, as the reader marks it. */
const ODD: O = { invoiceId: '', status: '', deliveredItems: [], odd: true };

describe('the sales window', () => {
  it('an order on the newest page not shaped as documented makes it unsure, even when the page reaches the snapshot', () => {
    expect(judgeSales(snap([OLD]), [OLD], []).whole).toBe(true);
    expect(judgeSales(snap([OLD]), [ODD, OLD], []).whole).toBe(false);
  });

  it('an open list holding an order not shaped as documented makes it unsure', () => {
    expect(judgeSales(snap([OLD]), [OLD], [ODD]).whole).toBe(false);
  });

  it('a newest page that comes back empty while the snapshot held orders proves nothing', () => {
    expect(judgeSales(snap([OLD]), [], []).whole).toBe(false);
  });

  it('an old order that now lists another key than at the snapshot (a key replaced) makes it unsure', () => {
    const then: SalesSnapshot = {
      statuses: [['AS-OLD', 'completed', 1, keysDigest(['X'])]],
      whole: true,
    };
    expect(judgeSales(then, [OLD], []).whole).toBe(true);
    expect(judgeSales(then, [o('AS-OLD', 'completed', ['Y'])], []).whole).toBe(false);
  });

  it('with an empty snapshot page and no service time, an order missing from the snapshot is not proven new: no sale, the window unsure', () => {
    const made = {
      ...o('AS-WHEN', 'completed', ['X']),
      createdAt: Date.parse('2026-12-06T10:00:00Z'),
    };
    const r = judgeSales(snap([]), [made], []);
    expect(r.sold.size).toBe(0);
    expect(r.whole).toBe(false);
  });

  it('counts every key delivered, a key delivered twice twice', () => {
    const r = judgeSales(
      snap([OLD]),
      [o('N1', 'completed', ['A', 'B']), o('N2', 'completed', ['A']), OLD],
      [],
    );
    expect(r.delivered).toBe(3);
    expect([...r.sold].sort()).toEqual(['A', 'B']);
  });

  it('an order whose product is unclear but that delivered nothing leaves the window whole', () => {
    const unclear: OrderPool = () => 'unknown';
    const r = judgeSales(snap([OLD]), [o('N1', 'pending'), OLD], [], new Map(), unclear);
    expect(r.whole).toBe(true);
  });

  it('an order listed right below the newest order the snapshot knew, yet missing from it, was cut off the snapshot: no sale', () => {
    const r = judgeSales(snap([OLD]), [OLD, o('AS-CUT', 'completed', ['C'])], []);
    expect(r.sold.has('C')).toBe(false);
    expect(r.whole).toBe(false);
  });

  it("an order cut off the snapshot that delivered nothing, or another pool's keys, leaves the window whole", () => {
    const pool: OrderPool = (x) => (x.productTitle === 'theirs' ? 'other' : 'this');
    const theirs = { ...o('AS-CUT', 'completed', ['T']), productTitle: 'theirs' };
    for (const cut of [o('AS-CUT', 'cancelled'), theirs]) {
      const r = judgeSales(snap([OLD]), [OLD, cut], [], new Map(), pool);
      expect(r.whole, cut.invoiceId + cut.deliveredItems.join()).toBe(true);
      expect(r.sold.size).toBe(0);
    }
  });

  describe('an order read by itself', () => {
    // In a status the reference does not list: it may still deliver, so it is read.
    const held = o('AS-H', 'on-hold', ['H1']);

    it('unchanged since the snapshot, its keys delivered before the run: nothing sold', () => {
      const r = judgeSales(snap([OLD, held]), [OLD], [], new Map([['AS-H', held]]));
      expect(r.sold.size).toBe(0);
      expect(r.whole).toBe(true);
    });

    it('in the same status, but its delivered keys not plain strings: the window is unsure', () => {
      const odd = { ...held, deliveredItems: [], odd: true };
      const r = judgeSales(snap([OLD, held]), [OLD], [], new Map([['AS-H', odd]]));
      expect(r.whole).toBe(false);
    });
  });
});
