// The simulation's oracle (sim-oracle.ts) on hand-made histories: what it
// calls lost, stored twice, and uncertain though knowable.
import { describe, expect, it } from 'vitest';
import type { ReadRecord, StockRecord } from '../helpers/fault-proxy.js';
import { type Facts, judge, mayBeUncertain } from './sim-oracle.js';

const A = ['A1', 'A2'];
const B = ['B1', 'B2'];

function stock(n: number, at: number, serials: string[], o: Partial<StockRecord>): StockRecord {
  return {
    n,
    run: 0,
    arrivedAt: at,
    serials,
    fault: 'ok',
    answer: 'whole',
    added: serials.length,
    answeredAt: at + 2,
    landedAt: at + 1,
    abandoned: false,
    ...o,
  };
}

function read(k: number, at: number, o: Partial<ReadRecord> = {}): ReadRecord {
  return {
    k,
    run: 0,
    method: 'GET',
    path: '/api/v1/warehouses/w1',
    pool: true,
    arrivedAt: at,
    servedAt: at + 1,
    fault: 'ok',
    ok: true,
    abandoned: false,
    ...o,
  };
}

const once = (xs: string[]) => new Map(xs.map((s) => [s, 1]));

function facts(o: Partial<Facts>): Facts {
  return {
    dedup: false,
    removeSold: false,
    input: [...A, ...B],
    initial: new Map(),
    pool: [...A, ...B],
    soldInRun: [],
    landed: new Map([
      [0, once(A)],
      [1, once(B)],
    ]),
    other: new Map(),
    stock: [stock(0, 10, A, {}), stock(1, 20, B, {})],
    reads: [],
    changes: [],
    unsent: [],
    uncertain: [],
    ...o,
  };
}

describe('the restock simulation oracle', () => {
  it('holds for a clean run', () => {
    expect(judge(facts({}))).toEqual([]);
  });

  it('calls a serial neither in the pool nor listed lost', () => {
    const f = facts({
      pool: [...A, 'B1'],
      landed: new Map([
        [0, once(A)],
        [1, once(['B1'])],
      ]),
    });
    expect(judge(f)).toEqual(['lost: B2 (stored 0 of 1 by the CLI, listed 0)']);
  });

  it('calls a key sold by the run and put back by a late landing stored twice', () => {
    const f = facts({
      dedup: true,
      removeSold: true,
      pool: [...A, ...B],
      soldInRun: A,
      landed: new Map([
        [0, once(A)],
        [1, once(B)],
        [2, once(A)],
      ]),
      stock: [stock(0, 10, A, { answer: 'none', landedAt: 40 }), stock(1, 20, B, {})],
    });
    expect(judge(f)).toContain(
      'stored 2 times by the CLI (at most 1): A1 — sold by an order of the run and back in the pool',
    );
  });

  it('allows uncertain for a held request that had not landed when the run last looked', () => {
    const f = facts({
      pool: B,
      landed: new Map([[1, once(B)]]),
      stock: [
        stock(0, 10, A, { fault: 'hold', release: 'never', answer: 'none', landedAt: undefined }),
        stock(1, 20, B, {}),
      ],
      reads: [read(0, 15)],
      uncertain: A,
    });
    expect(judge(f)).toEqual([]);
    expect(mayBeUncertain(f, 'A1')).toMatch(/may still have been in progress/);
  });

  it('refuses uncertain for a dropped answer whose request had landed before the read-back', () => {
    const f = facts({
      stock: [
        stock(0, 10, A, { fault: 'drop-after', answer: 'none', landedAt: 11 }),
        stock(1, 20, B, {}),
      ],
      reads: [read(0, 15)],
      uncertain: A,
    });
    expect(judge(f)).toEqual(['uncertain though the outcome was knowable: A1 A2']);
  });

  it('allows it when another writer changed a pool that keeps duplicates before the read-back', () => {
    const f = facts({
      stock: [
        stock(0, 10, A, { fault: 'drop-after', answer: 'none', landedAt: 11 }),
        stock(1, 20, B, {}),
      ],
      reads: [read(0, 15)],
      changes: [{ at: 14, kind: 'add', changed: true }],
      uncertain: A,
    });
    expect(mayBeUncertain(f, 'A1')).toMatch(/changed meanwhile/);
    // Where the pool drops duplicates, presence decides: still knowable.
    expect(mayBeUncertain({ ...f, dedup: true }, 'A1')).toBeUndefined();
  });

  it('allows it when the last read of the pool for it failed', () => {
    const f = facts({
      stock: [stock(0, 10, A, { fault: '5xx-after', answer: 'unusable' }), stock(1, 20, B, {})],
      reads: [read(0, 13), read(1, 15, { fault: 'cut', ok: false })],
      uncertain: A,
    });
    expect(mayBeUncertain(f, 'A1')).toMatch(/failed/);
  });

  it('judges an input repeat per occurrence: one uncertain, one answered', () => {
    const f = facts({
      input: [...A, ...B, 'A1'],
      pool: [...B, 'A1'],
      stock: [
        stock(0, 10, A, { fault: 'hold', release: 'never', answer: 'none', landedAt: undefined }),
        stock(1, 20, [...B, 'A1'], {}),
      ],
      landed: new Map([[1, once([...B, 'A1'])]]),
      reads: [read(0, 15)],
      uncertain: A,
    });
    expect(judge(f)).toEqual([]);
    expect(judge({ ...f, uncertain: [...A, 'A1'] })).toEqual([
      'uncertain though the outcome was knowable: A1',
    ]);
  });

  it('refuses uncertain for a serial its answer said was stored', () => {
    expect(judge(facts({ uncertain: ['B1'] }))).toEqual([
      'uncertain though the outcome was knowable: B1',
    ]);
  });
});
