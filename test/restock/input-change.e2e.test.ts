// "What the run sends is what was checked": an input changed while the
// built CLI restocks it, against a sandbox held slow so the run is mid-way.
// A file renamed over keeps being read as checked; a file rewritten in place
// or grown stops the run, naming the file and the first line not sent, and
// nothing of the original input is lost or reported complete.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import {
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

async function slowShop(latencyMs: number): Promise<Shop> {
  const s = await shop({ faults: { latencyMs } });
  open.push(s);
  return s;
}

const text = (lines: readonly string[]) => `${lines.join('\n')}\n`;

/** Every serial of `stored` once, and nothing else. */
function expectStoredOnce(pool: readonly string[], expected: readonly string[]): void {
  expect(pool.length, 'stored twice or more than expected').toBe(new Set(pool).size);
  expect([...pool].sort()).toEqual([...expected].sort());
}

describe('an input changed during the restock', () => {
  it(
    'renamed over: the run goes on with the content it checked and completes exactly',
    async () => {
      const s = await slowShop(20);
      const w = s.warehouse();
      const input = serials(3000, 'ORIG');
      const f = s.file('in.txt', text(input));
      const run = startRestock(s, ['warehouses', 'restock', w, f, '--batch-size', '100', '--json']);
      await untilStored(s, w, 300);
      const other = s.file('other.txt', text(serials(3000, 'NEW')));
      renameSync(other, f);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(restockSummary(r)).toMatchObject({ status: 'complete', lines: input.length });
      expect(s.items(w)).toEqual(input);
    },
    slowTest(30_000),
  );

  it(
    'rewritten in place past its first block: stops naming file and line, exit 1, nothing of the original lost, never complete',
    async () => {
      // Two blocks of input; the second is read only after many batches.
      const s = await slowShop(100);
      const w = s.warehouse();
      const input = serials(150_000, 'ORIG');
      const f = s.file('in.txt', text(input));
      const unsent = join(s.dir, 'unsent.txt');
      const args = ['warehouses', 'restock', w, f, '--batch-size', '5000', '--unsent-file', unsent];
      const run = startRestock(s, [...args, '--json']);
      await untilStored(s, w, 5000);
      // The same size, other serials.
      writeFileSync(f, text(serials(150_000, 'EDIT')));
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      const named = new RegExp(
        `^error: ${f} changed during the restock \\(from line ([\\d,]+) on; its content differs from what was checked\\): the run stopped`,
      ).exec(r.stderr);
      expect(named, r.stderr).not.toBeNull();
      const firstNotSent = Number(named![1]!.replaceAll(',', '')) - 1;
      expect(firstNotSent).toBeGreaterThan(0);
      expect(restockSummary(r).status).not.toBe('complete');
      // Before the named line: each serial stored once or listed; from it on, the error names them.
      const listed = [...readUnsent(unsent), ...readUnsent(`${unsent}.uncertain`)];
      expectStoredOnce([...s.items(w), ...listed], input.slice(0, firstNotSent));
      // Resuming the changed file is refused; nothing more is sent.
      const stored = s.items(w).length;
      const again = await runBin([...args, '--resume'], { env: s.env });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`${f} changed since the interrupted restock`);
      expect(s.items(w).length).toBe(stored);
    },
    slowTest(60_000),
  );

  it(
    'grown by lines appended: every checked serial stored once, then a stop naming the first added line',
    async () => {
      const s = await slowShop(20);
      const w = s.warehouse();
      const input = serials(3000, 'ORIG');
      const f = s.file('in.txt', text(input));
      const run = startRestock(s, ['warehouses', 'restock', w, f, '--batch-size', '100', '--json']);
      await untilStored(s, w, 300);
      appendFileSync(f, text(serials(10, 'ADDED')));
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `error: ${f} changed during the restock (from line 3,001 on; it grew after it was checked)`,
      );
      expect(r.stderr).not.toMatch(/internal error/);
      expect(restockSummary(r).status).toBe('failed');
      expect(s.items(w)).toEqual(input);
    },
    slowTest(30_000),
  );
});
