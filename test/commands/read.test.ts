// Every read command as a terminal, piped, and with --json, against the
// sandbox's demo shop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { ESC, runners, stripAnsi } from '../cli/guard.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const env = () => shop.env;

beforeAll(async () => {
  shop = await startTestShop();
  // The service may add fields at any time: --json must keep them.
  (shop.sandbox.store.coupons[0] as unknown as Record<string, unknown>).futureField = {
    nested: [1, 'two', null],
  };
});
afterAll(() => shop.close());

async function raw(path: string): Promise<string> {
  const res = await fetch(`${shop.sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${shop.key}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

const P = DEMO.products;
const W = DEMO.warehouses;
const cases: Array<{ args: string[]; path: string }> = [
  { args: ['products', 'list'], path: '/products' },
  { args: ['products', 'get', P.netflix1m], path: `/products/${P.netflix1m}` },
  { args: ['warehouses', 'list'], path: '/warehouses' },
  { args: ['warehouses', 'get', W.spotify], path: `/warehouses/${W.spotify}` },
  { args: ['orders', 'list'], path: '/orders' },
  {
    args: ['orders', 'list', '--status', 'completed', '--limit', '2'],
    path: '/orders?status=completed&limit=2',
  },
  { args: ['orders', 'get', DEMO.orders[0]], path: `/orders/${DEMO.orders[0]}` },
  { args: ['coupons', 'list'], path: '/coupons' },
];

describe.each(cases)('astrosell $args', ({ args, path }) => {
  it('--json prints the service body byte for byte (anywhere on the line)', async () => {
    const body = await raw(path);
    const after = await piped([...args, '--json'], { env: env() });
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(`${body}\n`);
    expect(after.stderr).toBe('');
    const before = await piped(['--json', ...args], { env: env() });
    expect(before.stdout).toBe(after.stdout);
  });

  it('piped: tab-separated, no header, no colour, ISO dates', async () => {
    const r = await piped(args, { env: { ...env(), FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toMatch(/^(ID|INVOICE|CODE)\b/m);
    // Rows (or key/value pairs) are tab-separated; a detail's items follow as bare lines.
    expect(r.stdout.split('\n')[0]).toContain('\t');
    expect(r.stdout).not.toMatch(/ ago\b/);
  });

  it('terminal: a table with headers and relative dates', async () => {
    const r = await tty(args, { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\t');
    expect(r.stdout).toContain(ESC); // colour on a terminal
    expect(stripAnsi(r.stdout)).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});

describe('what the tables show', () => {
  it('products: prices with currency, ∞ for unlimited stock, counts for pools', async () => {
    const r = await piped(['products', 'list'], { env: env() });
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    const byId = new Map(rows.map((c) => [c[0], c]));
    expect(rows).toHaveLength(Object.keys(P).length);
    expect(byId.get(P.netflix1m)!.slice(1, 5)).toEqual([
      'Netflix Premium 1 Month',
      '4.99 USD',
      'serials',
      '40',
    ]);
    expect(byId.get(P.setupService)![4]).toBe('∞');
    expect(byId.get(P.vpnDynamic)![4]).toBe('∞');
    expect(byId.get(P.windowsLegacy)![4]).toBe(String(DEMO.counts.windowsLegacy));
    expect(byId.get(P.netflix1m)!.at(-1)).toBe('2026-06-01T12:00:00.000Z');
  });

  it('products get: detail and the stock items', async () => {
    const r = await piped(['products', 'get', P.spotify], { env: env() });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('price\t3.49 GBP');
    expect(lines).toContain(`stock\t${DEMO.counts.spotify}`);
    expect(lines.filter((l) => l.startsWith('SPFY-'))).toHaveLength(DEMO.counts.spotify);
    const t = await tty(['products', 'get', P.spotify], { env: { ...env(), NO_COLOR: '1' } });
    expect(t.stdout).toContain(`Stock items (${DEMO.counts.spotify})`);
    expect(t.stdout).toMatch(/^price: +£3\.49$/m);
  });

  it('warehouses: the low pool is highlighted on a terminal', async () => {
    const r = await tty(['warehouses', 'list'], { env: env() });
    const low = r.stdout.split('\n').find((l) => l.includes(W.spotify))!;
    expect(low).toContain(`${ESC}33m${DEMO.counts.spotify}`);
    const fine = r.stdout.split('\n').find((l) => l.includes(W.netflix))!;
    expect(fine).not.toContain(`${ESC}33m`);
  });

  it('coupons: usage as 42/100, expired marked, unlimited as ∞', async () => {
    const r = await tty(['coupons', 'list'], { env: { ...env(), NO_COLOR: '1' } });
    const line = (code: string) => r.stdout.split('\n').find((l) => l.startsWith(code))!;
    expect(line('LAUNCH10')).toMatch(/10%\s+42\/100/);
    expect(line('LAUNCH10')).toMatch(/active$/);
    expect(line('SUMMER5')).toMatch(/\s+expired (last year|.* ago)\s+expired$/);
    expect(line('VIP20')).toMatch(/3\/∞\s+never\s+active$/);
    const tsv = await piped(['coupons', 'list'], { env: env() });
    expect(tsv.stdout).toContain('LAUNCH10\t10%\t42/100\t2026-12-31T00:00:00.000Z\tactive\n');
  });

  it('orders: --status and --limit reach the service', async () => {
    const r = await piped(['orders', 'list', '--status', 'completed', '--limit', '3'], {
      env: env(),
    });
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.split('\t')[3]).toBe('completed');
  });

  it('orders get: detail with the customer and delivered items', async () => {
    const r = await tty(['orders', 'get', DEMO.orders[0]], { env: { ...env(), NO_COLOR: '1' } });
    expect(r.stdout).toMatch(/^invoice: +AS-7KD2P9$/m);
    expect(r.stdout).toMatch(/^customer: +\S+@/m);
    expect(r.stdout).toMatch(/Delivered items \(\d+\)/);
  });

  it('long titles are truncated to the terminal width', async () => {
    // Products have ~87 columns of fixed-width fields: narrower terminals overflow.
    for (const columns of [100, 110]) {
      const r = await tty(['products', 'list'], { env: env(), columns });
      const lines = stripAnsi(r.stdout).trimEnd().split('\n');
      for (const l of lines) expect(Array.from(l).length, l).toBeLessThanOrEqual(columns);
      expect(r.stdout).toContain('…');
    }
    const orders = await tty(['orders', 'list'], { env: env(), columns: 80 });
    for (const l of stripAnsi(orders.stdout).trimEnd().split('\n')) {
      expect(Array.from(l).length).toBeLessThanOrEqual(80);
    }
  });

  it('an empty list is not an error', async () => {
    const empty = await startTestShop({ empty: true });
    try {
      for (const args of [
        ['products', 'list'],
        ['warehouses', 'list'],
        ['orders', 'list'],
        ['coupons', 'list'],
      ]) {
        const out = await piped(args, { env: empty.env });
        expect(out).toMatchObject({ code: 0, stdout: '' });
        const json = await piped([...args, '--json'], { env: empty.env });
        expect(json).toMatchObject({ code: 0, stdout: '[]\n' });
        const term = await tty(args, { env: empty.env });
        expect(term.code).toBe(0);
        expect(term.stdout).toBe('');
        expect(term.stderr).toMatch(/^No .*\n$/);
      }
    } finally {
      await empty.close();
    }
  });
});
