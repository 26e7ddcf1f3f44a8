// `orders list` and `orders get` against a small service of the test's own:
// exact records (odd statuses, missing fields, a full page of 200) and the
// requests the command sends.
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

interface Rec {
  invoiceId: string;
  productTitle?: string;
  productId?: string;
  total?: number;
  currency?: string;
  status?: string;
  gateway?: string;
  createdAt?: string;
  deliveredItems?: string[];
  customerEmail?: string;
}

/** Orders newest first, as the service lists them. */
let page: Rec[] = [];
const emails: Record<string, string | null> = {};
let svc: FakeService;

function order(n: number, createdAt: string, extra: Partial<Rec> = {}): Rec {
  return {
    invoiceId: `AS-${n}`,
    productTitle: 'Game key',
    productId: 'prod_1',
    total: 4.99,
    currency: 'USD',
    status: 'completed',
    gateway: 'stripe',
    createdAt,
    deliveredItems: ['K1'],
    ...extra,
  };
}

/** The products list: orders name their product by id, or by title. */
const PRODUCTS = [
  { id: 'prod_1', title: 'Game key', slug: 'game-key' },
  { id: 'prod_2', title: 'Gift card', slug: 'gift-card' },
  { id: 'prod_3', title: 'Twin', slug: 'twin-a' },
  { id: 'prod_4', title: 'Twin', slug: 'twin-b' },
];

beforeAll(async () => {
  svc = await fakeService((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => sendJson(res, status, body);
    if (url.pathname === '/api/v1/orders') {
      const status = url.searchParams.get('status');
      return send(200, status ? page.filter((o) => o.status === status) : page);
    }
    const got = /^\/api\/v1\/orders\/(.+)$/.exec(url.pathname);
    if (got) {
      const o = page.find((x) => x.invoiceId === decodeURIComponent(got[1]!));
      if (!o) return send(404, { error: 'Order not found' });
      const email = emails[o.invoiceId];
      return send(200, email === undefined ? o : { ...o, customerEmail: email });
    }
    if (url.pathname === '/api/v1/products') return send(200, PRODUCTS);
    const prod = /^\/api\/v1\/products\/(.+)$/.exec(url.pathname);
    if (prod) {
      if (prod[1] === 'prod_1') return send(200, { id: 'prod_1', title: 'Game key' });
      if (prod[1] === 'prod_2') return send(200, { id: 'prod_2', title: 'Gift card' });
      // Not in the list, yet an id the service knows.
      if (prod[1] === 'prod_hidden') return send(200, { id: 'prod_hidden', title: 'Hidden' });
      return send(404, { error: 'Product not found' });
    }
    send(404, { error: 'no route' });
  });
});
afterAll(() => closeAll());

const env = () => serviceEnv(svc);
const run = (args: string[], opts: MainOptions = {}) =>
  runMain(['orders', ...args], { env: env(), clock, ...opts });
const tty = (args: string[], opts: MainOptions = {}) =>
  run(args, { tty: { stdout: true, stderr: true }, columns: 200, ...opts });
/** The request paths (with query) sent since `from`. */
const sent = (from: number) => svc.requests.slice(from).map((r) => r.url);

const B = '\u001b[1m';
const b = '\u001b[22m';
const green = (s: string) => `\u001b[32m${s}\u001b[39m`;
const yellow = (s: string) => `\u001b[33m${s}\u001b[39m`;
const dim = (s: string) => `\u001b[2m${s}\u001b[22m`;
const tsv = (o: Rec) =>
  `${o.invoiceId}\t${o.productTitle ?? ''}\t${o.total === undefined ? '' : `${o.total.toFixed(2)} USD`}\t${o.status ?? ''}\t${o.gateway ?? ''}\t${o.deliveredItems?.length ?? ''}\t${o.createdAt ?? ''}\n`;

// Around the first of June (UTC), newest first.
const AS5 = order(5, '2026-06-02T00:00:00.000Z');
const AS4 = order(4, '2026-06-01T23:59:59.999Z', { status: 'pending', deliveredItems: [] });
const AS3 = order(3, '2026-06-01T00:00:00.000Z', {
  productId: undefined,
  productTitle: 'Gift card',
});
const AS2 = order(2, '2026-05-31T23:59:59.999Z', { productId: undefined });
const AS1 = order(1, '2026-05-30T00:00:00.000Z', { productId: 'prod_9' });
const NODATE: Rec = { invoiceId: 'AS-0', status: 'completed' };
const JUNE = [AS5, AS4, AS3, AS2, AS1, NODATE];

describe('orders list without client-side filters', () => {
  it('piped: one tab-separated line per order, as listed; no query sent', async () => {
    page = JUNE;
    const n = svc.requests.length;
    const r = await run(['list']);
    expect(r).toEqual({ code: 0, stdout: JUNE.map(tsv).join(''), stderr: '' });
    expect(sent(n)).toEqual(['/api/v1/orders']);
  });

  it('--status and --limit go to the service as they are', async () => {
    page = JUNE;
    const n = svc.requests.length;
    const r = await run(['list', '--status', 'pending', '--limit', '2']);
    expect(r).toEqual({ code: 0, stdout: tsv(AS4), stderr: '' });
    expect(sent(n)).toEqual(['/api/v1/orders?status=pending&limit=2']);
  });

  it('a blank --status is a usage error, nothing sent', async () => {
    const n = svc.requests.length;
    expect(await run(['list', '--status', ' '])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --status must not be empty\n',
    });
    expect(sent(n)).toEqual([]);
  });

  it('on a terminal: a table with relative dates and status colours', async () => {
    page = [AS4, AS3];
    const r = await tty(['list']);
    expect(r).toEqual({
      code: 0,
      stdout:
        `${B}INVOICE${b}  ${B}PRODUCT${b}    ${B}TOTAL${b}  ${B}STATUS${b}     ${B}GATEWAY${b}  ${B}ITEMS${b}  ${B}CREATED${b}\n` +
        `AS-4     Game key   $4.99  ${yellow('pending')}    stripe       0  ${dim('last week')}\n` +
        `AS-3     Gift card  $4.99  ${green('completed')}  stripe       1  ${dim('last week')}\n`,
      stderr: '',
    });
  });

  it('nothing listed: silent when piped; on a terminal, says so', async () => {
    page = [];
    expect(await run(['list'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await tty(['list'])).toEqual({ code: 0, stdout: '', stderr: 'No orders.\n' });
    expect(await tty(['list', '--status', 'refunded'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No orders.\n',
    });
  });
});

describe('orders list --since / --until', () => {
  it('--since a bare date: from the start of that UTC day, inclusive; undated orders left out', async () => {
    page = JUNE;
    const n = svc.requests.length;
    const r = await run(['list', '--since', '2026-06-01']);
    expect(r).toEqual({ code: 0, stdout: [AS5, AS4, AS3].map(tsv).join(''), stderr: '' });
    // Filtering here: the whole page the service allows is fetched.
    expect(sent(n)).toEqual(['/api/v1/orders?limit=200']);
  });

  it('--until a bare date: that whole UTC day included, the next day not', async () => {
    page = JUNE;
    const r = await run(['list', '--until', '2026-06-01']);
    expect(r).toEqual({ code: 0, stdout: [AS4, AS3, AS2, AS1].map(tsv).join(''), stderr: '' });
  });

  it('--until a date-time: strictly before it', async () => {
    page = JUNE;
    const r = await run(['list', '--until', '2026-06-01T23:59:59.999Z']);
    expect(r).toEqual({ code: 0, stdout: [AS3, AS2, AS1].map(tsv).join(''), stderr: '' });
  });

  it('--since a date-time is inclusive; both bounds together', async () => {
    page = JUNE;
    const r = await run([
      'list',
      '--since',
      '2026-05-31T23:59:59.999Z',
      '--until',
      '2026-06-01T00:00:00.001Z',
    ]);
    expect(r).toEqual({ code: 0, stdout: [AS3, AS2].map(tsv).join(''), stderr: '' });
  });

  it('--since a time ago counts back from now (9d before 2026-06-10T12:00Z)', async () => {
    page = JUNE;
    const r = await run(['list', '--since', '9d']);
    expect(r).toEqual({ code: 0, stdout: [AS5, AS4].map(tsv).join(''), stderr: '' });
  });

  it('--limit cuts what the filters kept', async () => {
    page = JUNE;
    const r = await run(['list', '--since', '2026-06-01', '--limit', '2']);
    expect(r).toEqual({ code: 0, stdout: [AS5, AS4].map(tsv).join(''), stderr: '' });
  });

  it('--status still goes to the service when filtering here', async () => {
    page = JUNE;
    const n = svc.requests.length;
    const r = await run(['list', '--status', 'pending', '--since', '2026-06-01']);
    expect(r).toEqual({ code: 0, stdout: tsv(AS4), stderr: '' });
    expect(sent(n)).toEqual(['/api/v1/orders?status=pending&limit=200']);
  });

  it('a bad point in time: usage error naming the flag and the value, nothing sent', async () => {
    const n = svc.requests.length;
    expect(await run(['list', '--until', 'soon'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --until takes a date (2026-06-01), a date-time (2026-06-01T09:00:00Z) or a time ago (30m, 24h, 7d), not "soon"\n',
    });
    expect(sent(n)).toEqual([]);
  });

  it('none match: silent piped; "No orders." on a terminal', async () => {
    page = JUNE;
    expect(await run(['list', '--since', '2026-07-01'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await tty(['list', '--since', '2026-07-01'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No orders.\n',
    });
  });

  it('on a terminal: the same table as unfiltered', async () => {
    page = JUNE;
    const r = await tty([
      'list',
      '--since',
      '2026-06-01T00:00:00.000Z',
      '--until',
      '2026-06-01T00:00:00.001Z',
    ]);
    expect(r).toEqual({
      code: 0,
      stdout:
        `${B}INVOICE${b}  ${B}PRODUCT${b}    ${B}TOTAL${b}  ${B}STATUS${b}     ${B}GATEWAY${b}  ${B}ITEMS${b}  ${B}CREATED${b}\n` +
        `AS-3     Gift card  $4.99  ${green('completed')}  stripe       1  ${dim('last week')}\n`,
      stderr: '',
    });
  });
});

describe('orders list filtered: formats', () => {
  const args = [
    'list',
    '--since',
    '2026-06-01T00:00:00.000Z',
    '--until',
    '2026-06-01T00:00:00.001Z',
  ];

  it('--json piped: the kept records as JSON', async () => {
    page = JUNE;
    const r = await run([...args, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([AS3]);
    expect(r.stdout).toBe(`${JSON.stringify([AS3])}\n`);
  });

  it('--json on a terminal: the kept records, indented', async () => {
    page = JUNE;
    const r = await tty([...args, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual([AS3]);
    expect(r.stdout).toBe(`${JSON.stringify([AS3], null, 2)}\n`);
  });

  it('--fields: those fields, tab-separated', async () => {
    page = JUNE;
    const r = await run([...args, '--fields', 'invoiceId,status']);
    expect(r).toEqual({ code: 0, stdout: 'AS-3\tcompleted\n', stderr: '' });
  });

  it('--format csv: a header and the documented fields', async () => {
    page = JUNE;
    const r = await tty([...args, '--format', 'csv']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'invoiceId,productTitle,total,currency,status,gateway,customerEmail,createdAt\r\n' +
        'AS-3,Gift card,4.99,USD,completed,stripe,,2026-06-01T00:00:00.000Z\r\n',
      stderr: '',
    });
  });
});

describe('orders list --product', () => {
  it('matches by product id where listed, else by the product title', async () => {
    page = JUNE;
    const n = svc.requests.length;
    const r = await run(['list', '--product', 'prod_1']);
    // AS-1 carries another id though its title matches; AS-3 is another title.
    expect(r).toEqual({ code: 0, stdout: [AS5, AS4, AS2].map(tsv).join(''), stderr: '' });
    // The list names it: no read of the product itself (its pool may be large).
    expect(sent(n)).toEqual(['/api/v1/products', '/api/v1/orders?limit=200']);
  });

  it('by title only, for orders listed without a product id', async () => {
    page = JUNE;
    const r = await run(['list', '--product', 'prod_2']);
    expect(r).toEqual({ code: 0, stdout: tsv(AS3), stderr: '' });
  });

  it.each([
    ['slug', 'game-key'],
    ['title', 'Game key'],
  ])('the product named by its %s: the same orders as by its id', async (_, ref) => {
    page = JUNE;
    const byId = await run(['list', '--product', 'prod_1']);
    expect(await run(['list', '--product', ref])).toEqual(byId);
  });

  it('an id the list does not show is read by id', async () => {
    page = [order(7, '2026-06-03T00:00:00.000Z', { productId: 'prod_hidden' }), ...JUNE];
    const n = svc.requests.length;
    const r = await run([
      'list',
      '--product',
      'prod_hidden',
      '--format',
      'csv',
      '--fields',
      'invoiceId',
    ]);
    expect(r).toEqual({ code: 0, stdout: 'invoiceId\r\nAS-7\r\n', stderr: '' });
    expect(sent(n)).toContain('/api/v1/products/prod_hidden');
  });

  it('a title two products share: exit 2 listing both, no orders fetched', async () => {
    const n = svc.requests.length;
    const r = await run(['list', '--product', 'Twin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: "Twin" names 2 products: prod_3 (Twin), prod_4 (Twin)\nhint: give the id of the one you mean (astrosell products list)\n',
    );
    expect(sent(n)).toEqual(['/api/v1/products']);
  });

  it('an unknown product: exit 4 naming it, no orders fetched', async () => {
    page = JUNE;
    const n = svc.requests.length;
    for (const tty of [false, true]) {
      const r = await run(['list', '--product', 'nope', ...(tty ? [] : ['--json'])], {
        tty: { stdout: tty, stderr: tty },
        env: { ...env(), NO_COLOR: '1' },
      });
      expect(r).toEqual({
        code: 4,
        stdout: '',
        stderr:
          'error: no product with the id, slug or title "nope"\nhint: astrosell products list shows them\n',
      });
    }
    expect(sent(n).filter((u) => u.startsWith('/api/v1/orders'))).toEqual([]);
  });
});

describe('orders list --email', () => {
  it('fetches each remaining order and keeps those whose email matches, trimmed and in any case', async () => {
    page = [AS5, AS4, AS3, AS2];
    for (const k of Object.keys(emails)) delete emails[k];
    emails['AS-5'] = ' Buyer@Example.COM ';
    emails['AS-4'] = 'other@example.com';
    emails['AS-3'] = null;
    emails['AS-2'] = 'buyer@example.com';
    const n = svc.requests.length;
    const r = await run(['list', '--email', '  BUYER@example.com', '--format', 'csv']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'invoiceId,productTitle,total,currency,status,gateway,customerEmail,createdAt\r\n' +
        'AS-5,Game key,4.99,USD,completed,stripe," Buyer@Example.COM ",2026-06-02T00:00:00.000Z\r\n' +
        'AS-2,Game key,4.99,USD,completed,stripe,buyer@example.com,2026-05-31T23:59:59.999Z\r\n',
      stderr: '',
    });
    expect(sent(n).sort()).toEqual(
      [
        '/api/v1/orders?limit=200',
        ...['AS-5', 'AS-4', 'AS-3', 'AS-2'].map((i) => `/api/v1/orders/${i}`),
      ].sort(),
    );
  });

  it('only the orders left after the other filters are fetched; a listed email is used as is', async () => {
    page = [{ ...AS5, customerEmail: 'buyer@example.com' }, AS4, AS3, AS2];
    emails['AS-4'] = 'buyer@example.com';
    emails['AS-3'] = 'buyer@example.com';
    const n = svc.requests.length;
    const r = await run([
      'list',
      '--email',
      'buyer@example.com',
      '--since',
      '2026-06-01T12:00:00Z',
      '--fields',
      'invoiceId,customerEmail',
    ]);
    expect(r).toEqual({
      code: 0,
      stdout: 'AS-5\tbuyer@example.com\nAS-4\tbuyer@example.com\n',
      stderr: '',
    });
    expect(sent(n)).toEqual(['/api/v1/orders?limit=200', '/api/v1/orders/AS-4']);
  });

  it('a blank --email is a usage error, nothing sent', async () => {
    const n = svc.requests.length;
    expect(await run(['list', '--email', '  '])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --email must not be empty\n',
    });
    expect(sent(n)).toEqual([]);
  });

  it('no orders to look at: nothing fetched one by one', async () => {
    page = [];
    const n = svc.requests.length;
    expect(await run(['list', '--email', 'a@b.c'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(sent(n)).toEqual(['/api/v1/orders?limit=200']);
  });
});

describe('orders list: the 200-order cut', () => {
  const NOTE =
    'note: only the newest 200 orders were searched (the most the service returns at once); older ones may match too\n' +
    'hint: keep a local history with `astrosell orders sync` (e.g. from cron) and search it with --history\n';
  /** `n` orders a minute apart, newest first, the oldest at 2026-06-01T00:00Z. */
  const minutes = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      order(
        1000 + i,
        new Date(Date.parse('2026-06-01T00:00:00.000Z') + (n - 1 - i) * 60_000).toISOString(),
      ),
    );

  it('a full page: the note on stderr, when no --since bounds the search', async () => {
    page = minutes(200);
    const r = await run(['list', '--until', '2026-06-01T00:01:00.000Z']);
    expect(r).toEqual({ code: 0, stdout: tsv(page[199]!), stderr: NOTE });
  });

  it('199 orders: everything was searched, no note', async () => {
    page = minutes(199);
    const r = await run(['list', '--until', '2026-06-01T00:01:00.000Z']);
    expect(r).toEqual({ code: 0, stdout: tsv(page[198]!), stderr: '' });
  });

  it('--since at the oldest listed order: older ones may still match, so the note', async () => {
    page = minutes(200);
    const r = await run(['list', '--since', '2026-06-01T00:00:00.000Z', '--limit', '1']);
    expect(r).toEqual({ code: 0, stdout: tsv(page[0]!), stderr: NOTE });
  });

  it('--since after the oldest listed order: the page reached past it, no note', async () => {
    page = minutes(200);
    const r = await run(['list', '--since', '2026-06-01T00:00:00.001Z', '--limit', '1']);
    expect(r).toEqual({ code: 0, stdout: tsv(page[0]!), stderr: '' });
  });

  it('the oldest listed order has no date: the note', async () => {
    page = minutes(200);
    page[199] = { invoiceId: 'AS-undated' };
    const r = await run(['list', '--since', '2026-06-01T00:00:00.001Z', '--limit', '1']);
    expect(r).toEqual({ code: 0, stdout: tsv(page[0]!), stderr: NOTE });
  });
});

describe('orders get', () => {
  it('piped: field and value per line, then the delivered items', async () => {
    page = JUNE;
    delete emails['AS-5'];
    const n = svc.requests.length;
    const r = await run(['get', 'AS-5']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'invoice\tAS-5\nproduct\tGame key\ntotal\t4.99 USD\nstatus\tcompleted\ngateway\tstripe\ncustomer\t\ncreated\t2026-06-02T00:00:00.000Z\nK1\n',
      stderr: '',
    });
    expect(sent(n)).toEqual(['/api/v1/orders/AS-5']);
  });

  it('on a terminal: labels, money, the status in its list colour, a relative date and the items section', async () => {
    page = JUNE;
    emails['AS-4'] = 'buyer@example.com';
    const r = await tty(['get', 'AS-4']);
    expect(r).toEqual({
      code: 0,
      stdout:
        `${B}invoice: ${b} AS-4\n${B}product: ${b} Game key\n${B}total:   ${b} $4.99\n${B}status:  ${b} \u001b[33mpending\u001b[39m\n` +
        `${B}gateway: ${b} stripe\n${B}customer:${b} buyer@example.com\n${B}created: ${b} last week\n\n` +
        `${B}Delivered items (0)${b}\n  (none)\n`,
      stderr: '',
    });
  });

  it('no delivered items list: no section', async () => {
    page = JUNE;
    const r = await run(['get', 'AS-0']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'invoice\tAS-0\nproduct\t\ntotal\t\nstatus\tcompleted\ngateway\t\ncustomer\t\ncreated\t\n',
      stderr: '',
    });
  });

  it('--json piped: the body as the service sent it', async () => {
    page = JUNE;
    const r = await run(['get', 'AS-1', '--json']);
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(AS1)}\n`, stderr: '' });
  });

  it('--fields picks from the record', async () => {
    page = JUNE;
    const r = await run(['get', 'AS-1', '--fields', 'status,deliveredItems']);
    expect(r).toEqual({
      code: 0,
      stdout: 'status\tcompleted\ndelivereditems\t["K1"]\n',
      stderr: '',
    });
  });

  it('an unknown invoice: the service error, exit 4', async () => {
    expect(await run(['get', 'AS-404'])).toEqual({
      code: 4,
      stdout: '',
      stderr: 'error: Order not found\n',
    });
  });
});

describe('orders list --status', () => {
  const WARNING =
    'warning: no order has the status "complete"; the known statuses are completed, pending, processing, expired, refunded, cancelled\n';

  it('a status no order has and the reference does not know: a warning on stderr, exit 0, output as ever', async () => {
    page = JUNE;
    expect(await run(['list', '--status', 'complete'])).toEqual({
      code: 0,
      stdout: '',
      stderr: WARNING,
    });
    expect(await run(['list', '--status', 'complete', '--json'])).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: WARNING,
    });
    const t = await tty(['list', '--status', 'complete'], { env: { ...env(), NO_COLOR: '1' } });
    expect(t).toEqual({ code: 0, stdout: '', stderr: `${WARNING}No orders.\n` });
    // With a filter of ours the page is looked at just the same.
    const since = await run(['list', '--status', 'complete', '--since', '2026-06-01']);
    expect(since).toEqual({ code: 0, stdout: '', stderr: WARNING });
  });

  it('a known status with no orders, or a new one the orders carry: no warning', async () => {
    page = JUNE;
    expect(await run(['list', '--status', 'cancelled'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const odd = order(8, '2026-06-03T00:00:00.000Z', { status: 'on_hold' });
    page = [odd, ...JUNE];
    expect(await run(['list', '--status', 'on_hold'])).toEqual({
      code: 0,
      stdout: tsv(odd),
      stderr: '',
    });
  });
});
