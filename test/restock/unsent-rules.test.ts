// The unsent and uncertain lists (src/restock/unsent.ts) as files on disk:
// every serial listed whole, a deleted list never taken for one that holds
// its serials, what a deleted list held saved again readable only by its
// owner, and a list left empty at the end removed without fuss.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnsentFile } from '../../src/restock/unsent.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'astrosell-unsent-rules-'));
  dirs.push(d);
  return d;
}

describe('a list on disk', () => {
  it('lists a serial longer than a write whole, in its place among the others', () => {
    const d = folder();
    const long = 'L'.repeat(100_000);
    const list = new UnsentFile(join(d, 'u.txt'), 0);
    list.write(['A', long, 'B']);
    list.sync();
    list.close();
    expect(readFileSync(join(d, 'u.txt'), 'utf8')).toBe(`A\n${long}\nB\n`);
  });

  it('deleted after its serials went to disk: the next sync says so, even with nothing new to write', () => {
    const d = folder();
    const list = new UnsentFile(join(d, 'u.txt'), 0);
    list.write(['K1']);
    list.sync();
    rmSync(join(d, 'u.txt'));
    expect(() => list.sync()).toThrow(
      /cannot write the unsent file .*u\.txt: the file was deleted/,
    );
    list.close();
  });

  it('both lists deleted with their folder: each is saved again, readable only by its owner', () => {
    const d = folder();
    mkdirSync(join(d, 'out'));
    const recover = join(d, 'restock');
    const unsent = new UnsentFile(join(d, 'out', 'u.txt'), 0, 'unsent', recover);
    const uncertain = new UnsentFile(join(d, 'out', 'u.txt.uncertain'), 0, 'uncertain', recover);
    unsent.write(['N1']);
    uncertain.write(['U1']);
    rmSync(join(d, 'out'), { recursive: true });
    expect(() => unsent.sync()).toThrow(/saved in /);
    expect(() => uncertain.sync()).toThrow(/saved in /);
    const saved = readdirSync(recover).sort();
    expect(saved).toHaveLength(2);
    expect(saved.map((f) => readFileSync(join(recover, f), 'utf8'))).toEqual(['U1\n', 'N1\n']);
    for (const f of saved) expect(statSync(join(recover, f)).mode & 0o077).toBe(0);
    unsent.close();
    uncertain.close();
  });

  it('left empty at the end, it is removed; already gone, that is no error', () => {
    const d = folder();
    const kept = new UnsentFile(join(d, 'kept.txt'), 0);
    kept.write(['K1']);
    kept.removeIfEmpty();
    kept.close();
    expect(readFileSync(join(d, 'kept.txt'), 'utf8')).toBe('K1\n');
    // A resume that cut the stopped run's tail off: nothing left in it.
    const cut = new UnsentFile(join(d, 'kept.txt'), 0);
    rmSync(join(d, 'kept.txt'));
    expect(() => cut.removeIfEmpty()).not.toThrow();
  });
});
