// The counters across a stop and --resume: a restock killed hard (SIGKILL)
// or interrupted (SIGINT) mid-way, then resumed, on a pool that drops
// duplicates. The pool must hold every serial once, the pool and the unsent
// file together the input, and the resumed run's summary must add up and
// agree with what the pool gained.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSummary } from '../../src/commands/restock-summary.js';
import type { Context } from '../../src/context.js';
import { emptyCounters } from '../../src/restock/journal.js';
import { runPart, summaryOf } from '../../src/restock/summary.js';
import { BIN, cleanEnv, ROOT, runMain } from '../helpers/cli.js';
import { expectExactlyOnce, readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('counters across a stop and --resume', () => {
  for (const how of ['SIGKILL', 'SIGINT'] as const) {
    it(`after ${how}: every serial stored once, and the resumed summary adds up`, async () => {
      const s = await shop({ faults: { seed: 9, latencyMs: 15 } });
      open.push(s);
      const w = s.warehouse({ removeDuplicates: true });
      const input = serials(3000, `RC${how}`);
      const f = s.file('rc.txt', `${input.join('\n')}\n`);
      const unsentPath = join(s.dir, 'rc-unsent.txt');
      const args = ['warehouses', 'restock', w, f, '--batch-size', '25'];
      const child = spawn(process.execPath, [BIN, ...args, '--unsent-file', unsentPath], {
        env: cleanEnv(s.env),
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      while (s.items(w).length < 600) await new Promise((r) => setTimeout(r, 5));
      child.kill(how);
      const code = await exited;
      if (how === 'SIGINT') expect(code).toBe(130);
      const before = s.items(w).length;
      expect(before).toBeLessThan(3000);

      s.sandbox.setFaults({ latencyMs: 0 });
      const r = await runMain([...args, '--resume', '--json'], { env: s.env, timeoutMs: 30_000 });
      // SIGKILL: the request in flight may never have reached the service, or may land
      // later; its serials not found on resume are uncertain, never resent.
      if (how === 'SIGKILL' && r.code === 7) {
        const uncertain = readUnsent(`${unsentPath}.uncertain`);
        expect(uncertain.length).toBeGreaterThan(0);
        expect(uncertain.length).toBeLessThanOrEqual(25);
        expectExactlyOnce(input, s.items(w), readUnsent(unsentPath), [], uncertain);
        return;
      }
      expect(r.code, r.stderr).toBe(0);
      const sum = restockSummary(r);
      const pool = s.items(w);
      const unsent = readUnsent(unsentPath);

      // The pool holds every serial exactly once; pool + unsent file = input.
      expect(new Set(pool).size).toBe(pool.length);
      expectExactlyOnce(input, pool, unsent);
      expect(pool.length + unsent.length).toBe(input.length);
      expect(pool).toEqual(input);

      // The summary covers the whole restock and every line once.
      expect(sum).toMatchObject({ resumed: true, status: 'complete', lines: 3000, unsent: 0 });
      expect(sum.blank + sum.rejected + sum.duplicates + sum.sent + sum.unsent).toBe(sum.lines);
      expect(sum.sent).toBe(3000);
      expect(sum.poolTotal).toBe(pool.length);
      // Stored by this restock into an empty pool: what the service said it
      // added, plus what was found stored after an answer was lost (the batch
      // in flight when the first run stopped).
      expect(sum.added + sum.foundStored).toBe(pool.length);

      // This run's own part: what its requests added is what the pool gained.
      const t = sum.thisRun!;
      expect(t.added).toBe(pool.length - before);
      expect(t.sent).toBeLessThanOrEqual(sum.sent);
      expect(t.lines).toBeGreaterThanOrEqual(3000 - before);
      expect(t.sent).toBe(t.lines); // no blank lines, no repeats, nothing unsent
    }, 40_000);
  }

  it('the text summary of a resumed run says the counts include the earlier run', () => {
    const start = emptyCounters();
    Object.assign(start, { lines: 1000, sent: 1000, added: 1000 });
    const now = emptyCounters();
    Object.assign(now, { lines: 3000, sent: 3000, added: 2900, foundStored: 100 });
    let text = '';
    const ctx = {
      globals: { json: false },
      io: { stderr: { write: (x: string) => (text += x) } },
    } as unknown as Context;
    const summary = summaryOf({ kind: 'warehouse', id: 'w1' }, now, {
      dryRun: false,
      durationMs: 1000,
      status: 'complete',
      poolTotal: 3000,
      batchSize: 25,
      resumed: true,
      startCounters: start,
    });
    expect(summary.thisRun).toEqual(runPart(now, start));
    writeSummary(ctx, summary, false);
    expect(text).toMatch(/complete \(resumed; counts include the earlier run/);
    expect(text).toMatch(/sent +3,000 in 0 requests \(2,000\/s\)/);
    expect(text).toMatch(/found stored +100 \(no answer said so; found in the pool on read-back\)/);
    expect(text).toMatch(
      /this run +2,000 lines settled: sent 2,000, added 1,900, already in the pool 0, found stored 100, unsent 0/,
    );
  });
});
