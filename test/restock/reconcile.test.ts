// The pure classification of a batch whose answer did not say what was stored.
import { describe, expect, it } from 'vitest';
import {
  classifyAnsweredPrefix,
  classifyDedup,
  classifyKeepDup,
  storedPrefix,
} from '../../src/restock/reconcile.js';
import type { Sales } from '../../src/restock/sales.js';

const counts = (pool: readonly string[]) => {
  const m = new Map<string, number>();
  for (const s of pool) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
};
/** A read-back of `pool` (oldest first), as PoolScanner reports it. */
const scan = (pool: readonly string[], tailSize = pool.length) => ({
  counts: counts(pool),
  tail: pool.slice(Math.max(0, pool.length - tailSize)),
  size: pool.length,
});
const sales = (sold: string[], whole = true): Sales => ({ sold: new Set(sold), whole });
const NONE = sales([]);
const BLIND = sales([], false);

describe('classifyDedup', () => {
  const cases: Array<{
    name: string;
    batch: string[];
    pool: string[];
    sales: Sales | undefined;
    want: { stored: number; sold: number; absent: string[]; unknown: string[] };
  }> = [
    {
      name: 'sold keys stay: present is stored, absent is not stored',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a', 'c'],
      sales: undefined,
      want: { stored: 2, sold: 0, absent: ['b'], unknown: [] },
    },
    {
      name: 'window seen whole, nothing sold: absent is not stored',
      batch: ['a', 'b'],
      pool: ['a'],
      sales: NONE,
      want: { stored: 1, sold: 0, absent: ['b'], unknown: [] },
    },
    {
      name: 'delivered by an order of this run: stored then sold',
      batch: ['a', 'b', 'c'],
      pool: ['a'],
      sales: sales(['b']),
      want: { stored: 1, sold: 1, absent: ['c'], unknown: [] },
    },
    {
      name: 'window not whole: absent and not seen sold is unknown',
      batch: ['a', 'b', 'c'],
      pool: ['a'],
      sales: sales(['b'], false),
      want: { stored: 1, sold: 1, absent: [], unknown: ['c'] },
    },
    {
      name: 'window not whole, all present: nothing unknown',
      batch: ['a', 'b'],
      pool: ['b', 'a'],
      sales: BLIND,
      want: { stored: 2, sold: 0, absent: [], unknown: [] },
    },
    {
      name: 'present wins over sold (present again after a sale and a re-add)',
      batch: ['a'],
      pool: ['a'],
      sales: sales(['a']),
      want: { stored: 1, sold: 0, absent: [], unknown: [] },
    },
    {
      name: 'a repeat in the batch is stored once and dropped once: both count stored',
      batch: ['a', 'a', 'b'],
      pool: ['a'],
      sales: undefined,
      want: { stored: 2, sold: 0, absent: ['b'], unknown: [] },
    },
    {
      name: 'empty pool, empty sales: everything absent, in batch order',
      batch: ['c', 'b', 'a'],
      pool: [],
      sales: NONE,
      want: { stored: 0, sold: 0, absent: ['c', 'b', 'a'], unknown: [] },
    },
    {
      name: 'empty batch',
      batch: [],
      pool: ['a'],
      sales: BLIND,
      want: { stored: 0, sold: 0, absent: [], unknown: [] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(classifyDedup(c.batch, scan(c.pool), c.sales)).toMatchObject(c.want);
    });
  }

  it('every serial of the batch lands in exactly one class', () => {
    const batch = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const s of [undefined, NONE, BLIND, sales(['b', 'e']), sales(['b'], false)]) {
      const r = classifyDedup(batch, scan(['a', 'd', 'zz']), s);
      expect(r.stored + r.sold + r.absent.length + r.unknown.length).toBe(batch.length);
    }
  });
});

describe('storedPrefix', () => {
  const cases: Array<[string, string[], string[], number]> = [
    ['whole batch at the end', ['a', 'b', 'c'], ['x', 'a', 'b', 'c'], 3],
    ['a prefix at the end', ['a', 'b', 'c'], ['x', 'a', 'b'], 2],
    ['one line', ['a', 'b', 'c'], ['x', 'a'], 1],
    ['nothing', ['a', 'b', 'c'], ['x', 'y'], 0],
    ['empty tail', ['a'], [], 0],
    ['empty batch', [], ['a'], 0],
    ['tail shorter than the batch, all of it matching', ['a', 'b', 'c'], ['a', 'b'], 2],
    ['present but not at the end is no match', ['a', 'b'], ['a', 'b', 'x'], 0],
    ['the longest match wins', ['a', 'a', 'a'], ['a', 'a', 'a'], 3],
    ['a repeated start', ['a', 'a', 'b'], ['q', 'a', 'a'], 2],
    ['middle match only is none', ['a', 'b', 'c'], ['b', 'c'], 0],
  ];
  for (const [name, batch, tail, want] of cases) {
    it(name, () => expect(storedPrefix(batch, tail)).toBe(want));
  }
});

describe('classifyKeepDup', () => {
  const cases: Array<{
    name: string;
    batch: string[];
    pool: string[];
    sales: Sales | undefined;
    sizeBefore?: number;
    tailSize?: number;
    want: { stored: number; sold: number; absent: string[]; unknown: string[] };
  }> = [
    {
      name: 'landed whole: the batch is the pool’s newest items',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'y', 'a', 'b', 'c'],
      sales: undefined,
      sizeBefore: 2,
      want: { stored: 3, sold: 0, absent: [], unknown: [] },
    },
    {
      name: 'a prefix landed (the rest past the limit)',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a', 'b'],
      sales: undefined,
      sizeBefore: 1,
      want: { stored: 2, sold: 0, absent: ['c'], unknown: [] },
    },
    {
      name: 'nothing landed',
      batch: ['a', 'b'],
      pool: ['x', 'y'],
      sales: NONE,
      sizeBefore: 2,
      want: { stored: 0, sold: 0, absent: ['a', 'b'], unknown: [] },
    },
    {
      name: 'size unknown, nothing landed',
      batch: ['a', 'b'],
      pool: ['x'],
      sales: undefined,
      want: { stored: 0, sold: 0, absent: ['a', 'b'], unknown: [] },
    },
    {
      name: 'sizeBefore: older copies at the end match but the pool did not grow → all unknown',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a', 'b'],
      sales: undefined,
      sizeBefore: 3,
      want: { stored: 0, sold: 0, absent: [], unknown: ['a', 'b', 'c'] },
    },
    {
      name: 'sizeBefore: the pool grew more than the match (landing not at the end) → all unknown',
      batch: ['a', 'b'],
      pool: ['x', 'a', 'b', 'z'],
      sales: NONE,
      sizeBefore: 1,
      want: { stored: 0, sold: 0, absent: [], unknown: ['a', 'b'] },
    },
    {
      name: 'sizeBefore ignored when a sale of this run may have shrunk the pool',
      batch: ['a', 'b'],
      pool: ['a', 'b'],
      sales: sales(['x']),
      sizeBefore: 1,
      want: { stored: 2, sold: 0, absent: [], unknown: [] },
    },
    {
      name: 'an older copy of a matched serial elsewhere in the pool → ambiguous, all unknown',
      batch: ['a', 'b'],
      pool: ['a', 'q', 'a', 'b'],
      sales: undefined,
      want: { stored: 0, sold: 0, absent: [], unknown: ['a', 'b'] },
    },
    {
      name: 'an older copy of an unmatched serial (nothing landed) is just an older copy',
      batch: ['a', 'b'],
      pool: ['b', 'q'],
      sales: undefined,
      sizeBefore: 2,
      want: { stored: 0, sold: 0, absent: ['a', 'b'], unknown: [] },
    },
    {
      name: 'an older copy of a serial sold in this run → ambiguous, all unknown',
      batch: ['a', 'b'],
      pool: ['a', 'q'],
      sales: sales(['a']),
      want: { stored: 0, sold: 0, absent: [], unknown: ['a', 'b'] },
    },
    {
      name: 'sales not whole: the unmatched rest may have landed and been sold',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a'],
      sales: BLIND,
      want: { stored: 1, sold: 0, absent: [], unknown: ['b', 'c'] },
    },
    {
      name: 'sales whole, a serial of the rest sold in this run → rest unknown',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a'],
      sales: sales(['c']),
      want: { stored: 1, sold: 0, absent: [], unknown: ['b', 'c'] },
    },
    {
      name: 'sales whole, nothing of the rest sold → rest absent',
      batch: ['a', 'b', 'c'],
      pool: ['x', 'a'],
      sales: sales(['x0']),
      want: { stored: 1, sold: 0, absent: ['b', 'c'], unknown: [] },
    },
    {
      name: 'a repeated serial inside the batch matches copy by copy',
      batch: ['a', 'a', 'b'],
      pool: ['x', 'a', 'a'],
      sales: undefined,
      sizeBefore: 1,
      want: { stored: 2, sold: 0, absent: ['b'], unknown: [] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = { ...scan(c.pool, c.tailSize ?? c.batch.length), size: c.pool.length };
      expect(classifyKeepDup(c.batch, s, c.sales, c.sizeBefore)).toMatchObject(c.want);
    });
  }

  it('never counts more stored than the batch, and splits the batch exactly', () => {
    const batch = ['a', 'b', 'c', 'd'];
    const pools = [[], ['a'], ['a', 'b'], ['z', 'a', 'b', 'c', 'd'], ['a', 'b', 'a', 'b']];
    for (const pool of pools) {
      for (const s of [undefined, NONE, BLIND, sales(['c'])]) {
        for (const before of [undefined, 0, 1, 2]) {
          const r = classifyKeepDup(batch, scan(pool, batch.length), s, before);
          expect(r.sold).toBe(0);
          expect(r.stored + r.absent.length + r.unknown.length).toBe(batch.length);
          // The classes are the stored prefix, then the rest in order.
          expect([...r.absent, ...r.unknown].every((x) => batch.indexOf(x) >= r.stored)).toBe(true);
        }
      }
    }
  });
});

describe('classifyAnsweredPrefix', () => {
  const cases: Array<[number, { stored: number; absent: string[] }]> = [
    [0, { stored: 0, absent: ['a', 'b', 'c'] }],
    [1, { stored: 1, absent: ['b', 'c'] }],
    [3, { stored: 3, absent: [] }],
  ];
  for (const [added, want] of cases) {
    it(`added ${added} of 3: the first ${added} stored, the rest not`, () => {
      expect(classifyAnsweredPrefix(['a', 'b', 'c'], added)).toEqual({
        ...want,
        sold: 0,
        unknown: [],
      });
    });
  }
});

describe('landed: the read-back shows the request carrying the batch was processed', () => {
  it('keeps duplicates: the batch begins the pool’s newest items', () => {
    expect(classifyKeepDup(['a', 'b', 'c'], scan(['x', 'a', 'b']), undefined, 1).landed).toBe(true);
    expect(classifyKeepDup(['a', 'b', 'c'], scan(['x']), undefined, 1).landed).toBe(false);
  });
});
