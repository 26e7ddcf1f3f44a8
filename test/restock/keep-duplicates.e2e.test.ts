// A pool that keeps duplicates and already holds a serial of the input: when
// the batch carrying it is truncated, the copy found in the pool is the old
// one, and the input's copy must still be stored (not taken as stored).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('truncated batch, pool keeping duplicates', () => {
  it('a serial the pool already held is stored again, not taken for stored', async () => {
    const s = await shop({ maxLines: 30 });
    open.push(s);
    const w = s.warehouse({ removeDuplicates: false });
    const input = serials(100, 'KD');
    const old = input[70]!;
    s.sandbox.store.warehouses.get(w)!.pool.add([old], false, 1000);
    const f = s.file('kd.txt', input.join('\n'));
    const unsentPath = join(s.dir, 'kd-unsent.txt');
    const r = await runMain(
      ['warehouses', 'restock', w, f, '--batch-size', '100', '--unsent-file', unsentPath, '--json'],
      { env: s.env },
    );
    expect(r.code, r.stderr).toBe(0);
    const pool = s.items(w);
    expect(pool.filter((x) => x === old)).toHaveLength(2);
    expect(pool).toHaveLength(101);
    expect([...pool].sort()).toEqual([...input, old].sort());
    expect(readUnsent(unsentPath)).toEqual([]);
    expect(restockSummary(r)).toMatchObject({
      lines: 100,
      sent: 100,
      unsent: 0,
      poolTotal: 101,
    });
  });
});
