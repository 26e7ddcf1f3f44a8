// settleUnit's promises across a stop: what a stopped run journals as
// settled (the prefix), in flight and known not stored is what its resume
// trusts, so a unit stopped and resumed must end with the counts and lists
// the pool proves, as if it had never stopped. Each case stops a unit
// (Ctrl-C as a request goes out), resumes it from the facts the journal
// would hold, and checks the whole unit's outcome; plus the rules of which
// later lines are held back while a key's request may still land.
import { describe, expect, it } from 'vitest';
import { InterruptedError, ServerError } from '../../src/errors.js';
import type { ResumeFacts, Run, SettledPrefix } from '../../src/restock/settle.js';
import { type FakeShopOptions, fakeShop, makeRun, ok, settle, target } from './fake-shop.js';

const S = (n: number, p = 'S') => Array.from({ length: n }, (_, i) => `${p}${i}`);

/**
 * Settles `serials` until a stop, then resumes the unit from what the journal
 * holds then (ledger.ts: the last request's declaration, the stop's prefix,
 * open and not-stored positions) against `after`. Returns the resumed outcome
 * and what the resume sent.
 */
async function stopThenResume(
  serials: string[],
  before: FakeShopOptions,
  after: FakeShopOptions,
  over: Parameters<typeof makeRun>[1] = {},
) {
  const declared: Array<{ sentUpTo: number; last: Array<[number, number]>; size: number | null }> =
    [];
  const s1 = fakeShop(before);
  const run1: Run = makeRun(s1, over);
  run1.beforeSend = (sentUpTo, _prefix, _open, _notStored, last) =>
    declared.push({ sentUpTo, last, size: run1.poolTotal });
  const o1 = await settle(run1, serials);
  expect(o1.end.kind, 'the first run stops').toBe('stop');
  const end = o1.end as { mayStillLand: boolean };
  const at = declared.at(-1)!;
  const resume: ResumeFacts = {
    sentUpTo: at.sentUpTo,
    requests: declared.length,
    last: at.last,
    sizeBefore: at.size,
    prefix: { ...(o1.prefix as SettledPrefix) },
    open: o1.openRanges,
    notStored: o1.notStored,
    mayStillLand: end.mayStillLand,
  };
  const s2 = fakeShop(after);
  const o2 = await settle(makeRun(s2, over), serials, resume);
  return { o1, o2, resent: s2.adds.map((a) => a.serials) };
}

/**
 * Settles `serials` until the first run's request `at` goes out, then resumes
 * from what the journal held at that moment (the process killed then: only
 * that request's declaration, Run.beforeSend). Returns the resumed outcome and
 * what the resume sent.
 */
async function crashThenResume(
  serials: string[],
  at: number,
  before: FakeShopOptions,
  after: FakeShopOptions,
  over: Parameters<typeof makeRun>[1] = {},
) {
  let journal: ResumeFacts | undefined;
  let n = 0;
  const s1 = fakeShop(before);
  const run1: Run = makeRun(s1, over);
  run1.beforeSend = (sentUpTo, prefix, open, notStored, last) => {
    if (n++ === at) {
      journal = {
        sentUpTo,
        requests: n,
        prefix: { ...prefix },
        open,
        notStored,
        last,
        sizeBefore: run1.poolTotal,
        mayStillLand: true,
      };
      throw new InterruptedError(); // the kill: nothing after this is journaled
    }
  };
  await settle(run1, serials);
  expect(journal, 'the first run declared that request').toBeDefined();
  const s2 = fakeShop(after);
  const o = await settle(makeRun(s2, over), serials, journal);
  return { o, resent: s2.adds.map((a) => a.serials) };
}

const interrupted = () => {
  throw new InterruptedError();
};
const counts = (o: { sent: number; added: number; dropped: number; found: number }) => ({
  sent: o.sent,
  added: o.added,
  dropped: o.dropped,
  found: o.found,
});

describe('a unit stopped and resumed ends as the pool proves', () => {
  it('what the first run settled keeps its kind: dropped stays dropped, found stays found', async () => {
    // S0, S1: one answer storing S0 (S1 already in the pool); S2, S3: a 500, then found by
    // the read-back; S4, S5: Ctrl-C as they went out. They landed.
    const { o2, resent } = await stopThenResume(
      S(6),
      {
        add: (n) => {
          if (n === 0) return ok(1, 2);
          if (n === 1) throw new ServerError('boom', { status: 500 });
          return interrupted();
        },
        read: () => ['S1', 'S0', 'S2', 'S3'],
      },
      { read: () => ['S1', 'S0', 'S2', 'S3', 'S4', 'S5'] },
      { batchSize: 2 },
    );
    expect(counts(o2)).toEqual({ sent: 6, added: 1, dropped: 1, found: 4 });
    expect(o2.uncertain).toEqual([]);
    expect(resent).toEqual([]);
  });

  it('a serial whose request may still land stays uncertain after a resume, even when a later one of its batch was found', async () => {
    // S0, S1: a 502 (may still land); the read-back finds S1, not S0. S2, S3: Ctrl-C.
    const { o2 } = await stopThenResume(
      S(4),
      {
        add: (n) => {
          if (n === 0) throw new ServerError('gateway', { status: 502 });
          return interrupted();
        },
        read: () => ['S1'],
      },
      { read: () => ['S1', 'S2', 'S3'] },
      { batchSize: 2 },
    );
    expect(o2.uncertain).toEqual(['S0']);
    expect(counts(o2)).toEqual({ sent: 3, added: 0, dropped: 0, found: 3 });
  });

  it('a serial known not stored before the stop is sent by the resume, even when a later one of its batch was found', async () => {
    // S0, S1: a 500 (done with it); the read-back finds S1, so S0 goes again, with S2:
    // Ctrl-C as that request goes out, and it never lands.
    const { o2, resent } = await stopThenResume(
      S(4),
      {
        add: (n) => {
          if (n === 0) throw new ServerError('boom', { status: 500 });
          return interrupted();
        },
        read: () => ['S1'],
      },
      { read: () => ['S1'] },
      { batchSize: 2 },
    );
    // The resend may still land: S0 and S2 are uncertain, never counted stored.
    expect(o2.uncertain).toEqual(['S0', 'S2']);
    expect(counts(o2)).toEqual({ sent: 2, added: 1, dropped: 0, found: 1 });
    expect(resent).toEqual([['S3']]);
  });

  it('a journal that says a request may land but names no position doubts every serial sent', async () => {
    // What a run stopped by a failure outside settling (a journal write) leaves.
    const s = fakeShop({ read: () => ['S1'] });
    const o = await settle(makeRun(s), S(3), {
      sentUpTo: 3,
      requests: 1,
      sizeBefore: null,
      mayStillLand: true,
      open: [],
    });
    expect(o.uncertain).toEqual(['S0', 'S2']);
    expect(s.adds).toEqual([]);
  });
});

describe('the settled prefix never covers a position of unknown fate', () => {
  it('a key held back from a batch (its earlier request may still land) ends the prefix before it', async () => {
    const s = fakeShop({ add: (_n, b) => ok(b.length, 9) });
    const run = makeRun(s, {
      batchSize: 3,
      target: target({ removeSold: true }),
      held: new Set(['X']),
    });
    const o = await settle(run, ['A', 'X', 'B']);
    expect(s.adds.map((a) => a.serials)).toEqual([['A', 'B']]);
    expect(o.uncertain).toEqual(['X']);
    expect(o.prefix.upTo).toBeLessThanOrEqual(1);
  });
});

describe('which later lines wait while a key’s request may still land', () => {
  for (const [name, over] of [
    ['a pool that drops duplicates and keeps sold keys', { dedup: true, removeSold: false }],
    ['a pool that keeps duplicates and removes sold keys', { dedup: false, removeSold: true }],
  ] as const) {
    it(`${name}: a later line with that key is sent`, async () => {
      const s = fakeShop({
        add: (n, b) => {
          if (n === 0) throw new ServerError('gateway', { status: 504 });
          return ok(b.length, 9);
        },
        read: () => [],
        orders: () => [],
      });
      const run = makeRun(s, {
        batchSize: 1,
        target: target(over),
        sales: { statuses: [], whole: true },
      });
      const o = await settle(run, ['X', 'A', 'X']);
      expect(s.adds.map((a) => a.serials)).toEqual([['X'], ['A'], ['X']]);
      expect(o.uncertain).toEqual(['X']);
    });
  }
});

describe('a resume never sends again a key whose request may still land', () => {
  const sellsOff = { target: target({ removeSold: true }), sales: { statuses: [], whole: true } };
  const resumeOf = (o: Partial<ResumeFacts>): ResumeFacts => ({
    sentUpTo: 0,
    requests: 1,
    sizeBefore: null,
    mayStillLand: true,
    ...o,
  });

  it('a later line of the unit with that key waits too (drops duplicates, sold keys leave)', async () => {
    // The first X went out and got no answer; A and the second X never went.
    const s = fakeShop({ read: () => [], orders: () => [] });
    const o = await settle(makeRun(s, sellsOff), ['X', 'A', 'X'], resumeOf({ sentUpTo: 1 }));
    expect(s.adds.map((a) => a.serials)).toEqual([['A']]);
    expect(o.uncertain).toEqual(['X', 'X']);
  });

  it('nor from a later position of the part sent, whose own request was answered', async () => {
    // X (first) was carried by a request that got no answer; Y and the second X by one that did.
    const s = fakeShop({ read: () => [], orders: () => [] });
    const o = await settle(
      makeRun(s, sellsOff),
      ['X', 'Y', 'X', 'A'],
      resumeOf({ sentUpTo: 3, requests: 2, open: [[0, 1]] }),
    );
    expect(s.adds.map((a) => a.serials)).toEqual([['Y', 'A']]);
    expect(o.uncertain).toEqual(['X', 'X']);
  });

  it('even when that key is all that is left to send again', async () => {
    const s = fakeShop({ read: () => [], orders: () => [] });
    const o = await settle(
      makeRun(s, sellsOff),
      ['X', 'X'],
      resumeOf({ sentUpTo: 2, requests: 2, open: [[0, 1]] }),
    );
    expect(s.adds).toEqual([]);
    expect(o.uncertain).toEqual(['X', 'X']);
  });
});

describe('a resume sends in input order', () => {
  it('what was known not stored and what the read-back found missing go out together, in input order', async () => {
    // S1 was answered as not stored before the stop; S3 went out with no answer and did not land.
    const s = fakeShop({ read: () => ['S0', 'S2'] });
    await settle(makeRun(s), S(5), {
      sentUpTo: 4,
      requests: 2,
      sizeBefore: null,
      mayStillLand: false,
      notStored: [[1, 2]],
    });
    expect(s.adds.map((a) => a.serials)).toEqual([['S1', 'S3', 'S4']]);
  });
});

describe('a sale seen while a unit was read back survives its stop', () => {
  it('the resumed unit still counts the key sold', async () => {
    // S0, S1: a 500; the read-back finds S1, and an order of this run delivered S0. S2: Ctrl-C.
    const orders = (status: string | undefined) =>
      status
        ? []
        : [
            { invoiceId: 'NEW', status: 'completed', deliveredItems: ['S0'] },
            { invoiceId: 'OLD', status: 'completed', deliveredItems: [] },
          ];
    const { o2 } = await stopThenResume(
      S(3),
      {
        add: (n) => {
          if (n === 0) throw new ServerError('boom', { status: 500 });
          return interrupted();
        },
        read: () => ['S1'],
        orders,
      },
      { read: () => ['S1', 'S2'], orders },
      {
        batchSize: 2,
        target: target({ removeSold: true }),
        sales: { statuses: [['OLD', 'completed']], whole: true },
      },
    );
    expect(o2.sold).toBe(1);
    expect(counts(o2)).toEqual({ sent: 3, added: 0, dropped: 0, found: 3 });
  });
});

describe('a run killed just after a request went out: the resume never resends blind what it carried', () => {
  const keep = target({ dedup: false });

  it('keeping duplicates, a resend of what a truncated answer left out is read back, not sent again', async () => {
    // S0, S1: truncated, nothing stored; S0 went again (batches of one now), landed, and the run was killed.
    const { o, resent } = await crashThenResume(
      S(2),
      1,
      { add: () => ({ added: 0, total: 0, truncated: true, capped: false }) },
      { read: () => ['S0'] },
      { batchSize: 2, target: keep, poolTotal: 0 },
    );
    expect(resent).toEqual([['S1']]);
    expect(counts(o)).toEqual({ sent: 2, added: 1, dropped: 0, found: 1 });
  });

  it('every request of the unit that got no answer stays in doubt (drops duplicates, sold keys leave)', async () => {
    // S0, S1: a 502; S2, S3 went out next, and the run was killed. Nothing landed yet.
    const { o, resent } = await crashThenResume(
      S(4),
      1,
      {
        add: () => {
          throw new ServerError('gateway', { status: 502 });
        },
        read: () => [],
        orders: () => [],
      },
      { read: () => [], orders: () => [] },
      { batchSize: 2, target: target({ removeSold: true }), sales: { statuses: [], whole: true } },
    );
    expect(resent).toEqual([]);
    expect(o.uncertain).toEqual(S(4));
  });
});

describe('a truncated answer in a pool that drops duplicates', () => {
  it('settles only what the read-back found: a serial resent after it stays in doubt across a stop', async () => {
    // S0, S1: truncated, one added; the read-back finds S1, so S0 goes again: Ctrl-C, it never lands.
    const { o2 } = await stopThenResume(
      S(2),
      {
        add: (n) => {
          if (n === 0) return { added: 1, total: 1, truncated: true, capped: false };
          return interrupted();
        },
        read: () => ['S1'],
      },
      { read: () => ['S1'] },
      { batchSize: 2 },
    );
    expect(o2.uncertain).toEqual(['S0']);
    expect(counts(o2)).toEqual({ sent: 1, added: 0, dropped: 0, found: 1 });
  });

  it('read back as expected, it is not taken for another writer', async () => {
    const s = fakeShop({
      add: (n, b) =>
        n === 0 ? { added: 1, total: 1, truncated: true, capped: false } : ok(b.length, 2),
      read: () => ['S0'],
    });
    const run = makeRun(s, { batchSize: 2 });
    await settle(run, S(2));
    expect(run.saved.otherWriter).toBe(false);
  });
});

describe('the journal cannot be written before a request', () => {
  it('that request is not sent: the run stops with its serials pending, none in flight', async () => {
    const s = fakeShop({});
    const run = makeRun(s, { batchSize: 2 });
    let n = 0;
    run.beforeSend = () => {
      if (n++ === 1) throw new Error('EIO: journal not written');
    };
    const o = await settle(run, S(3));
    expect(s.adds.map((a) => a.serials)).toEqual([['S0', 'S1']]);
    expect(o.end).toMatchObject({ kind: 'stop', inflight: [], pending: ['S2'] });
    expect(counts(o)).toEqual({ sent: 2, added: 2, dropped: 0, found: 0 });
  });
});
