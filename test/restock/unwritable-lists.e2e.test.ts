// A list that cannot be written mid-run, for real: the built CLI under a file
// size limit (`ulimit -f`), so the unsent file stops growing part-way. The
// run must stop naming that file (not the journal), keep the journal, and say
// where the serials it could not list are; once the cause is fixed, --resume
// stores every serial exactly once or lists it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
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

it(
  'the unsent file hits the file size limit: named in the error; after the fix --resume loses nothing, stores nothing twice',
  async () => {
    const s = await shop();
    open.push(s);
    // A pool that keeps duplicates: a resend of what was stored would store it twice.
    const w = s.warehouse({ removeDuplicates: false, removeSold: false });
    // Full after 500: the other 1,500 serials (16.5 KB) are for the unsent file, limited to 8 KiB.
    s.sandbox.setLimits({ maxPool: 500 });
    const input = serials(2000, 'UL');
    const file = s.file('in.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'unsent.txt');
    const args = [
      'warehouses',
      'restock',
      w,
      file,
      '--batch-size',
      '100',
      '--unsent-file',
      unsentPath,
    ];

    const first = await runBin([...args, '--json'], { env: s.env, fileLimitKiB: 8 });
    expect(first.code, first.stderr).toBe(1);
    const error = first.stderr.split('\n').find((l) => l.startsWith('error: '));
    const hint = first.stderr.split('\n').find((l) => l.startsWith('hint: '));
    expect(error).toMatch(
      new RegExp(
        `^error: cannot write the unsent file ${unsentPath}: EFBIG \\(file too large\\); `,
      ),
    );
    expect(error).not.toContain('journal could not be updated');
    // The unit the pool refused is listed; the 1,400 after it could not be, and the error says where they are.
    expect(error).toContain(`100 serials not stored (100 pool full) are listed in ${unsentPath}`);
    expect(error).toContain(
      `1,400 serials not yet sent could not be listed in ${unsentPath}: they are among the serials of input lines 601–2,000, which --resume still covers (the journal was kept)`,
    );
    expect(hint).toMatch(
      new RegExp(
        `^hint: once ${unsentPath} can be written again, run the same command with --resume`,
      ),
    );
    expect(hint).toContain('the lists are incomplete, so do not restock them instead');
    expect(restockSummary(first)).toMatchObject({
      status: 'failed',
      sent: 500,
      unsent: 100,
      notSent: 1400,
      unlisted: { notSent: 1400, inflight: 0 },
    });
    // Whole lines only: the write that did not fit was taken back.
    expect(readFileSync(unsentPath, 'utf8')).toBe(`${input.slice(500, 600).join('\n')}\n`);
    expect(s.items(w)).toEqual(input.slice(0, 500));

    // The cause fixed (no limit; room in the pool): the resume goes on from the journal.
    s.sandbox.setLimits({ maxPool: 100_000 });
    const resumed = await runBin([...args, '--json', '--resume'], { env: s.env });
    expect(resumed.code, resumed.stderr).toBe(7);
    expect(restockSummary(resumed)).toMatchObject({
      status: 'partial',
      lines: 2000,
      sent: 1900,
      unsent: 100,
      uncertain: 0,
    });
    const unsent = readUnsent(unsentPath);
    expect(new Set(unsent).size).toBe(unsent.length);
    expectExactlyOnce(input, s.items(w), unsent);
    expect(unsent.length + s.items(w).length).toBe(input.length);
  },
  slowTest(60_000),
);

// Once, the write that stored only part of what it was given was not
// continued: the rest of standard input was dropped, the part restocked, exit 0.
it('piped serials that cannot be saved before sending (a full disk, a size limit): one line naming the folder, nothing sent, no partial copy left', async () => {
  const s = await shop();
  open.push(s);
  const w = s.warehouse();
  const input = serials(2000, 'SP');
  const r = await runBin(['warehouses', 'restock', w, '-'], {
    env: s.env,
    input: `${input.join('\n')}\n`,
    fileLimitKiB: 8,
  });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(
    /^error: cannot save standard input in \S+restock: EFBIG; nothing was sent\nhint: a restock keeps piped serials in a file before sending them; /,
  );
  expect(s.items(w)).toEqual([]);
  const folder = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
  expect(readdirSync(folder).filter((f) => f.endsWith('.spool'))).toEqual([]);
});
