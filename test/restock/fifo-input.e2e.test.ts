// A named pipe given as an input file is refused at once (exit 2, "not a
// regular file", docs/restock.md "Reading the input"), even when nothing
// writes to it: the check must not wait for a writer. Opening a FIFO for
// reading blocks until one appears, and a process blocked there cannot run
// its Ctrl-C or SIGTERM handlers, so the command hung until SIGKILL.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { type Shop, shop } from './e2e.js';

let s: Shop;
let fifo: string;
beforeAll(async () => {
  s = await shop();
  fifo = join(s.dir, 'serials.fifo');
  if (process.platform !== 'win32') execFileSync('mkfifo', [fifo]);
});
afterAll(async () => {
  await s.close();
});

describe.skipIf(process.platform === 'win32')(
  'a named pipe with no writer as an input file',
  () => {
    const commands: Array<[string, (w: string) => string[]]> = [
      ['warehouses restock', (w) => ['warehouses', 'restock', w, fifo]],
      ['warehouses diff', (w) => ['warehouses', 'diff', w, fifo]],
      [
        'warehouses create --stock-file',
        () => ['warehouses', 'create', '--name', 'x', '--stock-file', fifo],
      ],
    ];
    for (const [what, args] of commands) {
      it(`${what}: exit 2 naming it, without waiting for a writer`, async () => {
        const w = s.warehouse();
        const r = await runBin(args(w), { env: s.env, timeoutMs: 8_000 });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^error: cannot read .*serials\.fifo: not a regular file$/m);
        expect(s.items(w)).toEqual([]);
      });
    }
  },
);
