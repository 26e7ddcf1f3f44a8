import { describe, expect, it } from 'vitest';
import { HashSet128, hash128 } from '../../src/restock/hashset.js';

describe('HashSet128', () => {
  it('adds once, knows what it holds, and grows', () => {
    const set = new HashSet128(4);
    for (let i = 0; i < 50_000; i++) expect(set.add(`S-${i}`)).toBe(true);
    for (let i = 0; i < 50_000; i++) expect(set.add(`S-${i}`)).toBe(false);
    expect(set.size).toBe(50_000);
    expect(set.has('S-123')).toBe(true);
    expect(set.has('S-50000')).toBe(false);
  });

  it('tells apart strings that differ only in length or late characters', () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    hash128('A', a);
    hash128('A\u0000', b);
    expect([...a]).not.toEqual([...b]);
    const set = new HashSet128();
    for (const s of ['', 'a', 'aa', 'aaaaaaaaa', 'aaaaaaaab', '日本', '日本語']) {
      expect(set.add(s)).toBe(true);
    }
  });
});
