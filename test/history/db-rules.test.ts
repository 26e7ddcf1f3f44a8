// The history file as an operator relies on it: private, refused with one
// line when missing, foreign, newer or in use, all-or-nothing writes, and
// what it answers to the commands that read it (stats, status, --days,
// orders list --history).

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/clock.js';
import { History, type OrderRow, SCHEMA_VERSION } from '../../src/history/db.js';
import { runMain, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let file: string;
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempDir('astrosell-history-db-');
  file = join(tmp.dir, 'h.sqlite');
  // Reading the history needs no service: an address nothing answers on.
  env = {
    ASTROSELL_API_KEY: 'nsk_test_0000000000000000',
    ASTROSELL_BASE_URL: 'http://127.0.0.1:9',
    ASTROSELL_CONFIG_DIR: join(tmp.dir, 'config'),
  };
});
afterEach(() => tmp.cleanup());

const open = (create = true, waitMs = 1_000) =>
  History.open(file, { create, label: 'test', clock: systemClock, waitMs });

const row = (invoiceId: string, o: Partial<OrderRow> = {}): OrderRow => ({
  invoiceId,
  json: JSON.stringify({ invoiceId, ...o }),
  createdAt: null,
  status: null,
  productId: null,
  productTitle: null,
  quantity: null,
  total: null,
  currency: null,
  gateway: null,
  delivered: null,
  ...o,
});

async function withHistory<T>(fn: (h: History) => T): Promise<T> {
  const h = await open();
  try {
    return fn(h);
  } finally {
    h.close();
  }
}

const store = (rows: OrderRow[]) => withHistory((h) => h.transaction(() => h.upsert(rows, 0)));

const readHistory = (...extra: string[]) =>
  runMain(['orders', 'list', '--history', '--db', file, '--json', ...extra], { env });

/** A one-line error, a hint, the failure exit code, no stack. */
function refused(r: { code: number; stderr: string }, error: string, hint: RegExp): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(`error: ${error}`);
  expect(lines[1]).toMatch(hint);
  expect(lines.length).toBe(2);
}

describe('opening the history file', () => {
  it('a missing history is an error naming the file, with the sync to run; nothing is created', async () => {
    const r = await readHistory();
    refused(r, `no order history at ${file}`, /^hint: run `astrosell orders sync` first/);
    expect(existsSync(file)).toBe(false);
  });

  it('a history file others could read is made private (0600) when opened', async (t) => {
    if (process.platform === 'win32') t.skip();
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    await withHistory(() => undefined);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('--db naming a folder is refused with one line saying so, to a reader and to a sync', async () => {
    mkdirSync(file);
    const said = `the order history ${file} is a folder, not a file`;
    refused(await readHistory(), said, /^hint: pass a file with --db/);
    await expect(open()).rejects.toThrow(said);
    expect(existsSync(`${file}.astrosell-lock`)).toBe(false);
  });

  it('a file that is not an SQLite database is refused with one line, and left as it was', async () => {
    const text = 'order,total\nAS-1,10\n'.repeat(200);
    writeFileSync(file, text, { mode: 0o600 });
    const r = await readHistory();
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^error: cannot (open|read) the order history ${file}: `));
    expect(lines[1]).toBe(
      'hint: is it an SQLite file written by astrosell? pass another file with --db',
    );
    expect(lines.length).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(text);
    // Refused, not held: no lock left behind, and the next try says the same, not "in use".
    expect(existsSync(`${file}.astrosell-lock`)).toBe(false);
    expect((await readHistory()).stderr.split('\n')[0]).toBe(lines[0]);
  });

  it('an SQLite file written by a newer astrosell is refused, naming its version, and left as it was', async () => {
    const newer = SCHEMA_VERSION + 1;
    const db = new Database(file);
    db.exec(`CREATE TABLE future (x); PRAGMA user_version = ${newer}`);
    db.close();
    const bytes = readFileSync(file);
    const r = await readHistory();
    refused(
      r,
      `the order history ${file} has schema version ${newer}, newer than this astrosell knows (${SCHEMA_VERSION})`,
      /^hint: upgrade astrosell/,
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect((await readHistory()).stderr.split('\n')[0]).toBe(r.stderr.split('\n')[0]);
  });

  it('a <file>.lock that is not the empty folder SQLite leaves is named and left alone', async () => {
    await store([row('AS-1')]);
    mkdirSync(`${file}.lock`);
    writeFileSync(join(`${file}.lock`, 'keep'), 'mine');
    const r = await readHistory();
    refused(
      r,
      `cannot open the order history ${file}: ${file}.lock is in the way (ENOTEMPTY)`,
      /^hint: .*move it away/,
    );
    expect(readFileSync(join(`${file}.lock`, 'keep'), 'utf8')).toBe('mine');
  });

  it('in use by a live astrosell: says once that it waits, then stops naming the holder', async () => {
    await store([row('AS-1')]);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
      stdio: 'ignore',
    });
    try {
      writeFileSync(`${file}.astrosell-lock`, `${holder.pid} 0123456789abcdef orders sync\n`);
      // The minute's wait passes at once: each sleep moves this clock on a lot.
      let now = systemClock.now();
      const clock: Clock = {
        now: () => now,
        sleep: async (ms) => {
          now += 100 * ms;
        },
      };
      const r = await runMain(['orders', 'list', '--history', '--db', file], { env, clock });
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `waiting for another astrosell using ${file} (pid ${holder.pid}, orders sync)…`,
        `error: the order history ${file} is in use by another astrosell (pid ${holder.pid}, orders sync)`,
        'hint: try again when it ends; a sync from cron should not overlap the next one',
      ]);
      // Without anyone told, it still waits, then stops the same way.
      await expect(
        History.open(file, { create: false, label: 'test', clock, waitMs: 200 }),
      ).rejects.toThrow(`is in use by another astrosell (pid ${holder.pid}, orders sync)`);
      // A holder that did not say what it does is named by its pid alone.
      writeFileSync(`${file}.astrosell-lock`, `${holder.pid} 0123456789abcdef\n`);
      await expect(
        History.open(file, { create: false, label: 'test', clock, waitMs: 200 }),
      ).rejects.toThrow(new RegExp(`is in use by another astrosell \\(pid ${holder.pid}\\)$`));
    } finally {
      holder.kill();
    }
  });
});

describe('writes', () => {
  it('a transaction that fails stores none of it, and the history stays usable', async () => {
    await withHistory((h) => {
      expect(() =>
        h.transaction(() => {
          h.upsert([row('AS-1'), row('AS-2')], 0);
          throw new Error('stopped');
        }),
      ).toThrow('stopped');
      expect(h.count()).toBe(0);
      h.transaction(() => h.upsert([row('AS-3')], 0));
      expect(h.count()).toBe(1);
    });
  });

  it('an order is added once; the same again changes nothing; a changed one is updated in place', async () => {
    await withHistory((h) => {
      const first = row('AS-1', { status: 'pending', createdAt: '2026-06-01T10:00:00Z' });
      expect(h.transaction(() => h.upsert([first, row('AS-2')], 1))).toEqual({
        added: 2,
        changed: 0,
      });
      expect(h.transaction(() => h.upsert([first, row('AS-2')], 2))).toEqual({
        added: 0,
        changed: 0,
      });
      const done = row('AS-1', { status: 'completed', createdAt: '2026-06-01T10:00:00Z' });
      expect(h.transaction(() => h.upsert([done], 3))).toEqual({ added: 0, changed: 1 });
      expect(h.count()).toBe(2);
      expect(h.orders({ status: 'completed' }).map((o) => o.invoiceId)).toEqual(['AS-1']);
      expect(h.orders({ status: 'pending' })).toEqual([]);
      expect(h.openIds()).toEqual([]);
    });
  });
});

describe('what the history answers', () => {
  it('known: which of these orders it holds; openIds: the kept pending and processing ones', async () => {
    await store([
      row('AS-1', { status: 'pending' }),
      row('AS-2', { status: 'processing' }),
      row('AS-3', { status: 'completed' }),
      row('AS-4', { status: 'refunded' }),
    ]);
    await withHistory((h) => {
      expect([...h.known(['AS-3', 'AS-9', 'AS-1'])].sort()).toEqual(['AS-1', 'AS-3']);
      expect(h.known(['AS-9']).size).toBe(0);
      expect(h.openIds().sort()).toEqual(['AS-1', 'AS-2']);
    });
  });

  it('newest: the latest creation time kept (as sent); none while no order has a readable one', async () => {
    await withHistory((h) => expect(h.newest()).toBeUndefined());
    await store([row('AS-0'), row('AS-X', { createdAt: 'not a time' })]);
    await withHistory((h) => expect(h.newest()).toBeUndefined());
    await store([
      row('AS-1', { createdAt: '2026-06-03T10:00:00+02:00' }),
      row('AS-2', { createdAt: '2026-06-03T09:00:00Z' }),
      row('AS-3', { createdAt: '2026-06-01T00:00:00Z' }),
    ]);
    await withHistory((h) => expect(h.newest()).toBe('2026-06-03T09:00:00Z'));
  });

  it("start: the oldest order of the first sync's newest page; lastSync: when the last sync wrote", async () => {
    await withHistory((h) => {
      expect(h.start()).toBeUndefined();
      expect(h.lastSync()).toBeUndefined();
      const none = { added: 0, changed: 0 };
      h.recordSync(1_000, 0, none, undefined, undefined); // an empty shop: no page yet
      expect(h.start()).toBeUndefined();
      expect(h.lastSync()).toBe(1_000);
      h.recordSync(2_000, 3, none, undefined, '2026-06-01T00:00:00Z');
      h.recordSync(3_000, 3, none, undefined, '2026-06-05T00:00:00Z');
      expect(h.start()).toBe('2026-06-01T00:00:00Z');
      expect(h.lastSync()).toBe(3_000);
    });
  });

  it('sales: units sold per product id and title, unknown ones as null (not a product named "")', async () => {
    await store([
      row('AS-1', { createdAt: '2026-06-01T00:00:00Z', status: 'completed', quantity: 2 }),
      row('AS-2', {
        createdAt: '2026-06-01T00:00:00Z',
        status: 'completed',
        productId: 'p1',
        productTitle: 'Key',
        quantity: 3,
      }),
    ]);
    await withHistory((h) => {
      const sales = h.sales(0);
      expect(sales).toContainEqual({ productId: null, productTitle: null, sold: 2 });
      expect(sales).toContainEqual({ productId: 'p1', productTitle: 'Key', sold: 3 });
    });
  });

  it('facts: an order missing a field still counts, its product named by title, else id, else "unknown"', async () => {
    const at = (d: number) => `2026-06-0${d}T00:00:00Z`;
    await store([
      row('AS-1', { createdAt: at(1) }),
      row('AS-2', { createdAt: at(2), productId: 'p2' }),
      row('AS-3', { createdAt: at(3), productId: 'p3', productTitle: 'Card' }),
      row('AS-4', {
        createdAt: at(4),
        status: 'completed',
        currency: 'EUR',
        total: 7.5,
        gateway: 'stripe',
      }),
    ]);
    await withHistory((h) => {
      const facts = h.facts(Date.parse(at(1)), Date.parse(at(4)) + 1);
      expect(facts.map((f) => f.product)).toEqual(['unknown', 'p2', 'Card', 'unknown']);
      const bare = facts[0]!;
      expect([bare.status, bare.currency, bare.total, bare.gateway]).toEqual([
        'unknown',
        '?',
        0,
        'unknown',
      ]);
      const full = facts[3]!;
      expect([full.status, full.currency, full.total, full.gateway]).toEqual([
        'completed',
        'EUR',
        7.5,
        'stripe',
      ]);
      expect(h.facts(Date.parse(at(2)), Date.parse(at(4))).map((f) => f.at)).toEqual([
        Date.parse(at(2)),
        Date.parse(at(3)),
      ]);
    });
  });

  it('orders: newest first; since inclusive, until exclusive, status, product by id or by title, limit', async () => {
    const at = (d: number) => `2026-06-0${d}T00:00:00Z`;
    await store([
      row('AS-1', { createdAt: at(1), status: 'completed', productId: 'p1', productTitle: 'Key' }),
      row('AS-2', { createdAt: at(2), status: 'pending', productTitle: 'Key' }),
      row('AS-3', { createdAt: at(3), status: 'completed', productTitle: 'Card' }),
      row('AS-4', { createdAt: at(4), status: 'completed', productId: 'p2', productTitle: 'Key' }),
    ]);
    await withHistory((h) => {
      const ids = (q: Parameters<History['orders']>[0]) => h.orders(q).map((o) => o.invoiceId);
      expect(ids({})).toEqual(['AS-4', 'AS-3', 'AS-2', 'AS-1']);
      expect(ids({ sinceMs: Date.parse(at(2)), untilMs: Date.parse(at(4)) })).toEqual([
        'AS-3',
        'AS-2',
      ]);
      expect(ids({ status: 'completed', limit: 2 })).toEqual(['AS-4', 'AS-3']);
      // p1 by id; a title-only order by its title; another product of that title is not p1's.
      expect(ids({ product: { id: 'p1', title: 'Key' } })).toEqual(['AS-2', 'AS-1']);
      expect(ids({ product: { id: 'p9', title: undefined } })).toEqual([]);
    });
  });
});
