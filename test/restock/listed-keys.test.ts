// A resume holds back every key the stopped runs listed as uncertain (in a
// pool that drops duplicates and sells keys off), read from that list as far
// as the journal says it was written, however long the list.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keysListedIn } from '../../src/restock/unsent.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('the keys a list holds, for a resume to hold back', () => {
  it('every serial of a list longer than one read, and none past what the journal counts', () => {
    const d = tempDir();
    dirs.push(d);
    const keys = Array.from({ length: 150_000 }, (_, i) => `KEY-é-${i}`);
    const text = `${keys.join('\n')}\n`;
    const path = join(d.dir, 'uncertain.txt');
    // A line written after the journal last counted the list's bytes.
    writeFileSync(path, `${text}LATER\n`);
    const held = keysListedIn(path, Buffer.byteLength(text));
    expect(held.size).toBe(keys.length);
    expect(keys.filter((k) => !held.has(k))).toEqual([]);
    expect(held.has('LATER')).toBe(false);
  });

  it('a list that is gone holds nothing (a resume refuses it anyway)', () => {
    expect(keysListedIn('/nonexistent/uncertain.txt', 100).size).toBe(0);
  });
});
