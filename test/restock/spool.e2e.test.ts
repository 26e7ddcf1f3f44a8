// The stdin spool (the only copy of piped serials) outlives an interrupted
// run: its journal refers to it, `--resume` reads it with nothing piped, a
// refused resume or another run's sweep leaves it, and it goes only when the
// restock completes. Built CLI, sandbox held slow so the run is mid-way.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  readUnsent,
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

function spools(s: Shop): string[] {
  const dir = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
  return readdirSync(dir).filter((n) => n.endsWith('.spool'));
}

/** A stdin restock stopped mid-way by Ctrl-C (SIGINT). */
async function interrupted(s: Shop, w: string, input: string[], args: string[]) {
  const run = startRestock(s, args, `${input.join('\n')}\n`);
  await untilStored(s, w, 300);
  run.child.kill('SIGINT');
  const r = await run.done;
  expect(r.code, r.stderr).toBe(130);
  expect(s.items(w).length).toBeLessThan(input.length);
  return r;
}

describe('stdin spool', () => {
  it(
    'Ctrl-C, then --resume with nothing piped: completes exactly from the saved copy, which then goes',
    async () => {
      const s = await shop({ faults: { latencyMs: 20 } });
      open.push(s);
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, 'PIPE');
      const args = ['warehouses', 'restock', w, '--batch-size', '100'];
      await interrupted(s, w, input, args);
      expect(spools(s)).toHaveLength(1);

      s.sandbox.setFaults({ latencyMs: 0 });
      const r = await runBin([...args, '--resume', '--json'], { env: s.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/saved copy of standard input .*standard input is not read/);
      expect(restockSummary(r)).toMatchObject({ resumed: true, lines: input.length, unsent: 0 });
      expect(s.items(w)).toEqual(input);
      expect(spools(s)).toEqual([]);
    },
    slowTest(30_000),
  );

  it(
    'a refused --resume keeps the saved copy; the right one completes from it',
    async () => {
      const s = await shop({ faults: { latencyMs: 20 } });
      open.push(s);
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, 'KEEP');
      const args = ['warehouses', 'restock', w, '--batch-size', '100'];
      await interrupted(s, w, input, args);
      const saved = spools(s);
      expect(saved).toHaveLength(1);

      const wrong = await runBin([...args, '--resume', '--remove-duplicates'], { env: s.env });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/ran without --remove-duplicates; resume it the same way/);
      expect(spools(s)).toEqual(saved);

      s.sandbox.setFaults({ latencyMs: 0 });
      const r = await runBin([...args, '--resume'], { env: s.env });
      expect(r.code, r.stderr).toBe(0);
      expect(s.items(w)).toEqual(input);
      expect(spools(s)).toEqual([]);
    },
    slowTest(30_000),
  );

  it(
    'a killed run’s spool survives the sweep of the next stdin restock; only spools of gone runs no journal names are swept',
    async () => {
      const s = await shop({ faults: { latencyMs: 20 } });
      open.push(s);
      // A pool that drops duplicates: the killed run's last batch can be resent safely.
      const w = s.warehouse({ removeDuplicates: true });
      const input = serials(2000, 'SPL');
      const args = ['warehouses', 'restock', w, '--batch-size', '40'];
      const run = startRestock(s, args, `${input.join('\n')}\n`);
      await untilStored(s, w, 200);
      run.child.kill('SIGKILL');
      await run.done;
      const dir = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
      const killed = spools(s);
      expect(killed).toHaveLength(1);
      const orphan = `stdin-${run.child.pid}-0badf00d.spool`;
      writeFileSync(join(dir, orphan), 'X\n');
      // A spool of a process still running (this test's) is left alone.
      const live = `stdin-${process.pid}-0badf00d.spool`;
      writeFileSync(join(dir, live), 'X\n');

      // Another stdin restock (another pool) sweeps.
      s.sandbox.setFaults({ latencyMs: 0 });
      const w2 = s.warehouse();
      const other = await runBin(['warehouses', 'restock', w2], { env: s.env, input: 'O1\n' });
      expect(other.code, other.stderr).toBe(0);
      expect(existsSync(join(dir, orphan))).toBe(false);
      expect(spools(s).sort()).toEqual([...killed, live].sort());

      const r = await runBin([...args, '--resume', '--json'], { env: s.env });
      // The killed run's last request may never have reached the service, or may land
      // later: its serials not found are uncertain (at most one batch), never resent.
      expect([0, 7], r.stderr).toContain(r.code);
      const sum = restockSummary(r);
      expect(sum).toMatchObject({ resumed: true, lines: input.length, unsent: 0 });
      expect(sum.uncertain).toBeLessThanOrEqual(40);
      expectExactlyOnce(input, s.items(w), [], [], readUnsent(sum.uncertainFile as string | null));
      // The restock ended (complete or not): its spool goes with its journal.
      expect(spools(s)).toEqual([live]);
    },
    slowTest(30_000),
  );
});
