// Serials known not stored (the pool is full) and serials whose outcome is
// unknown (a 502 in a pool that keeps duplicates: absent on read-back, but
// the service may still store them, so they are not resent) go to two
// different files: the unsent file can be restocked as is, the uncertain one
// must be checked against the pool first.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hurriedClock, runMain } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
  slowTest,
} from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function faultyShop(): Promise<Shop> {
  const s = await shop({ maxPool: 600, faults: { seed: 3, errorRate: 0.3, latencyMs: 1 } });
  open.push(s);
  return s;
}

describe('unsent and uncertain files', () => {
  it(
    'a capped serial goes to the unsent file, one of unknown outcome to the uncertain file',
    async () => {
      const s = await faultyShop();
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(1000, 'UNC');
      const f = s.file('in.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'u.txt');
      const r = await runMain(
        [
          'warehouses',
          'restock',
          w,
          f,
          '--batch-size',
          '50',
          '--unsent-file',
          unsentPath,
          '--json',
        ],
        { env: s.env, timeoutMs: 50_000, clock: hurriedClock },
      );
      expect(r.code, r.stderr).toBe(7);
      const summary = restockSummary(r);
      const pool = s.items(w);
      const unsent = readUnsent(unsentPath);
      const uncertainPath = `${unsentPath}.uncertain`;
      const uncertain = readUnsent(uncertainPath);
      expect(summary).toMatchObject({
        status: 'partial',
        lines: 1000,
        unsentFile: unsentPath,
        uncertainFile: uncertainPath,
      });
      expect(summary.unsent).toBeGreaterThan(0);
      expect(summary.uncertain).toBeGreaterThan(0);
      expect(unsent).toHaveLength(summary.unsent);
      expect(uncertain).toHaveLength(summary.uncertain);
      expect(summary.sent + summary.unsent + summary.uncertain).toBe(1000);
      expect(summary.unsentReasons).toEqual({ 'pool full': summary.unsent });
      expectExactlyOnce(input, pool, [...unsent, ...uncertain]);
      // The two lists are apart, and the unsent one holds nothing the pool has.
      const inUncertain = new Set(uncertain);
      expect(unsent.filter((x) => inUncertain.has(x))).toEqual([]);
      const inPool = new Set(pool);
      expect(unsent.filter((x) => inPool.has(x))).toEqual([]);
      expect(statSync(unsentPath).mode & 0o777).toBe(0o600);
      expect(statSync(uncertainPath).mode & 0o777).toBe(0o600);
      // The error line names both files; the hint says what to do with each.
      expect(r.stderr).toMatch(
        /error: [\d,]+ serials were not stored \([\d,]+ pool full\); they are listed in .*u\.txt; [\d,]+ serials may or may not have been stored \(outcome unknown\); they are listed in .*u\.txt\.uncertain/,
      );
      expect(r.stderr).toMatch(
        /hint: the unsent file can be restocked once the pool has room; the uncertain serials may still be stored by a request the service has not finished; once it can no longer matter, list those missing from the pool \(astrosell warehouses diff \S+ \S+ --show missing\) and restock only those/,
      );
    },
    slowTest(60_000),
  );

  it(
    'by default both files are in the config folder, named unsent-… and uncertain-…',
    async () => {
      const s = await faultyShop();
      const w = s.warehouse({ removeDuplicates: false });
      const f = s.file('in.txt', serials(1000, 'DEF').join('\n'));
      const r = await runMain(['warehouses', 'restock', w, f, '--batch-size', '50', '--json'], {
        env: s.env,
        timeoutMs: 50_000,
        clock: hurriedClock,
      });
      expect(r.code, r.stderr).toBe(7);
      const summary = restockSummary(r);
      expect(basename(summary.unsentFile)).toMatch(/^unsent-.+\.txt$/);
      expect(summary.uncertainFile).toBe(
        join(
          dirname(summary.unsentFile),
          basename(summary.unsentFile).replace(/^unsent-/, 'uncertain-'),
        ),
      );
      expect(existsSync(summary.uncertainFile)).toBe(true);
      expect(readUnsent(summary.uncertainFile)).toHaveLength(summary.uncertain);
    },
    slowTest(60_000),
  );
});
