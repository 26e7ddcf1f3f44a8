// Shared pieces of the restock integration tests: a shop, warehouses made
// directly in its store, and a check that the pool, the unsent file and the
// uncertain file together hold the input exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { BIN, cleanEnv, ROOT, type RunResult, runMain, startBin, tempDir } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

export interface Shop extends TestShop {
  dir: string;
  /** A file in the shop's private temp folder. */
  file(name: string, content: string | Buffer): string;
  warehouse(opts?: { removeDuplicates?: boolean; removeSold?: boolean }): string;
  items(warehouseId: string): string[];
  /** A serials product drawing from the warehouse. */
  product(warehouseId: string, title?: string): string;
}

export async function shop(options: SandboxOptions = {}): Promise<Shop> {
  const base = await startTestShop({ empty: true, ...options });
  const tmp = tempDir('astrosell-restock-');
  return {
    ...base,
    dir: tmp.dir,
    file(name, content) {
      const p = join(tmp.dir, name);
      writeFileSync(p, content);
      return p;
    },
    warehouse(opts = {}) {
      return base.sandbox.store.createWarehouse({
        name: 'test pool',
        removeDuplicates: opts.removeDuplicates ?? true,
        removeSold: opts.removeSold ?? true,
        lowStockThreshold: null,
      }).id;
    },
    product(warehouseId, title = 'P') {
      return base.sandbox.store.createProduct({
        title,
        price: 1,
        type: 'serials',
        currency: 'USD',
        visibility: 'public',
        purchaseNote: null,
        warehouseId,
      }).id;
    },
    items(id) {
      return base.sandbox.store.warehouses.get(id)!.pool.list();
    },
    async close() {
      await base.close();
      tmp.cleanup();
    },
  };
}

/**
 * Start `astrosell <args>` with `text` piped on stdin and wait until the
 * warehouse holds at least `stored` serials, so the test can interrupt it.
 */
export async function startStdinRestock(
  s: Shop,
  warehouseId: string,
  args: string[],
  text: string,
  stored = 200,
): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv(s.env),
    cwd: ROOT,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin?.end(text);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  while (s.items(warehouseId).length < stored) await new Promise((r) => setTimeout(r, 10));
  return { child, exited };
}

/** A restock (any `astrosell` command) run by the built CLI as a child, its output collected. */
export function startRestock(
  s: Shop,
  args: string[],
  input?: string,
): { child: ChildProcess; done: Promise<RunResult> } {
  const { child, done } = startBin(args, { env: s.env, input: input ?? '' });
  return { child, done };
}

/** Waits until the warehouse holds at least `n` serials. */
export async function untilStored(s: Shop, warehouseId: string, n: number): Promise<void> {
  while (s.items(warehouseId).length < n) await new Promise((r) => setTimeout(r, 10));
}

export function serials(n: number, prefix = 'SER'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(7, '0')}`);
}

export function readUnsent(path: string | null | undefined): string[] {
  if (!path || !existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

/**
 * A proxy in front of the shop whose first stock add is processed, then
 * answered 500 (the answer lost), so the CLI reads the pool back;
 * `beforeReadBack` runs once, when that read-back arrives, before it is
 * answered (a sale, a setting switched in the dashboard, …).
 */
export async function lostAnswerProxy(s: Shop, beforeReadBack: () => void): Promise<FaultProxy> {
  let done = false;
  const proxy: FaultProxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: (n) => (n === 0 ? { kind: '5xx-after' } : { kind: 'ok' }),
    onPoolRead: () => {
      if (done || proxy.stockRequests === 0) return;
      done = true;
      beforeReadBack();
    },
  });
  return proxy;
}

/**
 * Restocks `input` into `target` through `url` (a fault proxy in front of the
 * shop's sandbox), 10 serials a request, in-process; then reads the unsent
 * and uncertain lists it wrote.
 */
export async function restockThrough(
  s: Shop,
  url: string,
  noun: 'warehouses' | 'products',
  target: string,
  input: readonly string[],
): Promise<{ r: RunResult; unsent: string[]; uncertain: string[] }> {
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const r = await runMain(
    [noun, 'restock', target, file, '--batch-size', '10', '--unsent-file', unsentPath, '--json'],
    { env: { ...s.env, ASTROSELL_BASE_URL: url }, timeoutMs: 30_000 },
  );
  return { r, unsent: readUnsent(unsentPath), uncertain: readUnsent(`${unsentPath}.uncertain`) };
}

/**
 * Every input serial is in the pool or the unsent file (or was delivered),
 * and none is stored twice. `delivered` serials may also be listed as unsent
 * when their fate could not be told (that is what "unknown" means).
 */
export function expectExactlyOnce(
  input: readonly string[],
  pool: readonly string[],
  unsent: readonly string[],
  delivered: readonly string[] = [],
  uncertain: readonly string[] = [],
): void {
  const stored = [...pool, ...delivered];
  const counts = new Map<string, number>();
  for (const s of stored) counts.set(s, (counts.get(s) ?? 0) + 1);
  const doubles = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  expect(doubles, 'stored twice').toEqual([]);
  const unsentSet = new Set(unsent);
  const storedAndUnsent = pool.filter((s) => unsentSet.has(s));
  expect(storedAndUnsent, 'in the pool and in the unsent file').toEqual([]);
  // Uncertain serials may be in the pool (that is what uncertain means), but not stored twice.
  const uncertainSet = new Set(uncertain);
  const missing = input.filter((s) => !counts.has(s) && !unsentSet.has(s) && !uncertainSet.has(s));
  expect(missing, 'lost').toEqual([]);
}

/** The counts of a restock summary (`--json`), as the tests read them. */
export interface SummaryCounts {
  lines: number;
  blank: number;
  rejected: number;
  duplicates: number;
  sent: number;
  added: number;
  droppedByPool: number;
  foundStored: number;
  soldDuringReconcile: number;
  unsent: number;
  uncertain: number;
  batches: number;
  unsentReasons: Record<string, number>;
  unsentFile: string;
  uncertainFile: string;
  thisRun?: Pick<
    SummaryCounts,
    'lines' | 'sent' | 'added' | 'droppedByPool' | 'foundStored' | 'unsent' | 'uncertain'
  >;
  [field: string]: unknown;
}

/**
 * Parse a restock's `--json` summary and check that it adds up: every line
 * is counted once (blank, rejected, duplicate, sent, unsent or uncertain);
 * every serial sent is added, dropped by the pool or found stored; the
 * unsent reasons count the unsent; a resumed run's own part adds up too.
 * A dry run sends nothing: what it would send stands in for sent.
 */
export function restockSummary(r: { stdout: string; stderr?: string }): SummaryCounts {
  let s: SummaryCounts;
  try {
    s = JSON.parse(r.stdout) as SummaryCounts;
  } catch {
    throw new Error(`no JSON summary on stdout:\n${r.stdout}\nstderr: ${r.stderr ?? ''}`);
  }
  const sent = s.dryRun === true ? (s.wouldSend as number) : s.sent;
  expect(
    s.blank + s.rejected + s.duplicates + sent + s.unsent + s.uncertain,
    `lines = blank + rejected + duplicates + sent + unsent + uncertain in ${r.stdout}`,
  ).toBe(s.lines);
  expect(
    s.added + s.droppedByPool + s.foundStored,
    `sent = added + droppedByPool + foundStored in ${r.stdout}`,
  ).toBe(s.sent);
  expect(s.soldDuringReconcile).toBeLessThanOrEqual(s.foundStored);
  const reasons = Object.values(s.unsentReasons ?? {}).reduce((a, b) => a + b, 0);
  expect(reasons, `unsentReasons add up to unsent in ${r.stdout}`).toBe(s.unsent);
  if (s.thisRun) {
    const t = s.thisRun;
    expect(t.added + t.droppedByPool + t.foundStored, 'thisRun: sent adds up').toBe(t.sent);
    for (const k of ['lines', 'sent', 'unsent', 'uncertain'] as const) {
      expect(t[k], `thisRun.${k} within the whole`).toBeLessThanOrEqual(s[k]);
      expect(t[k]).toBeGreaterThanOrEqual(0);
    }
  }
  return s;
}

/**
 * The time limit of a restock test that may take seconds on a loaded
 * machine. Under mutation testing (Stryker's workers), a mutant that makes
 * the run hang should fail the test within 15 s rather than a minute.
 */
export function slowTest(ms: number): number {
  return process.env.STRYKER_MUTATOR_WORKER === undefined ? ms : Math.min(ms, 15_000);
}

/** A request's whole body (the test proxies forward it). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
