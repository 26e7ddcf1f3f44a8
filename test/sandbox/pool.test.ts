import { describe, expect, it } from 'vitest';
import { parseStock, SerialPool } from '../../src/sandbox/index.js';

describe('parseStock', () => {
  it('splits on \\n, strips \\r and surrounding spaces, skips blanks, keeps case', () => {
    const r = parseStock('\uFEFFA-1\r\n  b-2  \n\n \t \r\nC 3\r\n', 10);
    expect(r).toEqual({ serials: ['A-1', 'b-2', 'C 3'], truncated: false });
  });

  it('counts only non-blank lines toward the limit', () => {
    expect(parseStock('a\n\n\nb\n\nc', 2)).toEqual({ serials: ['a', 'b'], truncated: true });
    expect(parseStock('a\n\n\nb\n\n', 2)).toEqual({ serials: ['a', 'b'], truncated: false });
  });
});

describe('SerialPool', () => {
  it('drops duplicates against the pool and within a batch', () => {
    const p = new SerialPool(['A']);
    expect(p.add(['A', 'B', 'B', 'C'], true, 100)).toEqual({ added: 2, capped: false });
    expect(p.list()).toEqual(['A', 'B', 'C']);
  });

  it('keeps duplicates without dedup and forgets one copy per sale', () => {
    const p = new SerialPool();
    p.add(['A', 'A', 'B'], false, 100);
    expect(p.take(1, true)).toEqual(['A']);
    expect(p.has('A')).toBe(true);
    expect(p.take(1, true)).toEqual(['A']);
    expect(p.has('A')).toBe(false);
    expect(p.list()).toEqual(['B']);
  });

  it('refuses what does not fit under the cap, in order', () => {
    const p = new SerialPool(['A']);
    expect(p.add(['B', 'A', 'C', 'D'], true, 3)).toEqual({ added: 2, capped: true });
    expect(p.list()).toEqual(['A', 'B', 'C']);
    // Only duplicates left over: nothing was refused for size.
    expect(p.add(['A', 'B'], true, 3)).toEqual({ added: 0, capped: false });
  });

  it('sells from the front and compacts without losing order', () => {
    const p = new SerialPool(Array.from({ length: 5000 }, (_, i) => `S${i}`));
    expect(p.take(3000, true)).toHaveLength(3000);
    expect(p.size).toBe(2000);
    expect(p.list()[0]).toBe('S3000');
    expect(p.add(['S0', 'S4999'], true, 10_000)).toEqual({ added: 1, capped: false });
    expect(p.list().at(-1)).toBe('S0');
  });

  it('takes a 10k batch into a 200k pool (correctness only; timing lives in the bench)', () => {
    const p = new SerialPool(Array.from({ length: 200_000 }, (_, i) => `K${i}`));
    const batch = Array.from({ length: 10_000 }, (_, i) => `K${195_000 + i}`);
    expect(p.add(batch, true, 1_000_000)).toEqual({ added: 5000, capped: false });
    expect(p.size).toBe(205_000);
  });
});
