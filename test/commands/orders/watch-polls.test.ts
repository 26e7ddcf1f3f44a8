// `orders watch` against a scripted service: each poll's answer is given in
// advance, and the clock records every wait and ends the run (as Ctrl-C
// would) at a chosen wait, so what is printed, what is waited and the exit
// are pinned exactly, with no real waiting.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { startMain, type Terminals, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);

const NOW = Date.parse('2026-06-10T12:00:00.000Z');

type Reply =
  | unknown[]
  | { status: number; body: unknown; headers?: Record<string, string> }
  | ((res: ServerResponse, ctrlC: () => void) => void);

interface Order {
  invoiceId: string;
  productId: string;
  productTitle: string;
  quantity: number;
  total: number;
  currency: string;
  status: string;
  gateway?: string;
  customerEmail: string;
  deliveredItems: string[];
  createdAt?: string;
}

/** An order created `minutesAgo` before NOW. */
function order(id: string, minutesAgo: number, more: Partial<Order> = {}): Order {
  return {
    invoiceId: id,
    productId: 'prod_1',
    productTitle: `Product ${id}`,
    quantity: 1,
    total: 2.5,
    currency: 'EUR',
    status: 'completed',
    gateway: 'paypal',
    customerEmail: 'a@example.com',
    deliveredItems: ['CODE-1'],
    createdAt: new Date(NOW - minutesAgo * 60_000).toISOString(),
    ...more,
  };
}

/**
 * Runs `orders watch args` against a service giving `replies` in turn (the
 * last one again once they run out). The clock's `stopAt`-th wait (from 1)
 * is Ctrl-C; every wait asked for is recorded.
 */
async function watch(
  args: string[],
  replies: Reply[],
  opts: { stopAt?: number; tty?: Terminals; env?: Record<string, string> } = {},
) {
  const ctrlC = new AbortController();
  let n = 0;
  const svc = await fakeService((_req, res) => {
    const reply = replies[Math.min(n++, replies.length - 1)]!;
    if (typeof reply === 'function') reply(res, () => ctrlC.abort());
    else if (Array.isArray(reply)) sendJson(res, 200, reply);
    else sendJson(res, reply.status, reply.body, reply.headers);
  });
  const waits: number[] = [];
  const clock: Clock = {
    now: () => NOW,
    async sleep(ms, signal) {
      waits.push(ms);
      if (waits.length === (opts.stopAt ?? 1)) ctrlC.abort();
      if (signal?.aborted) throw signal.reason;
    },
  };
  const r = await startMain(['orders', 'watch', ...args], {
    env: { ...serviceEnv(svc), ASTROSELL_MAX_RETRIES: '0', ...opts.env },
    tty: opts.tty,
    clock,
    signal: ctrlC.signal,
  }).done;
  return { ...r, waits, requests: svc.requests.map((q) => q.url), port: svc.port };
}

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('what is printed, poll by poll', () => {
  it('without --since: only orders new since the first poll, oldest first, each once', async () => {
    const a = order('AS-A', 30);
    const b = order('AS-B', 20);
    const c = order('AS-C', 10);
    const d = order('AS-D', 5);
    const r = await watch(
      ['--format', 'tsv', '--fields', 'invoiceId,status'],
      [
        [b, a],
        [d, c, b, a],
        [d, c, b],
      ],
      {
        stopAt: 3,
      },
    );
    expect(r.stdout).toBe('AS-C\tcompleted\nAS-D\tcompleted\n');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('Stopped watching; 2 new orders printed.\n');
    // The default interval, between polls; the page asked for, newest first.
    expect(r.waits).toEqual([10_000, 10_000, 10_000]);
    expect(r.requests).toEqual([
      '/api/v1/orders?limit=200',
      '/api/v1/orders?limit=200',
      '/api/v1/orders?limit=200',
    ]);
  });

  it('--since: the orders of the first page from that time on (the time itself included)', async () => {
    const at = new Date(NOW - 20 * 60_000).toISOString();
    const r = await watch(
      ['--since', at, '--status', 'completed', '--interval', '100ms', '--json'],
      [
        [
          order('AS-C', 10),
          order('AS-B', 20),
          order('AS-A', 21),
          order('AS-X', 0, { createdAt: undefined }),
        ],
      ],
      { stopAt: 1 },
    );
    expect(lines(r.stdout).map((l) => JSON.parse(l).invoiceId)).toEqual(['AS-B', 'AS-C']);
    expect(r.stderr).toBe('Stopped watching; 2 new orders printed.\n');
    expect(r.waits).toEqual([100]);
    expect(r.requests).toEqual(['/api/v1/orders?status=completed&limit=200']);
  });

  it('one order printed is said in the singular; records without an invoiceId are skipped', async () => {
    const r = await watch(
      ['--format', 'ndjson', '--fields', 'invoiceId'],
      [[], [order('AS-A', 10), { id: 'not-an-order' }, { invoiceId: 7 }, 'AS-B']],
      { stopAt: 2 },
    );
    expect(r.stdout).toBe('{"invoiceId":"AS-A"}\n');
    expect(r.stderr).toBe('Stopped watching; 1 new order printed.\n');
  });

  it('nothing printed: 0 new orders', async () => {
    const r = await watch(['--interval', '2s'], [[]]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('Stopped watching; 0 new orders printed.\n');
    expect(r.waits).toEqual([2000]);
  });

  it('--max-orders: exit 0 as soon as that many are printed, mid-page', async () => {
    const r = await watch(
      ['--since', '1d', '--max-orders', '2', '--format', 'tsv', '--fields', 'invoiceId'],
      [[order('AS-C', 10), order('AS-B', 20), order('AS-A', 30)]],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('AS-A\nAS-B\n');
    expect(r.stderr).toBe('');
    expect(r.waits).toEqual([]);
  });

  it('200 or more new orders between two polls: a warning that some may be missed', async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => order(`AS-${from + count - i}`, 1));
    const first = page(0, 1);
    const second = [...page(1, 199), ...first];
    const third = [...page(200, 200), ...second.slice(0, 10)];
    const r = await watch(['--format', 'tsv', '--fields', 'invoiceId'], [first, second, third], {
      stopAt: 3,
    });
    expect(lines(r.stdout)).toHaveLength(399);
    expect(r.stderr).toBe(
      'warning: 200 or more new orders since the last poll; some may have been missed (poll more often with --interval)\n' +
        'Stopped watching; 399 new orders printed.\n',
    );
  });

  it('the newest 10,000 invoice ids are remembered; an older one is new again', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => order(`AS-${10_001 - i}`, 1));
    // Oldest first, AS-1 is forgotten when AS-10001 is remembered; AS-2 is not.
    const r = await watch(
      ['--format', 'tsv', '--fields', 'invoiceId'],
      [many, [order('AS-2', 1), order('AS-1', 1)]],
      { stopAt: 2 },
    );
    expect(r.stdout).toBe('AS-1\n');
  });
});

describe('formats', () => {
  const a = order('AS-A', 10);
  const b = order('AS-B', 5, { productTitle: 'Tab\there', gateway: undefined, status: 'refunded' });

  it('csv: a header, then a line per order; the view fields unless --fields', async () => {
    const all = await watch(['--since', '1h', '--format', 'csv'], [[b, a]]);
    expect(all.stdout).toBe(
      'invoiceId,productTitle,total,currency,status,gateway,customerEmail,createdAt\r\n' +
        `AS-A,Product AS-A,2.5,EUR,completed,paypal,a@example.com,${a.createdAt}\r\n` +
        `AS-B,Tab\there,2.5,EUR,refunded,,a@example.com,${b.createdAt}\r\n`,
    );
    const some = await watch(
      [
        '--since',
        '1h',
        '--format',
        'csv',
        '--fields',
        'invoiceId,quantity,productId,deliveredItems',
      ],
      [[a]],
    );
    expect(some.stdout).toBe(
      'invoiceId,quantity,productId,deliveredItems\r\nAS-A,1,prod_1,"[""CODE-1""]"\r\n',
    );
  });

  it('tsv: the columns of orders list piped, or the fields asked for', async () => {
    const all = await watch(['--since', '1h'], [[b, a]]);
    expect(all.stdout).toBe(
      `AS-A\tProduct AS-A\t2.50 EUR\tcompleted\tpaypal\t1\t${a.createdAt}\n` +
        `AS-B\tTab here\t2.50 EUR\trefunded\t\t1\t${b.createdAt}\n`,
    );
    const some = await watch(
      ['--since', '1h', '--format', 'tsv', '--fields', 'total,createdAt'],
      [[a]],
    );
    expect(some.stdout).toBe(`2.5\t${a.createdAt}\n`);
  });

  it('json: the whole order, or the fields asked for', async () => {
    const all = await watch(['--since', '1h', '--format', 'json'], [[a]]);
    expect(JSON.parse(all.stdout)).toEqual(a);
    const some = await watch(
      ['--since', '1h', '--format', 'json', '--fields', 'status,nope'],
      [[a]],
    );
    expect(some.code).toBe(2);
  });
});

describe('on a terminal', () => {
  const tty = { stdout: true, stderr: true };

  it("the list's table, its header once, later orders as rows under it; each status in the list's colour", async () => {
    const a = order('AS-A', 10);
    const b = order('AS-B', 9, { status: 'refunded', gateway: undefined });
    const c = order('AS-C', 8, { status: 'failed', createdAt: 'not a date', total: 1234.5 });
    const d = order('AS-D', 7, { status: 'pending', createdAt: undefined });
    const e = order('AS-E', 6, { status: 'expired' });
    const r = await watch(
      ['--since', '1d', '--interval', '1500ms'],
      [
        [b, a],
        [e, d, c, b, a],
      ],
      { stopAt: 3, tty, env: { FORCE_COLOR: '1' } },
    );
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('INVOICE'))).toHaveLength(1);
    expect(lines[0]).toMatch(/INVOICE.*PRODUCT.*TOTAL.*STATUS.*GATEWAY.*ITEMS.*CREATED/);
    const row = (id: string) => lines.find((l) => l.includes(id))!;
    expect(lines.slice(1).map((l) => /AS-\w/.exec(l)?.[0])).toEqual([
      'AS-A',
      'AS-B',
      'AS-C',
      'AS-D',
      'AS-E',
    ]);
    expect(row('AS-A')).toContain('\u001b[32mcompleted');
    expect(row('AS-B')).toContain('\u001b[31mrefunded');
    expect(row('AS-C')).toContain('\u001b[31mfailed');
    expect(row('AS-C')).toContain('€1,234.50');
    expect(row('AS-D')).toContain('\u001b[33mpending');
    expect(row('AS-E')).toContain('\u001b[2mexpired');
    expect(row('AS-A')).toContain('10 minutes ago');
  });

  it('--fields: a table of the fields asked for, dates relative to now', async () => {
    const a = order('AS-A', 180, { productTitle: 'Two  spaces' });
    const r = await watch(
      ['--since', '1d', '--fields', 'invoiceId,createdAt,total,productTitle'],
      [[a]],
      {
        tty,
        env: { NO_COLOR: '1' },
      },
    );
    expect(r.stdout).toBe(
      'INVOICEID  CREATEDAT    TOTAL  PRODUCTTITLE\nAS-A       3 hours ago  €2.50  Two  spaces\n',
    );
    expect(r.stderr).toBe(
      'Watching orders every 10s (Ctrl-C to stop)…\nStopped watching; 1 new order printed.\n',
    );
  });
});

describe('a failed poll', () => {
  const limited = { status: 429, body: { error: 'slow down' } };
  const broken = { status: 500, body: { error: 'boom' } };
  const drop = (res: ServerResponse) => {
    res.socket?.destroy();
  };

  it('429, 5xx and the network: waits longer each time, polls again; a good poll starts over', async () => {
    const a = order('AS-A', 1);
    const r = await watch(
      ['--format', 'tsv', '--fields', 'invoiceId'],
      [limited, limited, broken, drop, [], limited, [a]],
      { stopAt: 7 },
    );
    const [w1, w2, w3, w4, w5, w6, w7] = r.waits as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(r.waits).toHaveLength(7);
    // Back-off from 250 ms, doubling, each at least half its ceiling.
    expect([w1 >= 125 && w1 <= 250, w2 >= 250 && w2 <= 500, w3 >= 500 && w3 <= 1000]).toEqual([
      true,
      true,
      true,
    ]);
    expect(w4 >= 1000 && w4 <= 2000).toBe(true);
    expect(w5).toBe(10_000);
    expect(w6 >= 125 && w6 <= 250).toBe(true);
    expect(w7).toBe(10_000);
    expect(r.stdout).toBe('AS-A\n');
    const s = (w: number) => (w / 1000).toFixed(1);
    const limitedLine = (w: number) =>
      `slow down (still rate limited after retries); polling again in ${s(w)}s…`;
    expect(r.stderr.split('\n')).toEqual([
      limitedLine(w1),
      limitedLine(w2),
      `boom; polling again in ${s(w3)}s…`,
      `connection to 127.0.0.1:${r.port} closed unexpectedly; polling again in ${s(w4)}s…`,
      limitedLine(w6),
      'Stopped watching; 1 new order printed.',
      '',
    ]);
  });

  it('429 with Retry-After: waits that long', async () => {
    const r = await watch([], [{ ...limited, headers: { 'retry-after': '30' } }], { stopAt: 1 });
    expect(r.waits).toEqual([30_000]);
    expect(r.stderr).toBe(
      'slow down (still rate limited after retries); polling again in 30.0s…\n' +
        'Stopped watching; 0 new orders printed.\n',
    );
  });

  it('other errors end the watch with their own exit code', async () => {
    const bad = await watch([], [{ status: 400, body: { error: 'bad status' } }]);
    expect([bad.code, bad.stderr, bad.waits]).toEqual([2, 'error: bad status\n', []]);
    const moved = await watch(
      [],
      [{ status: 302, body: {}, headers: { location: 'https://elsewhere.example/api' } }],
    );
    expect([moved.code, moved.stderr, moved.waits]).toEqual([
      1,
      'error: the service answered HTTP 302, a redirect (to https://elsewhere.example/api); not followed, so the API key does not travel to another address\n' +
        'hint: if the service has moved, set the new base URL (--base-url or ASTROSELL_BASE_URL)\n',
      [],
    ]);
    const notJson = await watch([], [(res: ServerResponse) => res.end('<html>')]);
    expect([notJson.code, notJson.stderr, notJson.waits]).toEqual([
      1,
      'error: the service answered /orders with a body that is not JSON\n',
      [],
    ]);
    const huge = await watch(
      [],
      [
        (res: ServerResponse) => {
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': String(64 * 2 ** 20 + 1),
          });
          res.write('[');
        },
      ],
    );
    expect([huge.code, huge.stderr, huge.waits]).toEqual([
      1,
      'error: the answer from /api/v1/orders is larger than 64 MiB; not holding it in memory\n' +
        'hint: pass --json to write it out as it arrives (e.g. `… --json > out.json`)\n',
      [],
    ]);
  });

  it('Ctrl-C while a poll is on its way: stopped watching', async () => {
    const r = await watch(
      ['--since', '1h', '--format', 'tsv', '--fields', 'invoiceId'],
      [[order('AS-A', 1)], (_res: ServerResponse, ctrlC: () => void) => ctrlC()],
      { stopAt: 99 },
    );
    expect(r.stdout).toBe('AS-A\n');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('Stopped watching; 1 new order printed.\n');
    expect(r.waits).toEqual([10_000]);
  });
});

describe('usage errors', () => {
  it('an empty --status, an --interval under 100ms, a --since that is no time', async () => {
    const empty = await watch(['--status', '  '], [[]]);
    expect([empty.code, empty.stderr]).toEqual([2, 'error: --status must not be empty\n']);
    const quick = await watch(['--interval', '99ms'], [[]]);
    expect([quick.code, quick.stderr]).toEqual([2, 'error: --interval must be at least 100ms\n']);
    const since = await watch(['--since', 'soon'], [[]]);
    expect([since.code, since.stderr]).toEqual([
      2,
      'error: --since takes a date (2026-06-01), a date-time (2026-06-01T09:00:00Z) or a time ago (30m, 24h, 7d), not "soon"\n',
    ]);
    expect([empty.requests, quick.requests, since.requests]).toEqual([[], [], []]);
  });

  it('a field no order has, or --json with another --format: exit 2 before the first poll', async () => {
    const field = await watch(['--fields', 'invoiceId,colour'], [[order('AS-A', 1)]]);
    expect(field.code).toBe(2);
    expect(field.stderr).toMatch(/^error: unknown field "colour"; valid fields: invoiceId,/);
    const both = await watch(['--json', '--format', 'csv'], [[order('AS-A', 1)]]);
    expect([both.code, both.stderr]).toEqual([
      2,
      'error: --json and --format csv ask for different output; pass one\n',
    ]);
    expect([field.requests, both.requests, field.stdout, both.stdout]).toEqual([[], [], '', '']);
  });

  it('no key: the error alone, no csv header before it', async () => {
    const config = tempDir();
    const r = await startMain(['orders', 'watch', '--format', 'csv'], {
      env: { ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1', ASTROSELL_CONFIG_DIR: config.dir },
    }).done;
    config.cleanup();
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
  });
});
