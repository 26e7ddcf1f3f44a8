// The read commands (products list/get, coupons list, warehouses list) and
// what they share (src/commands/show.ts): table, tsv, --json as sent
// (streamed when piped, indented on a terminal, keys masked), --fields,
// --format, and the empty messages; against a service of the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { type MainOptions, runMain } from '../helpers/cli.js';
import { closeAll, type FakeService, fakeService, serviceEnv } from '../helpers/fake-service.js';

const NOW = Date.parse('2026-06-10T12:00:00.000Z');
const clock: Clock = { now: () => NOW, sleep: async () => {} };
const KEY = 'nsk_test_0123456789abcdef';

/** Raw bodies by path: exactly the bytes the service sends. */
const bodies = new Map<string, string>();
let svc: FakeService;

beforeAll(async () => {
  svc = await fakeService((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/api/v1', '');
    const body = bodies.get(path);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? JSON.stringify({ error: 'Not found' }));
  });
});
afterAll(() => closeAll());

const env = () => serviceEnv(svc, KEY);
const run = (args: string[], opts: MainOptions = {}) =>
  runMain(args, { env: env(), clock, ...opts });
const tty = (args: string[], opts: MainOptions = {}) =>
  run(args, { tty: { stdout: true, stderr: true }, columns: 200, ...opts });

const B = '\u001b[1m';
const b = '\u001b[22m';
const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
const green = (s: string) => `\u001b[32m${s}\u001b[39m`;
const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;
const dim = (s: string) => `\u001b[2m${s}\u001b[22m`;

const GAME = {
  id: 'p1',
  title: 'Game key',
  price: 4.99,
  currency: 'USD',
  type: 'serials',
  stock: 0,
  unlimitedStock: false,
  visibility: 'public',
  salesCount: 3,
  warehouseId: 'w1',
  createdAt: '2026-06-09T12:00:00.000Z',
};
const GIFT = { id: 'p2', title: 'Gift', price: 10, currency: 'EUR', type: 'service', stock: 5 };

describe('products list', () => {
  it('piped: a tsv line per product', async () => {
    bodies.set('/products', JSON.stringify([GAME, GIFT]));
    expect(await run(['products', 'list'])).toEqual({
      code: 0,
      stdout:
        'p1\tGame key\t4.99 USD\tserials\t0\tpublic\t3\t2026-06-09T12:00:00.000Z\n' +
        'p2\tGift\t10.00 EUR\tservice\t∞\t\t\t\n',
      stderr: '',
    });
  });

  it('on a terminal: a table, stock 0 in red, the date relative and dim', async () => {
    bodies.set('/products', JSON.stringify([GAME, GIFT]));
    expect(await tty(['products', 'list'])).toEqual({
      code: 0,
      stdout:
        `${B}ID${b}  ${B}TITLE${b}      ${B}PRICE${b}  ${B}TYPE${b}     ${B}STOCK${b}  ${B}VISIBILITY${b}  ${B}SALES${b}  ${B}CREATED${b}\n` +
        `p1  Game key   $4.99  serials      ${red('0')}  public          3  ${dim('yesterday')}\n` +
        `p2  Gift      €10.00  service      ∞\n`,
      stderr: '',
    });
  });

  it('none: on a terminal the hint on stderr; piped nothing; csv just the header', async () => {
    bodies.set('/products', '[]');
    expect(await tty(['products', 'list'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No products.\n',
    });
    expect(await run(['products', 'list'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run(['products', 'list', '--format', 'csv'])).toEqual({
      code: 0,
      stdout:
        'id,title,price,currency,type,stock,unlimitedStock,visibility,salesCount,warehouseId,createdAt\r\n',
      stderr: '',
    });
  });

  it('--json piped: the body byte for byte, a newline added only when missing', async () => {
    const raw = '[ {"id":"p1","extra":{"n":1}} ]';
    bodies.set('/products', raw);
    expect(await run(['products', 'list', '--json'])).toEqual({
      code: 0,
      stdout: `${raw}\n`,
      stderr: '',
    });
    bodies.set('/products', `${raw}\n`);
    expect(await run(['products', 'list', '--json'])).toEqual({
      code: 0,
      stdout: `${raw}\n`,
      stderr: '',
    });
  });

  it('--json piped is streamed as it comes: not parsed, so even a body that is not JSON passes', async () => {
    bodies.set('/products', '[{"id":"p1"}, trailing');
    expect(await run(['products', 'list', '--json'])).toEqual({
      code: 0,
      stdout: '[{"id":"p1"}, trailing\n',
      stderr: '',
    });
    // On a terminal it is parsed (to indent it): the same body is an error.
    const t = await tty(['products', 'list', '--json']);
    expect(t.code).toBe(1);
    expect(t.stdout).toBe('');
    expect(t.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m the service answered .* not JSON/);
  });

  it('--json on a terminal: indented', async () => {
    bodies.set('/products', '[{"id":"p1","n":[1]}]');
    expect(await tty(['products', 'list', '--json'])).toEqual({
      code: 0,
      stdout: '[\n  {\n    "id": "p1",\n    "n": [\n      1\n    ]\n  }\n]\n',
      stderr: '',
    });
  });

  it('--json: a key the service echoes is masked, piped and on a terminal', async () => {
    bodies.set('/products', JSON.stringify([{ id: 'p1', note: `key ${KEY}` }]));
    const piped = await run(['products', 'list', '--json']);
    expect(piped).toEqual({
      code: 0,
      stdout: '[{"id":"p1","note":"key nsk_test_…cdef"}]\n',
      stderr: '',
    });
    const t = await tty(['products', 'list', '--json']);
    expect(t.stdout).not.toContain(KEY);
    expect(t.code).toBe(0);
  });

  it('--fields with --json: the chosen fields as JSON records', async () => {
    bodies.set('/products', JSON.stringify([GAME, GIFT]));
    expect(await run(['products', 'list', '--json', '--fields', 'id,stock'])).toEqual({
      code: 0,
      stdout: '[{"id":"p1","stock":0},{"id":"p2","stock":5}]\n',
      stderr: '',
    });
  });

  it('--format table when piped: the table, without colour, with exact values', async () => {
    bodies.set('/products', JSON.stringify([GIFT]));
    expect(await run(['products', 'list', '--format', 'table'])).toEqual({
      code: 0,
      stdout:
        'ID  TITLE      PRICE  TYPE     STOCK  VISIBILITY  SALES  CREATED\np2  Gift   10.00 EUR  service      ∞\n',
      stderr: '',
    });
  });
});

describe('products get', () => {
  it('piped: every field, then the stock items', async () => {
    bodies.set(
      '/products/p1',
      JSON.stringify({ ...GAME, slug: 'game-key', purchaseNote: 'Enjoy', stockItems: ['S1'] }),
    );
    expect(await run(['products', 'get', 'p1'])).toEqual({
      code: 0,
      stdout:
        'id\tp1\ntitle\tGame key\nprice\t4.99 USD\ntype\tserials\nstock\t0\nvisibility\tpublic\nwarehouse\tw1\nsales\t3\nslug\tgame-key\npurchase note\tEnjoy\ncreated\t2026-06-09T12:00:00.000Z\nS1\n',
      stderr: '',
    });
  });

  it('on a terminal: stock 0 in red, an empty stock items section, relative date', async () => {
    bodies.set('/products/p1', JSON.stringify({ ...GAME, stockItems: [] }));
    expect(await tty(['products', 'get', 'p1'])).toEqual({
      code: 0,
      stdout:
        `${B}id:           ${b} p1\n${B}title:        ${b} Game key\n${B}price:        ${b} $4.99\n` +
        `${B}type:         ${b} serials\n${B}stock:        ${b} ${red('0')}\n${B}visibility:   ${b} public\n` +
        `${B}warehouse:    ${b} w1\n${B}sales:        ${b} 3\n${B}slug:         ${b} \n${B}purchase note:${b} \n` +
        `${B}created:      ${b} yesterday\n\n${B}Stock items (0)${b}\n  (none)\n`,
      stderr: '',
    });
  });

  it('stock above 0 is plain; no stock items list: no section', async () => {
    bodies.set('/products/p2', JSON.stringify({ ...GAME, id: 'p2', stock: 2 }));
    const r = await tty(['products', 'get', 'p2']);
    expect(r.stdout).toContain(`${B}stock:        ${b} 2\n`);
    expect(r.stdout).not.toContain('Stock items');
    expect(r.stdout.endsWith(`${B}created:      ${b} yesterday\n`)).toBe(true);
  });

  it('--fields: one field per line; --format csv: the header and the record', async () => {
    bodies.set('/products/p1', JSON.stringify(GAME));
    expect(await run(['products', 'get', 'p1', '--fields', 'title,price'])).toEqual({
      code: 0,
      stdout: 'title\tGame key\nprice\t4.99\n',
      stderr: '',
    });
    expect(await run(['products', 'get', 'p1', '--format', 'csv', '--fields', 'id,stock'])).toEqual(
      {
        code: 0,
        stdout: 'id,stock\r\np1,0\r\n',
        stderr: '',
      },
    );
  });

  it('neither an id nor a name: exit 4 naming what was asked for, and where to look', async () => {
    bodies.set('/products', JSON.stringify([GAME]));
    expect(await run(['products', 'get', 'nope'])).toEqual({
      code: 4,
      stdout: '',
      stderr:
        'error: no product with the id, slug or title "nope"\nhint: astrosell products list shows them\n',
    });
  });
});

describe('coupons list', () => {
  const COUPONS = [
    {
      code: 'TEN',
      type: 'percent',
      value: 10,
      uses: 1,
      maxUses: 5,
      expiresAt: '2026-06-11T12:00:00.000Z',
    },
    {
      code: 'FIVE',
      type: 'fixed',
      value: 5,
      currency: 'EUR',
      uses: 2,
      maxUses: 2,
      expiresAt: null,
    },
    {
      code: 'OLD',
      type: 'fixed',
      value: 3,
      uses: 0,
      maxUses: null,
      expiresAt: '2026-06-10T12:00:00.000Z',
    },
  ];

  it('piped: tsv with exact values', async () => {
    bodies.set('/coupons', JSON.stringify(COUPONS));
    expect(await run(['coupons', 'list'])).toEqual({
      code: 0,
      stdout:
        'TEN\t10%\t1/5\t2026-06-11T12:00:00.000Z\tactive\n' +
        'FIVE\t5.00 EUR\t2/2\t\tused up\n' +
        'OLD\t3.00\t0/∞\t2026-06-10T12:00:00.000Z\texpired\n',
      stderr: '',
    });
  });

  it('on a terminal: states in colour, "never", "expired …"', async () => {
    bodies.set('/coupons', JSON.stringify(COUPONS));
    expect(await tty(['coupons', 'list'])).toEqual({
      code: 0,
      stdout:
        `${B}CODE${b}  ${B}DISCOUNT${b}  ${B}USED${b}  ${B}EXPIRES${b}           ${B}STATE${b}\n` +
        `TEN        10%   1/5  tomorrow          ${green('active')}\n` +
        `FIVE     €5.00   ${yellow('2/2')}  never             ${yellow('used up')}\n` +
        `OLD       3.00   0/∞  ${red('expired just now')}  ${red('expired')}\n`,
      stderr: '',
    });
  });

  it('none: "No coupons." on a terminal', async () => {
    bodies.set('/coupons', '[]');
    expect(await tty(['coupons', 'list'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No coupons.\n',
    });
  });
});

describe('warehouses list', () => {
  it('piped and on a terminal', async () => {
    bodies.set(
      '/warehouses',
      JSON.stringify([
        {
          id: 'w1',
          name: 'Keys',
          count: 2,
          lowStockThreshold: 5,
          removeDuplicates: true,
          removeSold: false,
        },
        { id: 'w2', name: 'More', count: 9, lowStockThreshold: 5 },
      ]),
    );
    expect(await run(['warehouses', 'list'])).toEqual({
      code: 0,
      stdout: 'w1\tKeys\t2\t5\tyes\tno\nw2\tMore\t9\t5\t\t\n',
      stderr: '',
    });
    expect(await tty(['warehouses', 'list'])).toEqual({
      code: 0,
      stdout:
        `${B}ID${b}  ${B}NAME${b}  ${B}COUNT${b}  ${B}LOW AT${b}  ${B}DEDUP${b}  ${B}REMOVE SOLD${b}\n` +
        `w1  Keys      ${yellow('2')}       5  yes    no\n` +
        `w2  More      9       5\n`,
      stderr: '',
    });
  });

  it('none: the hint on a terminal', async () => {
    bodies.set('/warehouses', '[]');
    expect(await tty(['warehouses', 'list'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No warehouses.\n',
    });
  });
});

describe('an empty list on a terminal says so, the same with or without --fields or filters', () => {
  for (const [path, args, message] of [
    ['/products', ['products', 'list'], 'No products.'],
    ['/coupons', ['coupons', 'list'], 'No coupons.'],
    ['/warehouses', ['warehouses', 'list'], 'No warehouses.'],
    ['/orders', ['orders', 'list'], 'No orders.'],
    ['/orders', ['orders', 'list', '--status', 'expired'], 'No orders.'],
    ['/orders', ['orders', 'list', '--since', '1d'], 'No orders.'],
  ] as const) {
    it(args.join(' '), async () => {
      bodies.set(path, '[]');
      expect(
        await tty([...args, '--fields', args[0] === 'coupons' ? 'code' : 'createdAt']),
      ).toEqual({
        code: 0,
        stdout: '',
        stderr: `${message}\n`,
      });
      expect((await tty([...args])).stderr).toBe(`${message}\n`);
    });
  }
});
