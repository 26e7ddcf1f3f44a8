// `orders list` filters and `orders watch`, against the sandbox: new orders
// are the sandbox's simulated purchases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/sandbox/index.js';
import { runners } from '../../cli/guard.js';
import { startMain } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const env = () => shop.env;

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

/** A simulated purchase, as POST /sandbox/purchase makes it (over HTTP unless rate-limited). */
async function buy(productId: string, email = 'watcher@example.com', http = true): Promise<string> {
  if (!http) return shop.sandbox.store.purchase(productId, 1, email).invoiceId;
  const res = await fetch(`${shop.sandbox.url}/sandbox/purchase`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ productId, email }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { invoiceId: string }).invoiceId;
}

/** Starts `orders watch` in-process: its stdout lines as they come, and Ctrl-C. */
function watch(args: string[], extraEnv: Record<string, string> = {}) {
  const run = startMain(['orders', 'watch', ...args], { env: { ...env(), ...extraEnv } });
  return {
    next: () => run.nextLine(),
    stderrMatches: run.stderrMatches,
    stop: () => run.stop(),
    exited: () => run.done,
  };
}

describe('orders watch', () => {
  it('--json: each new order once, as one JSON object per line; Ctrl-C is exit 130', async () => {
    // --since now: an order bought before the first poll is printed too (no race with it).
    const w = watch(['--interval', '100ms', '--json', '--since', new Date().toISOString()]);
    const a = await buy(DEMO.products.netflix1m);
    const first = JSON.parse(await w.next());
    expect(first.invoiceId).toBe(a);
    expect(first.deliveredItems).toHaveLength(1);
    const b = await buy(DEMO.products.steam20);
    expect(JSON.parse(await w.next()).invoiceId).toBe(b);
    const { code, stderr } = await w.stop();
    expect(code).toBe(130);
    // Stopping is how a watch ends: a plain summary line, no error line.
    expect(stderr).toMatch(/^Stopped watching; 2 new orders printed\.\n$/m);
    expect(stderr).not.toMatch(/error:/);
  });

  it('piped: a tab-separated line per order; --since replays; --max-orders stops with 0', async () => {
    const w = watch(['--since', '2026-06-20', '--max-orders', '2']);
    const lines = [await w.next(), await w.next()];
    expect((await w.exited()).code).toBe(0);
    // Oldest first, the service's tsv columns.
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['AS-9LA6SY', 'AS-2QF4TG']);
  });

  it('keeps polling through 429s, backing off, and still prints the order', async () => {
    shop.sandbox.setLimits({ rateLimit: { requests: 2, perMs: 1000 } });
    try {
      const w = watch(
        [
          '--interval',
          '100ms',
          '--format',
          'ndjson',
          '--fields',
          'invoiceId,status',
          '--since',
          new Date().toISOString(),
        ],
        {
          ASTROSELL_MAX_RETRIES: '0',
        },
      );
      // Rate limited at least once before the order exists.
      await w.stderrMatches(/polling again in \d/);
      const a = await buy(DEMO.products.netflix1m, 'watcher@example.com', false);
      expect(JSON.parse(await w.next())).toEqual({ invoiceId: a, status: 'completed' });
      const { code, stderr } = await w.stop();
      expect(code).toBe(130);
      expect(stderr).toMatch(/polling again in \d/);
    } finally {
      shop.sandbox.setLimits({ rateLimit: null });
    }
  });

  it('a bad --interval or --since is exit 2', async () => {
    expect((await piped(['orders', 'watch', '--interval', 'often'], { env: env() })).code).toBe(2);
    expect((await piped(['orders', 'watch', '--since', 'yesterday'], { env: env() })).code).toBe(2);
  });

  it("terminal: the list's columns, a row per order", async () => {
    const r = await tty(['orders', 'watch', '--since', '2026-06-21', '--max-orders', '1'], {
      env: { ...env(), NO_COLOR: '1' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INVOICE +PRODUCT +TOTAL +STATUS +GATEWAY/);
    expect(r.stdout).toMatch(/AS-2QF4TG +4K Wallpaper Pack +€2\.00 +completed +paypal +0 /);
  });
});

describe('orders list filters', () => {
  it('--since/--until select by creation date (a bare --until day counts whole)', async () => {
    const r = await piped(['orders', 'list', '--since', '2026-06-19', '--until', '2026-06-20'], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['AS-9LA6SY', 'AS-3JU8VX']);
  });

  it('--product and --email (each order fetched for its email); --json keeps the objects', async () => {
    const id = await buy(DEMO.products.spotify, 'Someone@Example.com');
    const r = await piped(
      [
        'orders',
        'list',
        '--email',
        'someone@example.com',
        '--product',
        DEMO.products.spotify,
        '--json',
      ],
      { env: env() },
    );
    const body = JSON.parse(r.stdout);
    expect(body.map((o: { invoiceId: string }) => o.invoiceId)).toEqual([id]);
    expect(body[0].customerEmail).toBe('Someone@Example.com');
    const other = await piped(
      ['orders', 'list', '--product', DEMO.products.netflix1m, '--format', 'csv'],
      {
        env: env(),
      },
    );
    const rows = other.stdout.trimEnd().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain('Netflix Premium 1 Month');
  });

  it('a search cut by the 200 cap says so on stderr', async () => {
    const big = await startTestShop();
    try {
      for (let i = 0; i < 205; i++)
        big.sandbox.store.purchase(DEMO.products.setupService, 1, 'x@example.com');
      const r = await piped(['orders', 'list', '--since', '2020-01-01', '--limit', '3'], {
        env: big.env,
      });
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
      expect(r.stderr).toMatch(/only the newest 200 orders were searched/);
      const plain = await piped(['orders', 'list', '--since', '2020-01-01'], { env: env() });
      expect(plain.stderr).toBe('');
    } finally {
      await big.close();
    }
  });
});
