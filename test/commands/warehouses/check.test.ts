// `warehouses check` (exit 8 when any pool is at or below its threshold,
// --min for products) and `warehouses get`, against a service of the test's
// own so that each record is exactly what the case needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { type MainOptions, runMain } from '../../helpers/cli.js';
import {
  closeAll,
  type FakeService,
  fakeService,
  sendJson,
  serviceEnv,
} from '../../helpers/fake-service.js';

const NOW = Date.parse('2026-06-10T12:00:00.000Z');
const clock: Clock = { now: () => NOW, sleep: async () => {} };

type Rec = Record<string, unknown>;
let warehouses: Rec[] = [];
let products: Rec[] = [];
let svc: FakeService;

beforeAll(async () => {
  svc = await fakeService((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: unknown) => sendJson(res, status, body);
    if (path === '/api/v1/warehouses') return send(200, warehouses);
    if (path === '/api/v1/products') return send(200, products);
    const one = /^\/api\/v1\/warehouses\/(.+)$/.exec(path);
    const w = one && warehouses.find((x) => x.id === one[1]);
    if (w) return send(200, w);
    send(404, { error: 'Warehouse not found' });
  });
});
afterAll(() => closeAll());

const env = () => serviceEnv(svc);
const run = (args: string[], opts: MainOptions = {}) =>
  runMain(['warehouses', ...args], { env: env(), clock, ...opts });
const tty = (args: string[], opts: MainOptions = {}) =>
  run(args, { tty: { stdout: true, stderr: true }, columns: 200, ...opts });
const sent = (from: number) => svc.requests.slice(from).map((r) => r.url);

const B = '\u001b[1m';
const b = '\u001b[22m';
const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;

const wh = (
  id: string,
  count: unknown,
  lowStockThreshold: unknown,
  name: unknown = `Pool ${id}`,
) => ({
  id,
  name,
  count,
  lowStockThreshold,
  removeDuplicates: true,
  removeSold: true,
  createdAt: '2026-06-01T00:00:00.000Z',
});
const prod = (id: string, extra: Rec) => ({
  id,
  title: `Product ${id}`,
  type: 'serials',
  unlimitedStock: false,
  warehouseId: `w_${id}`,
  ...extra,
});

describe('warehouses check', () => {
  it('every pool above its threshold: exit 0, nothing on stdout, the summary on stderr', async () => {
    warehouses = [wh('a', 6, 5), wh('b', 1, 0), wh('c', 0, null)];
    const n = svc.requests.length;
    expect(await run(['check'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'All 3 warehouses are above their low-stock threshold.\n',
    });
    // Products only matter with --min.
    expect(sent(n)).toEqual(['/api/v1/warehouses']);
  });

  it('one pool: the summary in the singular; none: "All 0"', async () => {
    warehouses = [wh('a', 6, 5)];
    expect(await run(['check'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'The warehouse is above its low-stock threshold.\n',
    });
    warehouses = [];
    expect(await run(['check'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'All 0 warehouses are above their low-stock threshold.\n',
    });
  });

  it('a count equal to the threshold is low: exit 8, a line per low pool', async () => {
    warehouses = [wh('a', 5, 5), wh('b', 6, 5), wh('c', 0, 0, null)];
    expect(await run(['check'])).toEqual({
      code: 8,
      stdout: 'warehouse\ta\tPool a\t5\t5\nwarehouse\tc\t\t0\t0\n',
      stderr: '2 of 3 warehouses at or below the low-stock threshold.\n',
    });
  });

  it('the only pool low: "1 of 1 warehouse"', async () => {
    warehouses = [wh('a', 4, 5)];
    expect(await run(['check'])).toEqual({
      code: 8,
      stdout: 'warehouse\ta\tPool a\t4\t5\n',
      stderr: '1 of 1 warehouse at or below the low-stock threshold.\n',
    });
  });

  it('on a terminal: a table of the low pools, counts in warning colour', async () => {
    warehouses = [wh('a', 5, 5), wh('b', 9, 5)];
    expect(await tty(['check'])).toEqual({
      code: 8,
      stdout:
        `${B}KIND${b}       ${B}ID${b}  ${B}NAME${b}    ${B}COUNT${b}  ${B}LOW AT${b}\n` +
        `warehouse  a   Pool a      ${yellow('5')}       5\n`,
      stderr: '1 of 2 warehouses at or below the low-stock threshold.\n',
    });
  });

  it('--json: one object (ok, checked, the low pools as low records); exit 8 still', async () => {
    warehouses = [wh('a', 5, 5), wh('b', 9, 5), { id: 'c', count: 0, lowStockThreshold: 2 }];
    const r = await run(['check', '--json']);
    expect(r).toEqual({
      code: 8,
      stdout: `${JSON.stringify(
        {
          ok: false,
          checked: 3,
          low: [
            { kind: 'warehouse', id: 'a', name: 'Pool a', count: 5, threshold: 5 },
            { kind: 'warehouse', id: 'c', name: null, count: 0, threshold: 2 },
          ],
        },
        null,
        2,
      )}\n`,
      stderr: '',
    });
  });

  it('--json, all fine: ok true, exit 0', async () => {
    warehouses = [wh('b', 9, 5)];
    expect(await run(['check', '--json'])).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ ok: true, checked: 1, low: [] }, null, 2)}\n`,
      stderr: '',
    });
  });

  it('--format csv: the low records with kind and threshold, no summary', async () => {
    warehouses = [wh('a', 5, 5), wh('b', 9, 5)];
    expect(await run(['check', '--format', 'csv'])).toEqual({
      code: 8,
      stdout: 'kind,id,name,count,threshold\r\nwarehouse,a,Pool a,5,5\r\n',
      stderr: '',
    });
  });

  it('--fields in tsv: the chosen fields, then the summary', async () => {
    warehouses = [wh('a', 5, 5), wh('b', 9, 5)];
    expect(await run(['check', '--fields', 'kind,id,count'])).toEqual({
      code: 8,
      stdout: 'warehouse\ta\t5\n',
      stderr: '1 of 2 warehouses at or below the low-stock threshold.\n',
    });
  });
});

describe('warehouses check --min', () => {
  const catalogue = () => [
    prod('p1', { stock: 3 }), // at --min 3: low
    prod('p2', { stock: 4 }), // above
    prod('p3', { stock: 0, unlimitedStock: true }), // unlimited: not counted
    prod('p4', { stock: 0, type: 'service' }), // not serials
    prod('p5', { stock: 1, type: null, warehouseId: null }), // no type: counted, low
    prod('p6', { stock: null }), // no count: not counted
    { id: 'p7', stock: 2 }, // bare: counted, low
  ];

  it('products at or under N are low too: exit 8, a list with a kind column', async () => {
    warehouses = [wh('a', 9, 5)];
    products = catalogue();
    const n = svc.requests.length;
    expect(await run(['check', '--min', '3'])).toEqual({
      code: 8,
      stdout: 'product\tp1\tProduct p1\t3\t3\nproduct\tp5\tProduct p5\t1\t3\nproduct\tp7\t\t2\t3\n',
      stderr:
        'The warehouse is above its low-stock threshold. 3 of 4 serials products at or under 3 in stock.\n',
    });
    expect(sent(n).sort()).toEqual(['/api/v1/products', '/api/v1/warehouses']);
  });

  it('no product at or under N, no pool low: exit 0, both summaries', async () => {
    warehouses = [wh('a', 9, 5), wh('b', 7, 5)];
    products = catalogue();
    expect(await run(['check', '--min', '0'])).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'All 2 warehouses are above their low-stock threshold. All 4 serials products have more than 0 in stock.\n',
    });
  });

  it('one serials product, low: the singular; pools and products in one list', async () => {
    warehouses = [wh('a', 2, 5)];
    products = [prod('p1', { stock: 3 })];
    expect(await run(['check', '--min', '3'])).toEqual({
      code: 8,
      stdout: 'warehouse\ta\tPool a\t2\t5\nproduct\tp1\tProduct p1\t3\t3\n',
      stderr:
        '1 of 1 warehouse at or below the low-stock threshold. 1 of 1 serials product at or under 3 in stock.\n',
    });
  });

  it('on a terminal: the kind column first', async () => {
    warehouses = [wh('a', 2, 5)];
    products = [prod('p1', { stock: 3 })];
    expect(await tty(['check', '--min', '3'])).toEqual({
      code: 8,
      stdout:
        `${B}KIND${b}       ${B}ID${b}  ${B}NAME${b}        ${B}COUNT${b}  ${B}LOW AT${b}\n` +
        `warehouse  a   Pool a          ${yellow('2')}       5\n` +
        `product    p1  Product p1      ${yellow('3')}       3\n`,
      stderr:
        '1 of 1 warehouse at or below the low-stock threshold. 1 of 1 serials product at or under 3 in stock.\n',
    });
  });

  it('--json: min, how many products were checked, and the low ones in the one low list', async () => {
    warehouses = [wh('a', 9, 5)];
    products = catalogue();
    const product = (
      id: string,
      name: string | null,
      count: number,
      warehouseId: string | null,
    ) => ({ kind: 'product', id, name, count, threshold: 3, warehouseId });
    expect(await run(['check', '--min', '3', '--json'])).toEqual({
      code: 8,
      stdout: `${JSON.stringify(
        {
          ok: false,
          checked: 1,
          low: [
            product('p1', 'Product p1', 3, 'w_p1'),
            product('p5', 'Product p5', 1, null),
            product('p7', null, 2, null),
          ],
          min: 3,
          checkedProducts: 4,
        },
        null,
        2,
      )}\n`,
      stderr: '',
    });
  });

  it('--format ndjson: a product record carries its warehouse', async () => {
    warehouses = [wh('a', 9, 5)];
    products = [prod('p1', { stock: 3 })];
    expect(await run(['check', '--min', '3', '--format', 'ndjson'])).toEqual({
      code: 8,
      stdout:
        '{"kind":"product","id":"p1","name":"Product p1","count":3,"threshold":3,"warehouseId":"w_p1"}\n',
      stderr: '',
    });
    expect(await run(['check', '--min', '3', '--fields', 'id,warehouseId'])).toEqual({
      code: 8,
      stdout: 'p1\tw_p1\n',
      stderr:
        'The warehouse is above its low-stock threshold. 1 of 1 serials product at or under 3 in stock.\n',
    });
  });

  it('a negative --min is a usage error, nothing sent', async () => {
    const n = svc.requests.length;
    const r = await run(['check', '--min', '-1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "error: option '--min <n>' argument '-1' is invalid. --min must be a whole number\n",
    );
    expect(sent(n)).toEqual([]);
  });
});

describe('warehouses get', () => {
  const pool = { ...wh('a', 5, 5), items: ['K1', 'K2'] };

  it('piped: field and value per line, then the items', async () => {
    warehouses = [pool];
    expect(await run(['get', 'a'])).toEqual({
      code: 0,
      stdout:
        'id\ta\nname\tPool a\ncount\t5\nlow stock at\t5\nremove duplicates\ttrue\nremove sold\ttrue\ncreated\t2026-06-01T00:00:00.000Z\nK1\nK2\n',
      stderr: '',
    });
  });

  it('on a terminal: a low count in warning colour, a relative date, the items section', async () => {
    warehouses = [pool, { ...wh('b', 6, 5), removeSold: false }];
    const low = await tty(['get', 'a']);
    expect(low).toEqual({
      code: 0,
      stdout:
        `${B}id:               ${b} a\n${B}name:             ${b} Pool a\n${B}count:            ${b} ${yellow('5')}\n` +
        `${B}low stock at:     ${b} 5\n${B}remove duplicates:${b} true\n${B}remove sold:      ${b} true\n` +
        `${B}created:          ${b} last week\n\n${B}Items (2)${b}\n  K1\n  K2\n`,
      stderr: '',
    });
    const fine = await tty(['get', 'b']);
    expect(fine).toEqual({
      code: 0,
      stdout:
        `${B}id:               ${b} b\n${B}name:             ${b} Pool b\n${B}count:            ${b} 6\n` +
        `${B}low stock at:     ${b} 5\n${B}remove duplicates:${b} true\n${B}remove sold:      ${b} false\n` +
        `${B}created:          ${b} last week\n`,
      stderr: '',
    });
  });

  it('on a terminal: an empty pool at its threshold is red, as in the list', async () => {
    warehouses = [wh('e', 0, 5)];
    const red = (t: string) => `\u001b[31m${t}\u001b[39m`;
    expect((await tty(['get', 'e'])).stdout).toContain(`${B}count:            ${b} ${red('0')}\n`);
    expect((await tty(['list'])).stdout).toContain(red('0'));
  });

  it('--json piped: the body as sent; unknown id: exit 4', async () => {
    warehouses = [pool];
    expect(await run(['get', 'a', '--json'])).toEqual({
      code: 0,
      stdout: `${JSON.stringify(pool)}\n`,
      stderr: '',
    });
    expect(await run(['get', 'zz'])).toEqual({
      code: 4,
      stdout: '',
      stderr:
        'error: no warehouse with the id or name "zz"\nhint: astrosell warehouses list shows them\n',
    });
  });
});
