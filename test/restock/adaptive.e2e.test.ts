// Batch sizes as users meet them: a restock grows its batches while the
// service answers quickly, learns the service's limit from its answers, and a
// resumed run goes on at the size it had reached. Exact at every size.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  restockSummary,
  type Shop,
  serials,
  shop,
  slowTest,
  startRestock,
  untilStored,
} from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('batch sizes that grow to what the service takes', () => {
  it('grows from small, learns the limit from a truncation, and stores every serial once', async () => {
    const s = await shop();
    open.push(s);
    // The service takes 3,000 lines a request; the pool keeps duplicates, so a
    // truncated answer says exactly how many lines it took.
    s.sandbox.setLimits({ maxLines: 3000 });
    const w = s.warehouse({ removeDuplicates: false, removeSold: false });
    const input = serials(20_000, 'GROW');
    const f = s.file('in.txt', `${input.join('\n')}\n`);
    const r = await runMain(['warehouses', 'restock', w, f, '--max-batch-size', '8000', '--json'], {
      env: s.env,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const sum = restockSummary(r) as unknown as Record<string, unknown> & { batches: number };
    // 500, 2,000, then 8,000 (the most asked for), truncated to 3,000.
    expect(sum.batchSizes).toMatchObject({ smallest: 500, largest: 8000 });
    expect((sum.batchSizes as { last: number }).last).toBeLessThanOrEqual(3000);
    expect(sum.batchCeiling).toBe(3000);
    // Far fewer requests than 40 batches of the first size.
    expect(sum.batches).toBeLessThan(20);
    expect(s.items(w)).toEqual(input);
  });

  it('--batch-size pins the size: no growth', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse();
    const input = serials(3000, 'PIN');
    const f = s.file('in.txt', `${input.join('\n')}\n`);
    const r = await runMain(['warehouses', 'restock', w, f, '--batch-size', '500', '--json'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(0);
    const sum = restockSummary(r) as unknown as Record<string, unknown>;
    expect(sum.batchSizes).toEqual({ smallest: 500, largest: 500, last: 500 });
    expect(sum.batches).toBe(6);
  });

  it(
    'a resumed run goes on at the size it had reached, not from the start',
    async () => {
      const s = await shop({ faults: { seed: 3, latencyMs: 15 } });
      open.push(s);
      const w = s.warehouse({ removeDuplicates: true, removeSold: false });
      const input = serials(60_000, 'RES');
      const f = s.file('in.txt', `${input.join('\n')}\n`);
      const args = ['warehouses', 'restock', w, f, '--max-batch-size', '4000'];
      const run = startRestock(s, args);
      await untilStored(s, w, 20_000);
      run.child.kill('SIGINT');
      expect((await run.done).code).toBe(130);
      const dir = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
      const journal = readdirSync(dir).find((n) => n.endsWith('.json'))!;
      const saved = JSON.parse(readFileSync(join(dir, journal), 'utf8')) as {
        sizing: { size: number };
      };
      expect(saved.sizing.size).toBe(4000);

      s.sandbox.setFaults({ latencyMs: 0 });
      const r = await runMain([...args, '--resume', '--json'], { env: s.env, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      const sum = restockSummary(r) as unknown as Record<string, unknown> & {
        thisRun: { lines: number; batches: number };
      };
      // At 4,000 a request from the first one (a unit's remainder may be smaller).
      expect(sum.batchSizes).toMatchObject({ largest: 4000 });
      expect(sum.thisRun.batches).toBeLessThanOrEqual(Math.ceil(sum.thisRun.lines / 4000) + 2);
      expectExactlyOnce(input, s.items(w), []);
    },
    slowTest(60_000),
  );
});

describe('--verbose shows the sizes used', () => {
  it('a line per stock add: its size, its time and what the service did with it', async () => {
    const s = await shop();
    open.push(s);
    s.sandbox.setLimits({ maxLines: 3000 });
    const w = s.warehouse({ removeDuplicates: false, removeSold: false });
    const input = serials(12_000, 'VERB');
    const f = s.file('in.txt', `${input.join('\n')}\n`);
    const r = await runMain(['warehouses', 'restock', w, f, '--verbose'], {
      env: s.env,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const adds = [
      ...r.stderr.matchAll(/^stock add: ([\d,]+) serials \([\d,]+ bytes\), [\d,]+ ms: (.*)$/gm),
    ].map((m) => ({ size: Number(m[1]!.replaceAll(',', '')), what: m[2]! }));
    // Growing from the start, one truncation at 4,000 (3,000 taken), then at most the limit.
    expect(adds.slice(0, 2).map((a) => a.size)).toEqual([1000, 4000]);
    expect(adds[1]!.what).toBe('added 3,000 (truncated: the rest was not stored)');
    expect(
      adds
        .slice(2)
        .every((a) => a.size <= 3000 && a.what === `added ${a.size.toLocaleString('en-US')}`),
    ).toBe(true);
    // Every request is there: the summary counts as many.
    expect(r.stderr).toMatch(new RegExp(`sent +12,000 in ${adds.length} requests`));
    expect(r.stderr).toMatch(
      /batch size +1,000 to 4,000 serials a request \(last [\d,]+\); the service takes at most 3,000/,
    );
    expect(s.items(w)).toEqual(input);
  });

  it('says when the sizes met no limit of the service', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse();
    const f = s.file('in.txt', `${serials(3000, 'FREE').join('\n')}\n`);
    const r = await runMain(['warehouses', 'restock', w, f, '--verbose'], { env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^stock add: 1,000 serials .*: added 1,000$/m);
    expect(r.stderr).toMatch(
      /batch size +1,000 to 2,000 serials a request \(last 2,000\); no limit of the service met/,
    );
  });
});
