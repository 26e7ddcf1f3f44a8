// A run whose final sums do not add up (an engine counting bug) must not
// report itself finished: it exits with the internal error and keeps its
// journal, the only record of what was stored, so `restocks list` still
// shows the restock and --resume / abandon still have something to work from.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../src/restock/ledger.js';
import { runMain } from '../helpers/cli.js';
import { type Shop, shop } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('final sums', () => {
  it('counts that do not add up: internal error (exit 1), and the journal is kept', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse();
    const f = s.file('in.txt', 'K1\nK2\nK3\n');
    // A counting bug: one unit's commit counts a serial added that was not sent.
    const commit = Ledger.prototype.commit;
    vi.spyOn(Ledger.prototype, 'commit').mockImplementationOnce(function (
      this: Ledger,
      ...args: Parameters<Ledger['commit']>
    ) {
      commit.apply(this, args);
      this.state.counters.added += 1;
    });
    const r = await runMain(['warehouses', 'restock', w, f, '--batch-size', '2'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/internal error: 3 input lines/);
    const list = await runMain(['restocks', 'list', '--json'], { env: s.env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ target: { kind: 'warehouse', id: w } }]);
  });
});
