// `orders list --history` reads the local history with the filters, formats
// and --fields of `orders list`, without the service's cap of 200; the
// default history file is one per profile or base URL under the config folder.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let tmp: { dir: string; cleanup: () => void };
let db: string;
/** Invoice ids bought in the test, oldest first. */
const bought: string[] = [];

function buy(n: number): void {
  const s = shop.sandbox.store;
  const product = [...s.products.values()].find((p) => p.type === 'file')!;
  for (let i = 0; i < n; i++) bought.push(s.purchase(product.id, 1, 'x@example.com').invoiceId);
}

const cli = (...args: string[]) => runBin(args, { env: shop.env });

beforeAll(async () => {
  shop = await startTestShop();
  tmp = tempDir('astrosell-history-list-');
  db = join(tmp.dir, 'h.sqlite');
  // Three syncs, each page overlapping the last: a history of more than 200.
  for (let round = 0; round < 3; round++) {
    expect((await cli('orders', 'sync', '--db', db)).code).toBe(0);
    buy(150);
  }
  expect((await cli('orders', 'sync', '--db', db)).code).toBe(0);
});
afterAll(async () => {
  await shop.close();
  tmp.cleanup();
});

describe('orders list --history', () => {
  it('lists every kept order, newest first, with no cap and no note about one', async () => {
    const r = await cli('orders', 'list', '--history', '--db', db, '--fields', 'invoiceId');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const ids = r.stdout.trim().split('\n');
    expect(ids.length).toBe(shop.sandbox.store.orders.size);
    expect(ids.slice(0, 3)).toEqual(bought.slice(-3).reverse());
  });

  it('without --history the same search says it saw only the newest 200, and how to see more', async () => {
    const r = await cli('orders', 'list', '--since', '2000-01-01', '--format', 'tsv');
    expect(r.stdout.trim().split('\n').length).toBe(200);
    expect(r.stderr).toMatch(/only the newest 200 orders were searched/);
    expect(r.stderr).toMatch(/orders sync.*--history/);
  });

  it('filters by time, status and product over the whole history', async () => {
    const store = shop.sandbox.store;
    const from = store.orders.get(bought[10]!)!.createdAt;
    const to = store.orders.get(bought[409]!)!.createdAt;
    const r = await cli(
      'orders',
      'list',
      '--history',
      '--db',
      db,
      '--since',
      from,
      '--until',
      to,
      '--format',
      'csv',
      '--fields',
      'invoiceId,status',
    );
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('invoiceId,status');
    expect(rows.length - 1).toBe(399);

    const pending = await cli(
      'orders',
      'list',
      '--history',
      '--db',
      db,
      '--status',
      'pending',
      '--json',
    );
    const want = [...store.orders.values()].filter((o) => o.status === 'pending').length;
    expect((JSON.parse(pending.stdout) as unknown[]).length).toBe(want);

    const product = store.orders.get(bought[0]!)!.productId;
    const mine = await cli(
      'orders',
      'list',
      '--history',
      '--db',
      db,
      '--product',
      product,
      '--json',
    );
    const all = [...store.orders.values()].filter((o) => o.productId === product).length;
    expect((JSON.parse(mine.stdout) as unknown[]).length).toBe(all);
  });

  it('takes any --limit; without --history the service cap stays a usage error', async () => {
    const r = await cli('orders', 'list', '--history', '--db', db, '--limit', '300', '--json');
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(300);
    const capped = await cli('orders', 'list', '--limit', '300');
    expect(capped.code).toBe(2);
    expect(capped.stderr).toMatch(/^error: --limit must be between 1 and 200/);
  });

  it('--db needs --history; a history never synced is named with the way to make it', async () => {
    const lone = await cli('orders', 'list', '--db', db);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toMatch(/^error: --db goes with --history/);
    const missing = join(tmp.dir, 'never.sqlite');
    const r = await cli('orders', 'list', '--history', '--db', missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: no order history at ${missing}\nhint: run \`astrosell orders sync\` first (with the same --db, profile or base URL)\n`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('a file that is not a history is one error line, and is left as it was', async () => {
    const other = join(tmp.dir, 'notes.txt');
    writeFileSync(other, 'not a database\n'.repeat(100));
    const r = await cli('orders', 'list', '--history', '--db', other);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot read the order history .*notes\.txt: .*\nhint: /);
    expect(readFileSync(other, 'utf8')).toBe('not a database\n'.repeat(100));
  });

  it('with the key from the environment, the default file is one per base URL in the config folder', async () => {
    expect((await cli('orders', 'sync')).code).toBe(0);
    const dir = join(shop.env.ASTROSELL_CONFIG_DIR!, 'history');
    const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite'));
    expect(files).toEqual([
      expect.stringMatching(/^url-127\.0\.0\.1-\d+-api-v1-[0-9a-f]{10}\.sqlite$/),
    ]);
    const r = await cli('orders', 'list', '--history', '--limit', '1', '--fields', 'invoiceId');
    expect(r.stdout.trim()).toBe(bought.at(-1));
  });
});
