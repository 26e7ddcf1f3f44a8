// The batch-size policy (policy.ts nextSize): grow while the service answers
// quickly and cleanly, never past what it is known to take, and shrink when
// it says a batch was too much or an answer took too long.
import { describe, expect, it } from 'vitest';
import { firstSize, MAX_BODY_BYTES, nextSize, type Sizing } from '../../src/restock/policy.js';

const growing = (size: number, over: Partial<Sizing> = {}): Sizing => ({
  size,
  ceiling: null,
  max: 100_000,
  pinned: false,
  ...over,
});
const quick = { kind: 'clean', ms: 100, timeoutMs: 30_000, bodyBytes: 30_000 } as const;

describe('batch sizes', () => {
  it('start at 1,000, or smaller when a small maximum is asked for (so growth still shows)', () => {
    expect(firstSize(100_000)).toBe(1000);
    expect(firstSize(64)).toBe(4);
    expect(firstSize(1)).toBe(1);
  });

  it('quadruple after an answer far within the timeout, up to the maximum', () => {
    let s = growing(1000);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      s = nextSize(s, quick);
      seen.push(s.size);
    }
    expect(seen).toEqual([4000, 16_000, 64_000, 100_000, 100_000, 100_000]);
  });

  it('double only, after an answer that took over a sixteenth of the timeout or a large body', () => {
    expect(nextSize(growing(1000), { ...quick, ms: 2000 }).size).toBe(2000);
    expect(nextSize(growing(1000), { ...quick, bodyBytes: MAX_BODY_BYTES / 4 + 1 }).size).toBe(
      2000,
    );
  });

  it('never grow past what the service is known to take', () => {
    expect(nextSize(growing(40_000, { ceiling: 50_000 }), quick).size).toBe(50_000);
  });

  it('a pinned size (--batch-size) does not grow, and a timeout does not shrink it', () => {
    const pinned = growing(500, { pinned: true });
    expect(nextSize(pinned, quick)).toEqual(pinned);
    expect(nextSize(pinned, { kind: 'no-answer' })).toEqual(pinned);
  });

  it('a 413 halves the size and remembers the limit, pinned or not', () => {
    expect(nextSize(growing(64_000), { kind: 'too-large' })).toMatchObject({
      size: 32_000,
      ceiling: 32_000,
    });
    expect(nextSize(growing(10, { pinned: true }), { kind: 'too-large' }).size).toBe(5);
  });

  it('a truncation that says how many lines were taken learns exactly that; one that does not halves', () => {
    expect(nextSize(growing(128_000), { kind: 'truncated', accepted: 100_000 })).toMatchObject({
      size: 100_000,
      ceiling: 100_000,
    });
    expect(nextSize(growing(8000), { kind: 'truncated', accepted: 3000 })).toMatchObject({
      size: 3000,
      ceiling: 3000,
    });
    expect(nextSize(growing(8000), { kind: 'truncated', accepted: null }).size).toBe(4000);
  });

  it('a slow answer stops growth; one over half the timeout halves the size; no answer halves it', () => {
    const s = growing(20_000);
    expect(nextSize(s, { ...quick, ms: 10_000 }).size).toBe(20_000);
    expect(nextSize(s, { ...quick, ms: 16_000 }).size).toBe(10_000);
    expect(nextSize(s, { kind: 'no-answer' })).toMatchObject({ size: 10_000, ceiling: 10_000 });
  });

  it('a body near our size limit does not grow', () => {
    const big = { ...quick, bodyBytes: MAX_BODY_BYTES / 2 + 1 };
    expect(nextSize(growing(90_000), big).size).toBe(90_000);
  });

  it('never below one serial', () => {
    expect(nextSize(growing(1), { kind: 'too-large' }).size).toBe(1);
    expect(nextSize(growing(1), { kind: 'no-answer' }).size).toBe(1);
  });
});
