// --unsent-file is checked before anything is sent: a directory, a device, a
// missing folder, a non-empty file, or one of the inputs are refused (exit 2).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type Shop, serials, shop } from './e2e.js';

let s: Shop;
beforeAll(async () => {
  s = await shop();
});
afterAll(async () => {
  await s.close();
});

describe('--unsent-file', () => {
  const cases: Array<[string, (dir: string, input: string, empty: string) => string, RegExp]> = [
    ['a directory', (dir) => dir, /error: the unsent file .+ is a directory\nhint: .*unsent\.txt/],
    ['a device', () => '/dev/null', /error: the unsent file \/dev\/null is not a regular file/],
    [
      'in a missing folder',
      (dir) => join(dir, 'no-such-folder', 'unsent.txt'),
      /error: the folder of the unsent file .+ does not exist/,
    ],
    ['an input file', (_d, input) => input, /error: the unsent file .+ is also an input/],
    ['an empty input file', (_d, _i, empty) => empty, /error: the unsent file .+ is also an input/],
    [
      'a non-empty file',
      (dir) => {
        const p = join(dir, 'old-unsent.txt');
        writeFileSync(p, 'X\n');
        return p;
      },
      /error: the unsent file .+ already exists and is not empty/,
    ],
  ];
  for (const [what, path, message] of cases) {
    it(`refuses ${what}, sending nothing`, async () => {
      // A pool that fits half the input: without the check, serials would go unsent.
      s.sandbox.setLimits({ maxPool: 50 });
      const w = s.warehouse({ removeDuplicates: false });
      const dir = join(s.dir, `case-${what.replace(/\W+/g, '-')}`);
      mkdirSync(dir);
      const input = s.file(`${what}-in.txt`, serials(100, 'UF').join('\n'));
      const empty = s.file(`${what}-empty.txt`, '');
      const r = await runMain(
        ['warehouses', 'restock', w, input, empty, '--unsent-file', path(dir, input, empty)],
        { env: s.env },
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(s.items(w)).toEqual([]);
    });
  }
});
