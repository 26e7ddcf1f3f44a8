// The settle policy (src/restock/policy.ts) against an adversarial model of
// the service. fast-check draws a pool (either duplicate setting, sold keys
// leaving or staying), a small batch, what the service did with the request
// (stored a prefix, stored nothing, will store it only later), and any
// interleaving of other writers' adds and sales before and after the
// read-back; the orders window may be seen whole or not. Whatever it draws,
// the verdict must be sound:
//   - nothing counted stored that the pool did not gain (that would be lost);
//   - nothing resent that the request stored or may still store (that would
//     be stored twice, or sold twice);
// and, where nothing unknowable happened, complete: no serial uncertain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answeredPrefix,
  judgeReadBack,
  type PoolKind,
  plausibleAnswer,
  type ReadBack,
} from '../../src/restock/policy.js';

type Event =
  | { kind: 'land' }
  | { kind: 'write'; items: string[] }
  | { kind: 'sell'; at: number; seen: boolean };

interface World {
  pool: PoolKind;
  before: string[];
  batch: string[];
  /** Lines of the request the service stores (a prefix), when it processes it. */
  accepted: number;
  /** The request is processed at all (else it never reached the service's store). */
  processed: boolean;
  /** The client got an answer (so the request was done with before the read-back). */
  answered: boolean;
  /** Processed only after the read-back, or after the run (a late landing). */
  late: boolean;
  /** Before the request: what happened to the pool before its size was last observed. */
  earlier: Event[];
  events: Event[];
  /** Where the read-back happens among the events (the landing, if not late, is among them). */
  readAt: number;
}

const serial = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F');

const world: fc.Arbitrary<World> = fc
  .record({
    dedup: fc.boolean(),
    removeSold: fc.boolean(),
    before: fc.array(serial, { maxLength: 5 }),
    batch: fc.array(serial, { minLength: 1, maxLength: 4 }),
    acceptedFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    processed: fc.boolean(),
    answered: fc.boolean(),
    late: fc.boolean(),
    earlier: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('write' as const),
          items: fc.array(serial, { maxLength: 2 }),
        }),
        fc.record({ kind: fc.constant('sell' as const), at: fc.nat(20), seen: fc.boolean() }),
      ),
      { maxLength: 2 },
    ),
    others: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('write' as const),
          items: fc.array(serial, { maxLength: 2 }),
        }),
        fc.record({
          kind: fc.constant('sell' as const),
          at: fc.nat(20),
          seen: fc.boolean(),
        }),
      ),
      { maxLength: 4 },
    ),
    landAt: fc.nat(4),
    readFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((d) => {
    const events: Event[] = [...d.others];
    // Answered: whatever was processed landed before the answer, so before the read-back.
    const late = d.processed && !d.answered && d.late;
    const landAt = Math.min(d.landAt, events.length);
    if (d.processed && !late) events.splice(landAt, 0, { kind: 'land' });
    let readAt = Math.round(d.readFrac * events.length);
    if (d.processed && !late && d.answered) readAt = Math.max(readAt, landAt + 1);
    return {
      pool: { dedup: d.dedup, removeSold: d.removeSold },
      before: d.before,
      batch: d.batch,
      accepted: d.processed ? Math.round(d.acceptedFrac * d.batch.length) : 0,
      processed: d.processed,
      answered: d.answered,
      late,
      earlier: d.earlier as Event[],
      events,
      readAt,
    };
  })
  // A pool that drops duplicates holds each serial once.
  .map((w) => (w.pool.dedup ? { ...w, before: [...new Set(w.before)] } : w));

function count(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

/** Plays the world: the pool at the read-back, the orders seen, and the pool at the end. */
function play(w: World) {
  let pool = [...w.before];
  const sold: Array<{ item: string; seen: boolean }> = [];
  /** What this request stored (copies per serial). */
  const stored: string[] = [];
  const add = (items: readonly string[], own: boolean) => {
    for (const s of items) {
      if (w.pool.dedup && pool.includes(s)) continue;
      pool.push(s);
      if (own) stored.push(s);
    }
  };
  const apply = (e: Event) => {
    if (e.kind === 'land') add(w.batch.slice(0, w.accepted), true);
    else if (e.kind === 'write') add(e.items, false);
    else if (w.pool.removeSold && pool.length) {
      const i = e.at % pool.length;
      sold.push({ item: pool[i]!, seen: e.seen });
      pool = pool.filter((_, j) => j !== i);
    } else if (pool.length) {
      // Sold keys stay: a sale changes nothing in the pool.
      sold.push({ item: pool[e.at % pool.length]!, seen: e.seen });
    }
  };
  w.earlier.forEach(apply);
  // The pool's size as the client last saw it, with the sales it had seen by then.
  const sizeBefore = pool.length;
  const observed = [...pool];
  const soldEarlier = sold.length;
  const deliveredBefore = sold.filter((x) => x.seen).length;
  w.events.slice(0, w.readAt).forEach(apply);
  const atRead = [...pool];
  const soldAtRead = [...sold];
  w.events.slice(w.readAt).forEach(apply);
  if (w.late) apply({ kind: 'land' });
  const wanted = count(w.batch);
  const read: ReadBack = {
    size: atRead.length,
    counts: new Map([...wanted.keys()].map((s) => [s, count(atRead).get(s) ?? 0])),
    tail: atRead.slice(-w.batch.length),
  };
  return {
    read,
    stored,
    sales: {
      sold: new Set(soldAtRead.filter((x) => x.seen).map((x) => x.item)),
      delivered: soldAtRead.filter((x) => x.seen).length,
      whole: soldAtRead.every((x) => x.seen),
    },
    soldAtRead: soldAtRead.map((x) => x.item),
    soldSinceObserved: soldAtRead.slice(soldEarlier).map((x) => x.item),
    observed,
    sizeBefore,
    deliveredBefore,
    /** What the pool held just before the request (the baseline the request adds to). */
    beforeRequest: sizeBefore,
  };
}

describe('the settle policy against an adversarial service', () => {
  it('never resends what the request stored or may still store, and never counts as stored what the pool did not gain', () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = play(w);
        // Without an answer the client cannot tell whether the request will still land.
        const mayStillLand = !w.answered;
        const v = judgeReadBack(w.pool, p.read, {
          batch: w.batch,
          mayStillLand,
          oneRequest: true,
          sizeBefore: p.sizeBefore,
          sales: w.pool.removeSold ? p.sales : undefined,
          deliveredBefore: p.deliveredBefore,
        });
        // Every serial of the batch is accounted for once.
        expect(v.stored + v.sold + v.resend.length + v.uncertain.length).toBe(w.batch.length);
        // Resent: copies the request did not store, and never will (a serial the
        // input holds twice may be stored once and resent once).
        const storedByRequest = count(p.stored);
        const inBatch = count(w.batch);
        for (const [s, n] of count(v.resend)) {
          expect(n + (storedByRequest.get(s) ?? 0)).toBeLessThanOrEqual(inBatch.get(s) ?? 0);
        }
        if (v.resend.length) expect(mayStillLand).toBe(false);
        // Counted stored: keeping duplicates, the pool (with what was sold) gained that many copies.
        if (!w.pool.dedup && v.stored > 0) {
          const gained = count([...p.read.tail]);
          const claimed = count(w.batch.slice(0, v.stored));
          for (const [s, n] of claimed) {
            const before = count(p.observed).get(s) ?? 0;
            const now = (count(p.soldSinceObserved).get(s) ?? 0) + (p.read.counts.get(s) ?? 0);
            expect(now - before).toBeGreaterThanOrEqual(n);
            expect(gained.get(s) ?? 0).toBeGreaterThanOrEqual(n);
          }
        }
        // Dropping duplicates, a serial counted stored is in the pool or was sold in the window.
        if (w.pool.dedup) {
          const inPool = w.batch.filter((s) => (p.read.counts.get(s) ?? 0) > 0).length;
          expect(v.stored).toBe(inPool);
        }
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 3000) },
    );
  });

  it('where nothing unknowable happened, nothing is uncertain', () => {
    fc.assert(
      fc.property(world, (w) => {
        const quiet: World = {
          ...w,
          late: false,
          processed: true,
          answered: true,
          earlier: [],
          events: [{ kind: 'land' }],
          readAt: 1,
        };
        const p = play(quiet);
        const v = judgeReadBack(quiet.pool, p.read, {
          batch: quiet.batch,
          mayStillLand: false,
          oneRequest: true,
          sizeBefore: quiet.before.length,
          sales: quiet.pool.removeSold ? { sold: new Set(), delivered: 0, whole: true } : undefined,
        });
        expect(v.uncertain).toEqual([]);
        expect(v.unexplained).toBe(false);
        // And the rest goes again: exactly what the request did not store.
        expect(v.stored + v.sold + v.resend.length).toBe(quiet.batch.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('an answer the service gives under its contract is plausible; keeping duplicates, it says exactly what was stored', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(serial, { maxLength: 5 }),
        fc.array(serial, { minLength: 1, maxLength: 6 }),
        fc.nat(6),
        fc.option(fc.nat(8), { nil: undefined }),
        (dedup, before, batch, limit, cap) => {
          const pool = dedup ? [...new Set(before)] : [...before];
          const lines = batch.slice(0, Math.max(1, limit));
          const truncated = lines.length < batch.length;
          let added = 0;
          let capped = false;
          for (const s of lines) {
            if (dedup && pool.includes(s)) continue;
            if (cap !== undefined && pool.length >= cap) {
              capped = true;
              break;
            }
            pool.push(s);
            added++;
          }
          const answer = { added, total: pool.length, truncated, capped };
          expect(plausibleAnswer(answer, batch.length, dedup)).toBe(true);
          if (!dedup) expect(answeredPrefix(batch, added).resend).toEqual(batch.slice(added));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeping duplicates, an answer that stored fewer lines than sent without saying why is not believed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.nat(49), (sent, short) => {
        const added = Math.min(short, sent - 1);
        const answer = { added, total: 100, truncated: false, capped: false };
        expect(plausibleAnswer(answer, sent, false)).toBe(false);
        expect(plausibleAnswer(answer, sent, true)).toBe(true);
      }),
    );
  });
});
