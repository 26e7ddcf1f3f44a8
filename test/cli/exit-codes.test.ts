// Each exit code of docs/cli.md that the core decides, through the built bin.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { BIN, cleanEnv, ROOT, runBin, startBin, tempDir } from '../helpers/cli.js';
import { sendJson } from '../helpers/fake-service.js';
import { holdServer } from '../helpers/hold-server.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { runners, stripAnsi } from './guard.js';

let shop: TestShop;
const log: string[] = [];
const { bin, tty } = runners(() => [shop.key]);

beforeAll(async () => {
  shop = await startTestShop({ log: (l) => log.push(l) });
});
afterAll(() => shop.close());

function firstLine(stderr: string): string {
  return stripAnsi(stderr).split('\n')[0]!;
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/api/v1`;
}

describe('0: success', () => {
  it('a read command succeeds and the process exits though the server keeps the connection open', async () => {
    // The server asks to keep the connection ten minutes: a CLI that left it
    // open would outlive runBin's limit instead of exiting.
    const srv = await holdServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=600' });
      res.end('[]');
    });
    try {
      const r = await bin(['products', 'list'], {
        env: { ...shop.env, ASTROSELL_BASE_URL: srv.url },
      });
      expect(r.code).toBe(0);
      expect(srv.seen).toEqual(['GET /api/v1/products']);
    } finally {
      await srv.close();
    }
  });
});

describe('1: failure', () => {
  it('a 5xx that outlasts the retries', async () => {
    const own = await startTestShop();
    try {
      own.sandbox.setFaults({ errorRate: 1, seed: 7 });
      const r = await runBin(['products', 'list'], {
        env: { ...own.env, ASTROSELL_MAX_RETRIES: '2' },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: Simulated 50[023] \(sandbox fault injection\)\n$/);
    } finally {
      await own.close();
    }
  });
});

describe('2: usage', () => {
  // argv, extra env, the first stderr line; nothing may reach the service.
  const refused: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['an unknown flag', ['products', 'list', '--bogus'], {}, /^error: unknown option '--bogus'$/],
    ['a missing argument', ['products', 'get'], {}, /^error: missing required argument 'product'/],
    [
      'an empty --status',
      ['orders', 'list', '--status', ' '],
      {},
      /^error: --status must not be empty$/,
    ],
    ...['0', '201', '-1', 'ten', '1.5'].map(
      (n): [string, string[], Record<string, string>, RegExp] => [
        `--limit ${n}`,
        ['orders', 'list', '--limit', n],
        {},
        /^error: .*--limit/,
      ],
    ),
    ['--timeout 0', ['--timeout', '0', 'products', 'list'], {}, /^error: .*--timeout/],
    ['an id that URLs would resolve away', ['products', 'get', '..'], {}, /^error: invalid id/],
    [
      'a bad ASTROSELL_MAX_RETRIES',
      ['products', 'list'],
      { ASTROSELL_MAX_RETRIES: 'lots' },
      /^error: ASTROSELL_MAX_RETRIES/,
    ],
    [
      'a key with a line break in ASTROSELL_API_KEY (not a network failure)',
      ['products', 'list'],
      { ASTROSELL_API_KEY: 'nsk_test_abc\nx' },
      /^error: the API key contains spaces, line breaks, control or non-ASCII characters$/,
    ],
    [
      'a profile that does not exist',
      ['--profile', 'nope', 'products', 'list'],
      {},
      /^error: profile "nope" not found$/,
    ],
    [
      'a profile from the environment that does not exist',
      ['products', 'list'],
      { ASTROSELL_PROFILE: 'nope' },
      /^error: profile "nope" not found$/,
    ],
  ];
  it.each(refused)('%s: exit 2 before anything is sent', async (_name, argv, env, line) => {
    const before = log.length;
    const r = await bin(argv, { env: { ...shop.env, ...env } });
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toMatch(line);
    expect(r.stdout).toBe('');
    expect(log.length, 'requests sent').toBe(before);
  });

  it('an unknown command suggests the nearest one', async () => {
    const r = await bin(['prodcts', 'list'], { env: shop.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'prodcts'");
    expect(r.stderr).toContain('Did you mean products?');
    const sub = await bin(['orders', 'lst'], { env: shop.env });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('Did you mean list?');
  });

  it('plain http to a non-loopback host is refused before a byte is sent (even without a key)', async () => {
    for (const env of [
      { ASTROSELL_API_KEY: shop.key, ASTROSELL_BASE_URL: 'http://api.astrosell.io/api/v1' },
      {
        ASTROSELL_BASE_URL: 'http://10.1.2.3:4010/api/v1',
        ASTROSELL_CONFIG_DIR: shop.env.ASTROSELL_CONFIG_DIR,
      },
    ]) {
      const r = await bin(['products', 'list'], { env });
      expect(r.code).toBe(2);
      expect(firstLine(r.stderr)).toMatch(/^error: refusing to send the API key over plain HTTP/);
    }
    const flag = await bin(['--base-url', 'http://example.com/api/v1', 'coupons', 'list'], {
      env: shop.env,
    });
    expect(flag.code).toBe(2);
  });

  it('a 400 from the service is a usage error with its message', async () => {
    const r = await bin(['api', 'POST', '/warehouses', '-f', 'nothing=here'], { env: shop.env });
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toMatch(/^error: .*name/i);
  });
});

describe('3: authentication', () => {
  it('no key: a hint to run astrosell keys add', async () => {
    const { ASTROSELL_API_KEY: _k, ...env } = shop.env;
    const r = await bin(['products', 'list'], { env });
    expect(r.code).toBe(3);
    expect(firstLine(r.stderr)).toBe('error: no API key configured');
    expect(r.stderr).toContain('astrosell keys add');
    expect(r.stdout).toBe('');
  });

  it('a bad key', async () => {
    const r = await bin(['orders', 'list'], {
      env: { ...shop.env, ASTROSELL_API_KEY: 'nsk_live_wrongwrongwrong0000' },
    });
    expect(r.code).toBe(3);
    expect(firstLine(r.stderr)).toBe('error: Invalid or revoked API key');
  });

  it('a revoked key', async () => {
    const own = await startTestShop();
    try {
      expect((await runBin(['coupons', 'list'], { env: own.env })).code).toBe(0);
      own.sandbox.revokeKey(own.key);
      const r = await runBin(['coupons', 'list'], { env: own.env });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('error: Invalid or revoked API key');
      expect(r.stderr).not.toContain(own.key);
    } finally {
      await own.close();
    }
  });
});

describe('4: not found', () => {
  it.each([
    [
      ['products', 'get', '000000000000000000000000'],
      'no product with the id, slug or title "000000000000000000000000"',
    ],
    [['warehouses', 'get', 'nope'], 'no warehouse with the id or name "nope"'],
    [['orders', 'get', 'AS-NOPE00'], 'Order not found'],
  ])('%j', async (args, message) => {
    const r = await bin(args, { env: shop.env });
    expect(r.code).toBe(4);
    expect(firstLine(r.stderr)).toBe(`error: ${message}`);
    expect(r.stdout).toBe('');
  });
});

describe('5: rate limited', () => {
  async function burn(s: TestShop) {
    const res = await fetch(`${s.sandbox.url}/coupons`, {
      headers: { authorization: `Bearer ${s.key}` },
    });
    expect(res.status).toBe(200);
  }

  it('a limit that clears within the budget: waits for Retry-After, then 0', async () => {
    // 1 request per 4 s, and one retry allowed. The first back-off alone is at
    // most 250 ms: a client that did not wait for Retry-After (4 s) would
    // spend its one retry inside the window, get a second 429 and exit 5.
    const seen: string[] = [];
    const own = await startTestShop({
      rateLimit: { requests: 1, perMs: 4000 },
      log: (l) => seen.push(l),
    });
    try {
      await burn(own);
      const started = Date.now();
      const r = await runBin(['coupons', 'list'], {
        env: { ...own.env, ASTROSELL_MAX_RETRIES: '1' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('LAUNCH10');
      const statuses = seen
        .filter((l) => l.startsWith('GET /api/v1/coupons'))
        .map((l) => l.split(' ')[2]);
      expect(statuses).toEqual(['200', '429', '200']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    } finally {
      await own.close();
    }
  });

  it('a limit that does not clear: 5', async () => {
    const own = await startTestShop({ rateLimit: { requests: 1, perMs: 3_600_000 } });
    try {
      await burn(own);
      const r = await runBin(['coupons', 'list'], {
        env: { ...own.env, ASTROSELL_MAX_RETRIES: '0' },
      });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^error: Rate limit exceeded \(still rate limited after retries\)/);
      // Retry-After (an hour) longer than the whole time budget: give up at
      // once rather than hammer or hang (a wait would outlive runBin's limit).
      const r2 = await runBin(['coupons', 'list'], { env: own.env });
      expect(r2.code).toBe(5);
    } finally {
      await own.close();
    }
  });
});

describe('6: network', () => {
  it('connection refused, after the retries', async () => {
    const url = await closedPortUrl();
    const r = await bin(['products', 'list'], {
      env: { ...shop.env, ASTROSELL_BASE_URL: url, ASTROSELL_MAX_RETRIES: '1' },
    });
    expect(r.code).toBe(6);
    expect(firstLine(r.stderr)).toMatch(
      /^error: cannot connect to 127\.0\.0\.1:\d+: connection refused$/,
    );
  });

  it('a timeout', async () => {
    // A server that never answers: only the timeout can end the run.
    const srv = await holdServer();
    try {
      const r = await runBin(['--timeout', '1', 'products', 'list'], {
        env: { ...shop.env, ASTROSELL_BASE_URL: srv.url, ASTROSELL_MAX_RETRIES: '0' },
      });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/^error: timed out/);
      expect(srv.seen).toHaveLength(1);
    } finally {
      await srv.close();
    }
  });
});

describe('8: low stock', () => {
  it('warehouses check: 8 on the demo shop, 0 once the low pool is restocked', async () => {
    const own = await startTestShop();
    try {
      const low = await runBin(['warehouses', 'check'], { env: own.env });
      expect(low.code).toBe(8);
      expect(low.stdout.split('\t').slice(0, 2)).toEqual(['warehouse', DEMO.lowStockWarehouse]);
      expect(low.stderr).toContain('1 of 3 warehouses at or below the low-stock threshold');
      const json = await runBin(['warehouses', 'check', '--json'], { env: own.env });
      expect(json.code).toBe(8);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        checked: 3,
        low: [{ id: DEMO.lowStockWarehouse }],
      });

      const body = JSON.stringify({ stock: 'NEW-1\nNEW-2\nNEW-3\n' });
      const add = await runBin(
        ['api', 'POST', `/warehouses/${DEMO.lowStockWarehouse}/stock`, '--input', '-'],
        {
          env: own.env,
          input: body,
        },
      );
      expect(add.code).toBe(0);
      expect(JSON.parse(add.stdout)).toMatchObject({ added: 3, total: DEMO.counts.spotify + 3 });

      const ok = await runBin(['warehouses', 'check'], { env: own.env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe('');
      expect(ok.stderr).toContain('All 3 warehouses are above');
      const okJson = await runBin(['warehouses', 'check', '--json'], { env: own.env });
      expect(JSON.parse(okJson.stdout)).toEqual({ ok: true, checked: 3, low: [] });
    } finally {
      await own.close();
    }
  });
});

describe('130: interrupted', () => {
  it('Ctrl-C during a request stops at once with 130', async () => {
    // The request never gets an answer: only Ctrl-C can end the run.
    const srv = await holdServer();
    try {
      const child = spawn(process.execPath, [BIN, 'products', 'list'], {
        env: cleanEnv({ ...shop.env, ASTROSELL_BASE_URL: srv.url }),
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.stdin.end();
      const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      // Interrupt once the request is in flight: the server has it.
      await srv.arrived();
      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(stderr).toBe('error: interrupted\n');
    } finally {
      await srv.close();
    }
  });
});

describe('a second signal stops at once', () => {
  /**
   * A restock whose stock add never gets an answer: the first Ctrl-C lets it
   * wait for that request (it may have been stored), so only a second signal
   * can end the run before its --timeout.
   */
  async function restockInFlight() {
    const srv = await holdServer((req, res) => {
      if (req.method !== 'GET') return; // the stock add: held
      if (req.url?.startsWith('/api/v1/warehouses'))
        sendJson(res, 200, [
          { id: 'w1', name: 'Pool', count: 0, removeDuplicates: false, removeSold: false },
        ]);
      else sendJson(res, 200, []);
    });
    const cfg = tempDir();
    const input = join(cfg.dir, 'codes.txt');
    writeFileSync(input, 'A-1\nA-2\n');
    const { child, exited, stderr } = startBin(
      ['warehouses', 'restock', 'w1', input, '--batch-size', '1', '--timeout', '60'],
      {
        env: {
          ASTROSELL_BASE_URL: srv.url,
          ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
          ASTROSELL_CONFIG_DIR: join(cfg.dir, 'config'),
        },
      },
    );
    for (let i = 0; i < 400 && !srv.seen.some((l) => l.startsWith('POST')); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!srv.seen.some((l) => l.startsWith('POST')))
      throw new Error(`no stock add sent: ${stderr()}`);
    /** Still running `ms` after the last signal? */
    const running = (ms: number) =>
      Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), ms)),
      ]);
    const done = async () => {
      child.kill('SIGKILL');
      await srv.close();
      cfg.cleanup();
    };
    return { child, exited, running, stderr, done };
  }

  for (const [first, second] of [
    ['SIGINT', 'SIGINT'],
    ['SIGTERM', 'SIGTERM'],
  ] as const) {
    it(`${first}, then ${second} while a stock add is in flight: the run waits after the first, exits 130 at the second`, async () => {
      const run = await restockInFlight();
      try {
        run.child.kill(first);
        expect(await run.running(500), 'still waiting for the request in flight').toBe(true);
        run.child.kill(second);
        expect(await run.exited).toBe(130);
        expect(run.stderr()).toContain(
          'stopped at once; an interrupted restock continues with the same command and --resume',
        );
      } finally {
        await run.done();
      }
    }, 30_000);
  }

  it('a hang-up told twice (the shell, then the kernel) is one: the run goes on waiting; a Ctrl-C after it exits 129', async () => {
    const run = await restockInFlight();
    try {
      run.child.kill('SIGHUP');
      run.child.kill('SIGHUP');
      expect(await run.running(500), 'two hang-ups are not a second signal').toBe(true);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(129);
      expect(run.stderr()).toContain('stopped at once');
    } finally {
      await run.done();
    }
  }, 30_000);

  it('Ctrl-C, then the terminal closes: the hang-up is not a second Ctrl-C, the run goes on waiting', async () => {
    const run = await restockInFlight();
    try {
      run.child.kill('SIGINT');
      expect(await run.running(300)).toBe(true);
      run.child.kill('SIGHUP');
      expect(await run.running(500), 'a hang-up after Ctrl-C stopped the run at once').toBe(true);
    } finally {
      await run.done();
    }
  }, 30_000);
});

describe('errors are one line', () => {
  it('no stack trace unless --verbose', async () => {
    const r = await bin(['orders', 'get', 'AS-NOPE00'], { env: shop.env });
    expect(r.stderr).toBe('error: Order not found\n');
    const v = await bin(['orders', 'get', 'AS-NOPE00', '--verbose'], { env: shop.env });
    expect(v.code).toBe(4);
    expect(v.stderr).toContain('NotFoundError: Order not found');
    expect(v.stderr).toMatch(/^\s+at /m);
  });

  it('as a terminal, the error line is red unless colour is off', async () => {
    const r = await tty(['orders', 'get', 'AS-NOPE00'], { env: shop.env });
    expect(r.stderr).toBe('\u001b[31merror:\u001b[39m Order not found\n');
    for (const extra of [
      { args: ['--no-color'] },
      { env: { NO_COLOR: '1' } },
      { env: { FORCE_COLOR: '0' } },
    ]) {
      const plain = await tty(['orders', 'get', 'AS-NOPE00', ...(extra.args ?? [])], {
        env: { ...shop.env, ...extra.env },
      });
      expect(plain.stderr).toBe('error: Order not found\n');
    }
  });
});
