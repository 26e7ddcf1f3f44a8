// The newest page of orders (GET /orders?limit=200), as the verbs that read
// it without a history take it: one odd entry on it (null, a number, an
// order without its invoiceId: an order that cannot be told from another)
// stops none of them and counts for none of them; `status` asks for it once.
// In-process against the sandbox, through a front that adds what the
// sandbox never sends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AstroSell } from '../../src/api/astrosell.js';
import { EXIT_CODES } from '../../src/errors.js';
import { runMain, tempDir } from '../helpers/cli.js';
import { closeAll, type FakeService, fakeService, sendJson } from '../helpers/fake-service.js';
import { ordersFront } from '../helpers/orders-front.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let front: FakeService;
let tmp: { dir: string; cleanup: () => void };
/** Orders on the page that carry an invoice id. */
let told: { invoiceId: string; status: string }[];

beforeEach(async () => {
  shop = await startTestShop();
  tmp = tempDir('astrosell-newest-page-');
  const s = shop.sandbox.store;
  const file = [...s.products.values()].find((p) => p.type === 'file')!;
  // A pending order, older than the others, that the service lists without its invoice id.
  const odd = s.purchase(file.id, 1, 'b@example.com', new Date('2001-01-01T00:00:00Z'));
  odd.status = 'pending';
  delete (odd as { invoiceId?: string }).invoiceId;
  told = [...s.orders.values()].filter((o) => typeof o.invoiceId === 'string');
  expect(told.length).toBeLessThan(199); // the whole shop is on one page
  front = await ordersFront(shop, [null, 3]);
});
afterEach(async () => {
  await closeAll();
  await shop.close();
  tmp.cleanup();
});

const env = () => ({ ...shop.env, ASTROSELL_BASE_URL: front.url });
const run = (...args: string[]) => runMain(args, { env: env() });
const pageReads = () =>
  front.requests.filter((r) => r.method === 'GET' && /\/orders\?/.test(r.url)).length;

describe('one odd entry on the newest page', () => {
  it('stats counts every other order, and says how many it read', async () => {
    const r = await run('stats', '--json', '--since', '2000-01-01');
    expect(r.stderr).toBe(`note: over the newest ${told.length} orders (no local history)\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.orders).toBe(told.length);
  });

  it('status lists the other open orders and reads the page once', async () => {
    const r = await run('status', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.source).toMatch(new RegExp(`^the newest ${told.length} orders only`));
    const open = told.filter((o) => o.status === 'pending' || o.status === 'processing');
    expect(s.open.count).toBe(open.length);
    expect(new Set(s.open.orders.map((o: { invoiceId: string }) => o.invoiceId))).toEqual(
      new Set(open.map((o) => o.invoiceId)),
    );
    expect(pageReads()).toBe(1);
  });

  it('warehouses check --days counts the sales of the other orders', async () => {
    const r = await run('warehouses', 'check', '--days', '7', '--json');
    expect([EXIT_CODES.ok, EXIT_CODES.lowStock]).toContain(r.code);
    expect(JSON.parse(r.stdout).source).toMatch(
      new RegExp(`^sales in the newest ${told.length} orders`),
    );
  });

  it('orders sync keeps every other order', async () => {
    const db = `${tmp.dir}/h.sqlite`;
    const r = await run('orders', 'sync', '--db', db, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ seen: told.length, added: told.length });
  });

  it('orders watch prints every other order once', async () => {
    const r = await run(
      'orders',
      'watch',
      '--since',
      '2000-01-01',
      '--max-orders',
      String(told.length),
      '--format',
      'ndjson',
      '--fields',
      'invoiceId',
    );
    expect(r.code).toBe(0);
    const printed = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).invoiceId);
    expect(printed.sort()).toEqual(told.map((o) => o.invoiceId).sort());
  });
});

describe('the library', () => {
  it('orders.newest() skips the odd entries and keeps the body as sent; orders.list() stays strict', async () => {
    const lib = new AstroSell({ key: shop.key, baseUrl: front.url });
    try {
      const page = await lib.orders.newest();
      expect(page.data.orders.map((o) => o.invoiceId).sort()).toEqual(
        told.map((o) => o.invoiceId).sort(),
      );
      expect(JSON.parse(page.raw).slice(0, 2)).toEqual([null, 3]);
      const strict = await lib.orders.list({ limit: 200 });
      expect(() => strict.data).toThrow(/invoiceId/);
    } finally {
      await lib.close();
    }
  });

  it('orders.find() is an order, or undefined for an answer that is not one; orders.get() stays strict', async () => {
    const known = told[0]!.invoiceId;
    const odd = await fakeService((req, res) =>
      req.url?.endsWith(`/orders/${known}`)
        ? sendJson(res, 200, { ...told[0] })
        : sendJson(res, 200, { invoiceId: 7 }),
    );
    const lib = new AstroSell({ key: shop.key, baseUrl: odd.url });
    try {
      expect((await lib.orders.find(known)).data?.invoiceId).toBe(known);
      expect((await lib.orders.find('AS-ODD')).data).toBeUndefined();
      const strict = await lib.orders.get('AS-ODD');
      expect(() => strict.data).toThrow(/invoiceId/);
    } finally {
      await lib.close();
    }
  });
});

describe('status without a history', () => {
  it('asks the service for the newest page once, on a page with no odd entry too', async () => {
    front = await ordersFront(shop, []);
    expect((await run('status')).code).toBe(0);
    expect(pageReads()).toBe(1);
  });
});

describe('stats output', () => {
  it('--json with another --format is refused, as by every verb', async () => {
    const r = await runMain(['stats', '--json', '--format', 'csv'], { env: shop.env });
    expect(r.code).toBe(EXIT_CODES.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]*\n$/);
    expect(r.stderr).toMatch(/--json and --format csv/);
  });
});
