// The settle policy's rules one case at a time (src/restock/policy.ts): which
// answers are believed, and what a read-back of a pool that keeps duplicates
// proves. The model test (policy.model.test.ts) checks the same rules against
// generated services; these are the cases an operator would name.
import { describe, expect, it } from 'vitest';
import {
  answeredPrefix,
  type Facts,
  judgeReadBack,
  nextSize,
  plausibleAnswer,
  type ReadBack,
} from '../../src/restock/policy.js';
import type { Sales } from '../../src/restock/sales.js';

const answer = (added: number, total: number, truncated = false, capped = false) => ({
  added,
  total,
  truncated,
  capped,
});

describe('an answer is believed only if the pool could have given it', () => {
  it('no pool stores more lines than were sent, a negative or fractional count, or ends smaller than what it added', () => {
    const impossible = [
      answer(11, 30), // 10 lines sent
      answer(-1, 30),
      answer(2.5, 30),
      answer(5, 4),
      answer(5, 30.5),
    ];
    for (const dedup of [true, false]) {
      for (const a of impossible)
        expect(plausibleAnswer(a, 10, dedup), JSON.stringify(a)).toBe(false);
      expect(plausibleAnswer(answer(10, 30), 10, dedup)).toBe(true);
    }
  });

  it('keeping duplicates, "truncated" or "capped" means some line was not stored', () => {
    expect(plausibleAnswer(answer(10, 30, true), 10, false)).toBe(false);
    expect(plausibleAnswer(answer(10, 30, false, true), 10, false)).toBe(false);
    expect(plausibleAnswer(answer(9, 30, true), 10, false)).toBe(true);
    // Dropping duplicates, a repeat explains a short count either way.
    expect(plausibleAnswer(answer(10, 30, true), 10, true)).toBe(true);
  });
});

describe('a read-back of a pool that keeps duplicates', () => {
  const keep = { dedup: false, removeSold: false };
  const batch = ['A', 'B', 'C'];
  /** The pool as read: `items`, oldest first; counts of the batch's serials. */
  const read = (items: string[]): ReadBack => ({
    size: items.length,
    counts: new Map(batch.map((s) => [s, items.filter((i) => i === s).length])),
    tail: items.slice(-batch.length),
  });
  const facts = (o: Partial<Facts> = {}): Facts => ({
    batch,
    mayStillLand: false,
    oneRequest: true,
    sizeBefore: 2,
    sales: undefined,
    ...o,
  });

  it('grown by exactly the first lines of the request: those are stored, the rest may be sent again', () => {
    const v = judgeReadBack(keep, read(['x', 'y', 'A', 'B']), facts());
    expect(v).toMatchObject({ stored: 2, resend: ['C'], uncertain: [], unexplained: false });
  });

  it('the rest is uncertain, not resent, while the request may still land', () => {
    const v = judgeReadBack(keep, read(['x', 'y', 'A']), facts({ mayStillLand: true }));
    expect(v).toMatchObject({ stored: 1, resend: [], uncertain: ['B', 'C'] });
  });

  it("a pool that shrank, or whose newest items are not the request's, is another writer: all uncertain", () => {
    for (const items of [['x'], ['x', 'y', 'Q'], ['x', 'y', 'B', 'A']]) {
      const v = judgeReadBack(keep, read(items), facts());
      expect(v.uncertain, items.join()).toEqual(batch);
      expect(v.stored).toBe(0);
      expect(v.unexplained).toBe(true);
    }
  });

  it('without the size before the request, or for serials of several requests, growth proves nothing', () => {
    for (const f of [facts({ sizeBefore: null }), facts({ oneRequest: false })]) {
      const v = judgeReadBack(keep, read(['x', 'y', 'A', 'B']), f);
      expect(v).toMatchObject({ stored: 0, resend: [], uncertain: batch, unexplained: false });
    }
  });

  it("without the size before the request, a pool holding just the request's first line proves nothing (it may be an older copy)", () => {
    const v = judgeReadBack(keep, read(['A']), facts({ sizeBefore: null }));
    expect(v).toMatchObject({ stored: 0, resend: [], uncertain: batch });
  });

  it('where sold keys leave the pool, a sale the size did not include could hide another writer: all uncertain', () => {
    const sellsOff = { dedup: false, removeSold: true };
    const sold = (delivered: number, whole = true): Sales => ({
      sold: new Set(),
      delivered,
      whole,
    });
    const grown = read(['x', 'y', 'A', 'B']);
    // No sale since the size was seen: the growth is the request's.
    expect(
      judgeReadBack(sellsOff, grown, facts({ sales: sold(3), deliveredBefore: 3 })),
    ).toMatchObject({
      stored: 2,
      resend: ['C'],
    });
    for (const f of [
      facts({ sales: sold(4), deliveredBefore: 3 }),
      facts({ sales: sold(3, false), deliveredBefore: 3 }),
      facts({ sales: undefined }),
    ]) {
      const v = judgeReadBack(sellsOff, grown, f);
      expect(v).toMatchObject({ stored: 0, resend: [], uncertain: batch, unexplained: false });
    }
  });
});

describe('a read-back of a pool that drops duplicates and sells keys off', () => {
  const pool = { dedup: true, removeSold: true };
  /** The pool holds A; B was delivered by an order of this run; C is nowhere. */
  const read: ReadBack = { size: 1, counts: new Map([['A', 1]]), tail: ['A'] };
  const sales = (whole: boolean): Sales => ({ sold: new Set(['B']), delivered: 1, whole });
  const facts = (o: Partial<Facts> = {}): Facts => ({
    batch: ['A', 'B', 'C'],
    mayStillLand: false,
    oneRequest: true,
    sizeBefore: null,
    sales: sales(true),
    ...o,
  });

  it('present: stored; delivered during the run: stored, then sold; neither: sent again', () => {
    expect(judgeReadBack(pool, read, facts())).toMatchObject({
      stored: 1,
      sold: 1,
      resend: ['C'],
      uncertain: [],
    });
  });

  it('with the orders window not seen whole, one neither present nor seen sold is uncertain', () => {
    const v = judgeReadBack(pool, read, facts({ sales: sales(false) }));
    expect(v).toMatchObject({ stored: 1, sold: 1, resend: [], uncertain: ['C'] });
  });

  it('while the request may still land, one seen delivered is uncertain (the copy sold may be an older one)', () => {
    const v = judgeReadBack(pool, read, facts({ mayStillLand: true }));
    expect(v).toMatchObject({ stored: 1, sold: 0, resend: [], uncertain: ['B', 'C'] });
  });
});

describe('a truncated or capped answer in a pool that keeps duplicates', () => {
  it('stored its first lines: the rest may be sent again, and no other writer is suspected', () => {
    const v = answeredPrefix(['A', 'B', 'C'], 1);
    expect(v).toMatchObject({ stored: 1, resend: ['B', 'C'], uncertain: [], unexplained: false });
  });
});

describe('batch sizes after a request that got no answer', () => {
  it('never reach that size again, even below a larger limit learned before', () => {
    let s = nextSize(
      { size: 20_000, ceiling: 50_000, max: 100_000, pinned: false },
      { kind: 'no-answer' },
    );
    const quick = { kind: 'clean', ms: 100, timeoutMs: 30_000, bodyBytes: 30_000 } as const;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      s = nextSize(s, quick);
      seen.push(s.size);
    }
    expect(Math.max(...seen)).toBeLessThan(20_000);
  });
});
