// A list (unsent or uncertain file) deleted while the run writes to it, with
// its folder (a workspace cleaner, a CI reset): the run stops naming it, and
// what it held is saved again where the journal lives, so nothing is lost.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { UnsentFile } from '../../src/restock/unsent.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('a list deleted mid-run: the sync fails naming it, and its serials are saved beside the journal', () => {
  const d = mkdtempSync(join(tmpdir(), 'astrosell-list-'));
  dirs.push(d);
  mkdirSync(join(d, 'out'));
  const list = new UnsentFile(join(d, 'out', 'u.txt'), 0, 'uncertain', join(d, 'restock'));
  list.write(['K1', 'K3']);
  list.sync();
  rmSync(join(d, 'out'), { recursive: true });
  list.write(['K4']);
  expect(() => list.sync()).toThrow(
    /cannot write the uncertain file .*u\.txt: the file was deleted/,
  );
  const saved = readdirSync(join(d, 'restock'));
  expect(saved).toHaveLength(1);
  expect(readFileSync(join(d, 'restock', saved[0]!), 'utf8')).toBe('K1\nK3\nK4\n');
  list.close();
});
