// `orders sync` against the sandbox over HTTP, through the built CLI: what a
// cron job relies on. Idempotent, late changes seen, nothing kept that no
// feature needs, a gap said with its own exit code, two syncs at once, and a
// sync killed inside its transaction.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { BIN, cleanEnv, ROOT, runBin, tempDir } from '../helpers/cli.js';
import { buyOrders, startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let tmp: { dir: string; cleanup: () => void };
let db: string;

beforeEach(async () => {
  shop = await startTestShop();
  tmp = tempDir('astrosell-history-');
  db = join(tmp.dir, 'shop.sqlite');
});
afterEach(async () => {
  await shop.close();
  tmp.cleanup();
});

const sync = (...extra: string[]) =>
  runBin(['orders', 'sync', '--db', db, ...extra], { env: shop.env });
const history = async (...extra: string[]) => {
  const r = await runBin(['orders', 'list', '--history', '--db', db, '--json', ...extra], {
    env: shop.env,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
};

const buy = (n: number) => buyOrders(shop, n);

describe('orders sync', () => {
  it('stores every listed order once; a second sync adds nothing; the file is private', async () => {
    const first = await sync('--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    const count = shop.sandbox.store.orders.size;
    expect(report).toMatchObject({ added: count, total: count, gap: null });

    const again = await sync('--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, changed: 0, total: count });
    expect((await history()).length).toBe(count);
    if (process.platform !== 'win32') {
      for (const f of readdirSync(tmp.dir).filter((f) => f.startsWith('shop.sqlite'))) {
        expect(statSync(join(tmp.dir, f)).mode & 0o077).toBe(0);
      }
    }
  });

  it("keeps each order's JSON as sent, without its serials or the buyer's email", async () => {
    const id = shop.sandbox.store.purchase(
      [...shop.sandbox.store.products.values()].find(
        (p) => p.type === 'serials' && (shop.sandbox.store.poolOf(p)?.size ?? 0) > 0,
      )!.id,
      1,
      'private@example.com',
    ).invoiceId;
    expect((await sync()).code).toBe(0);
    const kept = (await history()).find((o) => o.invoiceId === id)!;
    const listed = (
      JSON.parse((await runBin(['orders', 'list', '--json'], { env: shop.env })).stdout) as Array<
        Record<string, unknown>
      >
    ).find((o) => o.invoiceId === id)!;
    expect((listed.deliveredItems as string[]).length).toBe(1);
    const { deliveredItems: _serials, ...rest } = listed;
    expect(kept).toEqual(rest);
    const bytes = spawnSync('grep', ['-c', (listed.deliveredItems as string[])[0]!, db]);
    expect(bytes.stdout.toString().trim()).toBe('0');
  });

  it('sees a refund and a completion of orders older than the newest page', async () => {
    expect((await sync()).code).toBe(0);
    const store = shop.sandbox.store;
    const pending = [...store.orders.values()].find((o) => o.status === 'pending')!;
    const completed = [...store.orders.values()].find((o) => o.status === 'completed')!;
    buy(195); // both now fall outside the newest page, which still overlaps the history
    pending.status = 'completed';
    completed.status = 'refunded';
    const r = await sync('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changed).toBe(2);
    const byId = new Map((await history()).map((o) => [o.invoiceId, o.status]));
    expect(byId.get(pending.invoiceId)).toBe('completed');
    expect(byId.get(completed.invoiceId)).toBe('refunded');
  });

  it('says when orders may be missing, with the window, and exits with its own code', async () => {
    expect((await sync()).code).toBe(0);
    const newestBefore = (await history())[0]!.createdAt as string;
    const ids = buy(230);
    const r = await sync();
    expect(r.code).toBe(EXIT_CODES.historyGap);
    const oldestOfPage = shop.sandbox.store.orders.get(ids[30]!)!.createdAt;
    expect(r.stderr).toContain(`between ${newestBefore} and ${oldestOfPage} may be missing`);
    // What could be read is stored all the same; the next sync overlaps and is clean.
    expect((await history()).map((o) => o.invoiceId)).toContain(ids[229]);
    expect((await sync()).code).toBe(0);
  });

  it('two syncs at once both finish, and no order is stored twice', async () => {
    buy(150);
    const [a, b] = await Promise.all([sync(), sync()]);
    // Each sync may wait for the other (it opens the file twice): each wait is one line.
    const quiet = (text: string) => text.replace(/^waiting for another astrosell .*\n/gm, '');
    expect([a.code, b.code, quiet(a.stderr), quiet(b.stderr)]).toEqual([0, 0, '', '']);
    const ids = (await history()).map((o) => o.invoiceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(shop.sandbox.store.orders.size);
  });

  it('a sync killed inside its transaction stores none of it, and blocks neither readers nor the next sync', async () => {
    expect((await sync()).code).toBe(0);
    const before = shop.sandbox.store.orders.size;
    buy(40);
    const child = spawn(process.execPath, [BIN, 'orders', 'sync', '--db', db], {
      env: cleanEnv({ ...shop.env, ASTROSELL_TEST_SYNC_PAUSE_MS: '20000' }),
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    let err = '';
    await new Promise<void>((resolve) =>
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        if (err.includes('paused in the transaction')) resolve();
      }),
    );
    // The journal holds the transaction's orders: as private as the history.
    if (process.platform !== 'win32') expect(statSync(`${db}-journal`).mode & 0o077).toBe(0);
    child.kill('SIGKILL');
    await exited;

    expect((await history()).length).toBe(before);
    const r = await sync('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 40, total: before + 40 });
  });

  it('a reader waits for a sync that holds the file, then reads', async () => {
    expect((await sync()).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'orders', 'sync', '--db', db], {
      env: cleanEnv({ ...shop.env, ASTROSELL_TEST_SYNC_PAUSE_MS: '1500' }),
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve) =>
      child.stderr!.on('data', (d: Buffer) => {
        if (d.toString().includes('paused')) resolve();
      }),
    );
    const r = await runBin(['orders', 'list', '--history', '--db', db, '--limit', '1'], {
      env: shop.env,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^waiting for another astrosell using .*shop\.sqlite \(pid \d+, orders sync\)/,
    );
    expect(await exited).toBe(0);
  });

  it('the file is plain SQLite, readable by the sqlite3 tool', async (t) => {
    if (spawnSync('sqlite3', ['-version']).status !== 0) t.skip();
    expect((await sync()).code).toBe(0);
    const r = spawnSync('sqlite3', [db, 'PRAGMA user_version; SELECT count(*) FROM orders;'], {
      encoding: 'utf8',
    });
    expect(r.stdout.trim().split('\n')).toEqual(['1', String(shop.sandbox.store.orders.size)]);
  });
});
