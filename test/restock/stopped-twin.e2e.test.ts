// A stopped restock is resumed, or given up; it is never silently started
// over. A fresh run of the same serials into the same pool is refused even
// when the file has another name or folder (a copy, a new CI job folder) or
// names the pool through its product: it would send the stopped run's
// stored part again.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Shop, serials, shop } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe('a fresh run over a stopped one with the same serials', () => {
  it('is refused under another file name and through the product; after abandon it runs', async () => {
    const s = await shop();
    open.push(s);
    // A pool that keeps duplicates: a resent part would be stored twice.
    const w = s.warehouse({ removeDuplicates: false, removeSold: false });
    const product = s.product(w);
    // The second add is rate-limited: the run stops after the first, resumable.
    const plan = (n: number): StockFault =>
      n === 2 ? { kind: 'refuse', status: 429 } : { kind: 'ok' };
    const proxy = await startFaultProxy({ upstream: s.sandbox.url, plan });
    open.push(proxy);
    const input = serials(300, 'TWIN');
    const first = s.file('serials.txt', `${input.join('\n')}\n`);
    const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url, ASTROSELL_MAX_RETRIES: '0' };
    const restock = (noun: string, id: string, file: string) =>
      runMain([noun, 'restock', id, file, '--batch-size', '100'], { env });

    const stopped = await restock('warehouses', w, first);
    expect(stopped.stderr).toMatch(/--resume/);
    const stored = s.items(w).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(input.length);

    const copy = join(s.dir, 'job-2-serials.txt');
    copyFileSync(first, copy);
    for (const [noun, id] of [
      ['warehouses', w],
      ['products', product],
    ] as const) {
      const again = await restock(noun, id, copy);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        /^error: an interrupted restock of the same serials into this pool was not finished: [0-9a-f]{24} \(journal \S+\)\n/,
      );
      // The hint says how the stopped run was started: through the warehouse, from the first file.
      expect(again.stderr).toContain(`(astrosell warehouses restock ${w} ${first} --resume)`);
      expect(again.stderr).toContain('restocks abandon');
    }
    expect(s.items(w)).toHaveLength(stored);

    const key = /finished: ([0-9a-f]{24})/.exec((await restock('warehouses', w, copy)).stderr)![1]!;
    expect((await runMain(['restocks', 'abandon', key], { env })).code).toBe(0);
    const fresh = await restock('warehouses', w, copy);
    expect(fresh.stderr).not.toMatch(/interrupted restock of the same serials/);
    // The operator chose to start over: the pool now holds the first part twice.
    expect(s.items(w).length).toBeGreaterThan(stored);
  });
});
