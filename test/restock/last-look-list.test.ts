// After the last look (src/restock/recheck.ts), the uncertain file is
// rewritten to hold only the serials still uncertain: whole, private,
// renamed over the old list (a crash leaves the old list, still true). None
// left: the file goes, so no empty list is left for an operator to read.
// The last look itself, against a pool: last-look.e2e.test.ts.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceList } from '../../src/restock/recheck.js';
import { tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let list: string;
beforeEach(() => {
  tmp = tempDir('astrosell-last-look-');
  list = join(tmp.dir, 'uncertain.txt');
  writeFileSync(list, 'A\nB\nC\nD\nE\n');
});
afterEach(() => tmp.cleanup());

describe('the uncertain file after the last look', () => {
  it('holds exactly the serials still uncertain, a line each, the longer old list gone whole', () => {
    replaceList(list, ['B', 'E']);
    expect(readFileSync(list, 'utf8')).toBe('B\nE\n');
  });

  it('is private to its owner, and nothing else is left beside it', () => {
    replaceList(list, ['B']);
    expect(statSync(list).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.dir)).toEqual(['uncertain.txt']);
  });

  it('goes when every serial was found: no empty list is left', () => {
    replaceList(list, []);
    expect(existsSync(list)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('a list already gone stays gone', () => {
    replaceList(join(tmp.dir, 'never.txt'), []);
    expect(readdirSync(tmp.dir)).toEqual(['uncertain.txt']);
  });
});
