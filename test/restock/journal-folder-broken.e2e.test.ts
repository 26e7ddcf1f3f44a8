// The journal's folder breaks mid-run, for real: while a stock add is on its
// way, something replaces <config>/restock by a file (a full or unmounted
// disk, a clean-up script). The next journal write fails; the run must stop
// the way the promise says — the summary, a one-line error naming the
// journal, the serials not yet sent listed in the unsent file (kept
// elsewhere, writable) — and once the folder is back, --resume must store
// every serial exactly once.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, restockSummary, serials, shop } from './e2e.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

it('the journal folder replaced by a file mid-run: the run stops naming the journal, lists what it did not send; --resume stores the rest once', async () => {
  const s = await shop();
  open.push(s);
  // A pool that keeps duplicates: a resend of what was stored would store it twice.
  const w = s.warehouse({ removeDuplicates: false, removeSold: false });
  const folder = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
  const proxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: () => ({ kind: 'ok' }),
    onStock: (n) => {
      if (n !== 1) return;
      renameSync(folder, `${folder}.away`);
      writeFileSync(folder, 'not a folder');
    },
  });
  open.push(proxy);
  const input = serials(20, 'JF');
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url };
  const args = ['warehouses', 'restock', w, file, '--batch-size', '5', '--unsent-file', unsentPath];

  const first = await runBin([...args, '--json'], { env });
  expect(first.code, first.stderr).toBe(1);
  const error = first.stderr.split('\n').find((l) => l.startsWith('error: '));
  expect(error).toMatch(/^error: cannot write the restock journal .*: ENOTDIR/);
  expect(restockSummary(first)).toMatchObject({ status: 'failed', sent: 10 });
  // The two units after the one stored with the failed commit were never sent: listed.
  expect(readUnsent(unsentPath)).toEqual(input.slice(10));

  // Fixed: the folder is back. The resume settles the unit whose commit failed without resending it.
  rmSync(folder);
  renameSync(`${folder}.away`, folder);
  const resumed = await runBin([...args, '--json', '--resume'], { env });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(restockSummary(resumed)).toMatchObject({ status: 'complete', sent: 20, uncertain: 0 });
  expectExactlyOnce(
    input,
    s.items(w),
    readUnsent(unsentPath),
    [],
    readUnsent(`${unsentPath}.uncertain`),
  );
  expect(s.items(w)).toHaveLength(20);
});
