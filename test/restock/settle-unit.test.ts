// settleUnit one answer at a time, against an in-memory shop (fake-shop.ts):
// every count, every list and every wait of the outcome is exact. The
// fault simulation reaches these paths too, but is left out of mutation runs.
import { describe, expect, it } from 'vitest';
import {
  InterruptedError,
  NetworkError,
  RateLimitError,
  ServerError,
  UsageError,
  ValidationError,
} from '../../src/errors.js';
import { fakeShop, makeRun, ok, settle, target } from './fake-shop.js';

const S = (n: number, p = 'S') => Array.from({ length: n }, (_, i) => `${p}${i}`);
const base = {
  sent: 0,
  added: 0,
  dropped: 0,
  found: 0,
  sold: 0,
  requests: 0,
  unsent: [],
  uncertain: [],
  outstanding: false,
  // What a resume may skip: stated by its own tests below.
  prefix: expect.anything(),
  openRanges: expect.anything(),
  notStored: expect.anything(),
};
const settled = { kind: 'settled' };
const refused = (msg: string) => `refused by the service: ${msg}`;
const trunc = (added: number, total: number) => ({ added, total, truncated: true, capped: false });
const IDLE = 'not stored: the service kept truncating without storing anything';

describe('settleUnit: answered', () => {
  it('413: the batch is halved and resent, the request counted', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ValidationError('too large', { status: 413 });
        return ok(b.length, b.length);
      },
    });
    const run = makeRun(s, { batchSize: 4 });
    const o = await settle(run, S(4));
    expect(o).toEqual({ ...base, sent: 4, added: 4, requests: 3, end: settled });
    expect(s.adds.map((a) => a.serials.length)).toEqual([4, 2, 2]);
    expect(run.saved.sizing.size).toBe(2);
  });

  it('413 on a batch of one is a refusal', async () => {
    const s = fakeShop({
      add: (n) => {
        if (n < 3) throw new ValidationError('too large', { status: 413 });
        throw new ValidationError('looped', { status: 400 });
      },
    });
    const run = makeRun(s, { batchSize: 1 });
    const o = await settle(run, ['A']);
    expect(o.unsent).toEqual([{ serial: 'A', reason: refused('too large') }]);
    expect(o.end).toMatchObject({ kind: 'refused', reason: refused('too large') });
    expect(o.requests).toBe(1);
    expect(run.saved.sizing.size).toBe(1);
  });

  it('a refusal mid-unit: the refused batch and the rest are unsent with the message', async () => {
    const err = new ValidationError('bad serial', { status: 400 });
    const s = fakeShop({
      add: (n, b) => {
        if (n === 1) throw err;
        return ok(b.length, 2);
      },
    });
    const o = await settle(makeRun(s, { batchSize: 2 }), S(5));
    expect(o).toEqual({
      ...base,
      sent: 2,
      added: 2,
      requests: 2,
      unsent: ['S2', 'S3', 'S4'].map((serial) => ({ serial, reason: refused('bad serial') })),
      end: { kind: 'refused', error: err, reason: refused('bad serial') },
    });
  });

  for (const [name, make] of [
    ['never reached the service', () => new NetworkError('refused', { reachedServer: false })],
    ['rate limited after the retries', () => new RateLimitError('slow down')],
  ] as const) {
    it(`not sent (${name}): the run stops, the rest not sent`, async () => {
      const err = make();
      const s = fakeShop({
        add: (n, b) => {
          if (n === 1) throw err;
          return ok(b.length, 2);
        },
      });
      const o = await settle(makeRun(s, { batchSize: 2 }), S(5));
      expect(o).toEqual({
        ...base,
        sent: 2,
        added: 2,
        requests: 2,
        end: {
          kind: 'stop',
          error: err,
          inflight: [],
          pending: ['S2', 'S3', 'S4'],
          mayStillLand: false,
        },
      });
    });
  }

  it('Ctrl-C before a send: nothing sent, everything pending', async () => {
    const ac = new AbortController();
    ac.abort();
    const s = fakeShop({});
    const o = await settle(makeRun(s, { signal: ac.signal }), S(3));
    expect(o.requests).toBe(0);
    expect(s.adds).toEqual([]);
    expect(o.end).toMatchObject({ kind: 'stop', inflight: [], pending: S(3), mayStillLand: false });
    expect((o.end as { error: Error }).error).toBeInstanceOf(InterruptedError);
  });

  it('an answer lost to Ctrl-C (interrupted): stops at once, the batch in flight', async () => {
    const err = new InterruptedError();
    const s = fakeShop({
      add: () => {
        throw err;
      },
    });
    const run = makeRun(s, { batchSize: 2 });
    const o = await settle(run, S(3));
    expect(o).toEqual({
      ...base,
      requests: 1,
      outstanding: true,
      end: {
        kind: 'stop',
        error: err,
        inflight: ['S0', 'S1'],
        pending: ['S2'],
        mayStillLand: true,
      },
    });
    expect(s.reads).toEqual([]);
    expect(run.clock.sleeps).toEqual([]);
  });
});

describe('settleUnit: unknown outcomes', () => {
  it('500 (finished): no wait, the pool read back, the absent ones resent', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ServerError('boom', { status: 500 });
        return ok(b.length, 4);
      },
      read: () => ['OLD', 'S0', 'S1'],
    });
    const run = makeRun(s, { batchSize: 4 });
    const o = await settle(run, S(4));
    expect(o).toEqual({ ...base, sent: 4, added: 2, found: 2, requests: 2, end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(4), ['S2', 'S3']]);
    expect(run.clock.sleeps).toEqual([]);
    expect(run.progress.lines).toEqual(['warning: boom; checking what the pool received…']);
    expect(run.poolTotal).toBe(4);
  });

  it('stored then sold during the read-back: counted found and sold', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ServerError('boom', { status: 500 });
        return ok(b.length, 4);
      },
      read: () => ['S0'],
      orders: (status) =>
        status
          ? []
          : [
              { invoiceId: 'NEW', status: 'completed', deliveredItems: ['S1'] },
              { invoiceId: 'OLD', status: 'completed', deliveredItems: [] },
            ],
    });
    const run = makeRun(s, {
      batchSize: 3,
      target: target({ removeSold: true }),
      sales: { statuses: [['OLD', 'completed']], whole: true },
    });
    const o = await settle(run, S(3));
    expect(o).toEqual({ ...base, sent: 3, added: 1, found: 2, sold: 1, requests: 2, end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(3), ['S2']]);
  });

  it('orders unreadable: an absent serial of a pool whose sold keys leave is uncertain', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => ['S0'],
      orders: () => {
        throw new ServerError('orders down', { status: 500 });
      },
    });
    const run = makeRun(s, {
      batchSize: 2,
      target: target({ removeSold: true }),
      sales: { statuses: [], whole: true },
    });
    const o = await settle(run, S(2));
    expect(o).toEqual({ ...base, sent: 1, found: 1, requests: 1, uncertain: ['S1'], end: settled });
    // Read once (3 lists): retries are the client's, already spent when an error comes back.
    expect(run.clock.sleeps).toEqual([]);
    expect(s.orderReads.length).toBe(3);
  });

  it('no orders snapshot: absence proves nothing where sold keys leave', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => ['S0'],
    });
    const run = makeRun(s, { batchSize: 2, target: target({ removeSold: true }), sales: null });
    const o = await settle(run, S(2));
    expect(o).toEqual({ ...base, sent: 1, found: 1, requests: 1, uncertain: ['S1'], end: settled });
    expect(s.orderReads).toEqual([]);
  });

  it('Ctrl-C while the orders are read back: the run stops with the batch in flight', async () => {
    const err = new InterruptedError();
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => ['S0'],
      orders: () => {
        throw err;
      },
    });
    const run = makeRun(s, {
      batchSize: 2,
      target: target({ removeSold: true }),
      sales: { statuses: [], whole: true },
    });
    const o = await settle(run, S(3));
    expect(o).toEqual({
      ...base,
      requests: 1,
      end: {
        kind: 'stop',
        error: err,
        inflight: ['S0', 'S1'],
        pending: ['S2'],
        mayStillLand: false,
      },
    });
  });

  it('502 in a pool that drops duplicates: found ones count, the absent are uncertain and never resent', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('gateway', { status: 502 });
      },
      read: () => ['S0'],
    });
    const run = makeRun(s, { batchSize: 4 });
    const o = await settle(run, S(4));
    // The gateway gave up; the service may still store S1–S3 later.
    expect(o).toMatchObject({ sent: 1, found: 1, uncertain: ['S1', 'S2', 'S3'], end: settled });
    expect(s.adds.length).toBe(1);
    expect(run.clock.sleeps).toEqual([300]);
  });

  it('500, then the resend never reaches the service: the resent ones are known not stored', async () => {
    const err = new NetworkError('refused', { reachedServer: false });
    const s = fakeShop({
      add: (n) => {
        if (n === 0) throw new ServerError('boom', { status: 500 });
        throw err;
      },
      read: () => ['S0'],
    });
    const o = await settle(makeRun(s, { batchSize: 2 }), S(4));
    expect(o).toMatchObject({ sent: 1, found: 1, requests: 2, uncertain: [] });
    expect(o.end).toEqual({
      kind: 'stop',
      error: err,
      inflight: [],
      pending: ['S1', 'S2', 'S3'],
      mayStillLand: false,
    });
  });

  it('unknown five times in a row: read back and resent each time, then the run stops with the batch in flight', async () => {
    const err = new ServerError('boom', { status: 500 });
    const s = fakeShop({
      add: () => {
        throw err;
      },
      read: () => [],
    });
    const run = makeRun(s, { batchSize: 2 });
    const o = await settle(run, S(3));
    expect(s.reads.length).toBe(5);
    expect(s.adds.map((a) => a.serials)).toEqual(Array(6).fill(['S0', 'S1']));
    expect(o.end).toEqual({
      kind: 'stop',
      error: err,
      inflight: ['S0', 'S1'],
      pending: ['S2'],
      mayStillLand: false,
    });
  });

  it('requests that may still land wait longer before each read-back', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('gateway', { status: 504 });
      },
      read: () => [],
    });
    const run = makeRun(s, { batchSize: 1 });
    const o = await settle(run, S(3));
    expect(run.clock.sleeps).toEqual([300, 600, 1200]);
    expect(o.uncertain).toEqual(S(3));
  });

  it('an answered batch resets the count of unknown rounds', async () => {
    let n = 0;
    const s = fakeShop({
      add: (_i, b) => {
        n++;
        // Unknown 4 times, then answered, then unknown 4 times, then answered.
        if (n % 5 !== 0) throw new ServerError('boom', { status: 500 });
        return ok(b.length, b.length);
      },
      read: () => [],
    });
    const o = await settle(makeRun(s, { batchSize: 1 }), S(2));
    expect(o).toEqual({ ...base, sent: 2, added: 2, requests: 10, end: settled });
  });

  it('the read-back fails: the run stops with the batch in flight', async () => {
    const err = new UsageError('cannot read');
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => {
        throw err;
      },
    });
    const o = await settle(makeRun(s, { batchSize: 2 }), S(3));
    expect(o).toEqual({
      ...base,
      requests: 1,
      end: {
        kind: 'stop',
        error: err,
        inflight: ['S0', 'S1'],
        pending: ['S2'],
        mayStillLand: false,
      },
    });
  });

  it('the read-back fails after Ctrl-C: interrupted', async () => {
    const ac = new AbortController();
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => {
        ac.abort();
        throw new UsageError('cannot read');
      },
    });
    const o = await settle(makeRun(s, { batchSize: 2, signal: ac.signal }), S(2));
    expect(o.end).toMatchObject({ kind: 'stop', inflight: S(2), pending: [], mayStillLand: false });
    expect((o.end as { error: Error }).error).toBeInstanceOf(InterruptedError);
    expect((o.end as { error: Error }).error.message).toBe('interrupted');
  });

  it('a pool read cut off part-way says how far it got (retried, then the run stops)', async () => {
    async function* cut() {
      yield Buffer.from('{"id":"W1","items":["A","B",');
      throw new NetworkError('socket hang up', { reachedServer: 'unknown' });
    }
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => cut(),
    });
    const o = await settle(makeRun(s, { batchSize: 2 }), S(2));
    const e = (o.end as unknown as { error: NetworkError }).error;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toBe(
      'reading the pool back stopped after 2 items (socket hang up); a pool this large may need a longer --timeout',
    );
    expect(e.reachedServer).toBe('unknown');
    expect(s.reads.length).toBe(5);
  });

  it('a pool read that fails before any item, or with a non-API error, is passed on as is', async () => {
    async function* none() {
      yield Buffer.from('');
      throw new UsageError('early');
    }
    async function* odd() {
      yield Buffer.from('{"id":"W1","items":["A",');
      throw new TypeError('odd');
    }
    for (const [body, msg] of [
      [none, 'early'],
      [odd, 'odd'],
    ] as const) {
      const s = fakeShop({
        add: () => {
          throw new ServerError('boom', { status: 500 });
        },
        read: () => body(),
      });
      const o = await settle(makeRun(s, { batchSize: 2 }), S(2));
      expect((o.end as { error: Error }).error.message).toBe(msg);
      expect(s.reads.length).toBe(1);
    }
  });

  it('a pool answer without its item list is a server error, retried', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => '{"id":"W1","count":3}',
    });
    const run = makeRun(s, { batchSize: 2 });
    const o = await settle(run, S(2));
    const e = (o.end as { error: Error }).error;
    expect(e).toBeInstanceOf(ServerError);
    expect(e.message).toBe("the service did not list the pool's items for warehouse W1");
    expect(s.reads).toEqual(Array(5).fill('warehouse W1'));
  });

  it('a product pool is read from the product, as stockItems', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ServerError('boom', { status: 500 });
        return ok(b.length, 2);
      },
      read: () => ['S0'],
    });
    const run = makeRun(s, { batchSize: 2, target: target({ kind: 'product', id: 'P9' }) });
    const o = await settle(run, S(2));
    expect(o).toEqual({ ...base, sent: 2, added: 1, found: 1, requests: 2, end: settled });
    expect(s.reads).toEqual(['product P9']);
    expect(s.adds.map((a) => `${a.kind} ${a.id}`)).toEqual(['product P9', 'product P9']);
  });
});

describe('settleUnit: a pool that keeps duplicates', () => {
  const keep = target({ dedup: false });

  it.each([502, 504, 520, 524, 501])(
    "a %i is a gateway's answer, not the service's: absent serials are uncertain, never resent",
    async (status) => {
      const s = fakeShop({
        add: () => {
          throw new ServerError('gateway', { status });
        },
        read: () => ['X0'],
      });
      const o = await settle(makeRun(s, { batchSize: 2, target: keep, poolTotal: 1 }), S(2));
      expect(o).toMatchObject({ sent: 0, uncertain: ['S0', 'S1'], outstanding: true });
      expect(s.adds.length).toBe(1);
    },
  );

  it('a 500 or 503 is the service done with the request: absent serials are sent again', async () => {
    for (const status of [500, 503]) {
      const s = fakeShop({
        add: (n, b) => {
          if (n === 0) throw new ServerError('boom', { status });
          return ok(b.length, 1 + b.length);
        },
        read: () => ['X0'],
      });
      const o = await settle(makeRun(s, { batchSize: 2, target: keep, poolTotal: 1 }), S(2));
      expect(o).toMatchObject({ sent: 2, uncertain: [], outstanding: false });
      expect(s.adds.map((x) => x.serials)).toEqual([S(2), S(2)]);
    }
  });

  it('502 and nothing landed: the batch is uncertain, never resent', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('gateway', { status: 502 });
      },
      read: () => ['X0', 'X1', 'X2'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    expect(o).toMatchObject({ sent: 0, uncertain: ['S0', 'S1'], end: settled });
    expect(s.adds.length).toBe(1);
    expect(run.saved.otherWriter).toBe(false);
  });

  it('502 and a prefix landed: the prefix counts, the rest is uncertain (the request may still land)', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('gateway', { status: 502 });
      },
      read: () => ['X0', 'X1', 'X2', 'S0'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    expect(o).toMatchObject({ sent: 1, found: 1, uncertain: ['S1'], end: settled });
    expect(s.adds.length).toBe(1);
  });

  it('500 and a prefix landed (the pool grew by exactly it): the rest is resent', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ServerError('boom', { status: 500 });
        return ok(b.length, 5);
      },
      read: () => ['X0', 'X1', 'X2', 'S0'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    expect(o).toMatchObject({ sent: 2, added: 1, found: 1, uncertain: [], end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(2), ['S1']]);
  });

  it('another writer changed the pool: the batch is uncertain and the run says so', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      // The batch landed, then someone else added Y: the pool grew by 3, not by the batch.
      read: () => ['X0', 'X1', 'X2', 'S0', 'S1', 'Y'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    expect(o).toMatchObject({ sent: 0, uncertain: ['S0', 'S1'], end: settled });
    expect(run.saved.otherWriter).toBe(true);
    expect(s.adds.length).toBe(1);
  });

  it('a sale during the read-back leaves the batch uncertain: the pool size no longer proves the match', async () => {
    const sale = { invoiceId: 'AS-NEW', status: 'completed', deliveredItems: ['X0'] };
    const s = fakeShop({
      add: () => {
        throw new ServerError('boom', { status: 500 });
      },
      read: () => ['X1', 'X2', 'Y'],
      orders: (status) => (status ? [] : [sale]),
    });
    const run = makeRun(s, {
      batchSize: 2,
      target: target({ dedup: false, removeSold: true }),
      poolTotal: 3,
      sales: { statuses: [], whole: true },
    });
    const o = await settle(run, S(2));
    expect(o).toMatchObject({ sent: 0, uncertain: ['S0', 'S1'] });
    expect(s.adds.length).toBe(1);
  });

  it('an answer a pool that keeps duplicates cannot give (added < sent, no flag) is read back', async () => {
    const s = fakeShop({
      add: (n, b) => (n === 0 ? ok(0, 3) : ok(b.length, 5)),
      read: () => ['X0', 'X1', 'X2'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    // Nothing landed (the pool did not grow), and the service answered: resent once.
    expect(o).toMatchObject({ sent: 2, added: 2, uncertain: [], end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(2), S(2)]);
  });

  it('the pool grew by more than the matched prefix: every serial of the batch is uncertain', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('gateway', { status: 500 });
      },
      read: () => ['X0', 'X1', 'X2', 'Y', 'S0'],
    });
    const run = makeRun(s, { batchSize: 2, target: keep, poolTotal: 3 });
    const o = await settle(run, S(2));
    expect(o).toEqual({ ...base, requests: 1, uncertain: ['S0', 'S1'], end: settled });
  });

  it('truncated: the first `added` lines stored, the rest resent in batches of at most that', async () => {
    const s = fakeShop({
      add: (n, b) => (n === 0 ? trunc(3, 3) : ok(b.length, b.length)),
    });
    const run = makeRun(s, { batchSize: 8, target: keep });
    const o = await settle(run, S(8));
    expect(o).toEqual({ ...base, sent: 8, added: 8, requests: 3, end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(8), ['S3', 'S4', 'S5'], ['S6', 'S7']]);
    expect(s.adds.map((a) => a.removeDuplicates)).toEqual([false, false, false]);
    expect(run.saved.sizing.size).toBe(3);
    expect(s.reads).toEqual([]);
  });

  it('truncated storing nothing: half the batch', async () => {
    const s = fakeShop({
      add: (n, b) => (n === 0 ? trunc(0, 0) : ok(b.length, b.length)),
    });
    const run = makeRun(s, { batchSize: 4, target: keep });
    const o = await settle(run, S(4));
    expect(o).toEqual({ ...base, sent: 4, added: 4, requests: 3, end: settled });
    expect(s.adds.map((a) => a.serials.length)).toEqual([4, 2, 2]);
  });

  it('four truncations in a row storing nothing: the rest is unsent', async () => {
    const s = fakeShop({ add: () => trunc(0, 0) });
    const run = makeRun(s, { batchSize: 4, target: keep });
    const o = await settle(run, S(5));
    expect(o).toEqual({
      ...base,
      requests: 4,
      unsent: S(5).map((serial) => ({ serial, reason: IDLE })),
      end: { kind: 'idle', reason: IDLE },
    });
    expect(s.adds.map((a) => a.serials.length)).toEqual([4, 2, 1, 1]);
  });

  it('a truncation that stored something starts the count again', async () => {
    const s = fakeShop({
      add: (n, b) =>
        n < 2 || (n >= 3 && n <= 5) ? trunc(0, 0) : n === 2 ? trunc(1, 1) : ok(b.length, 9),
    });
    const o = await settle(makeRun(s, { batchSize: 8, target: keep }), S(8));
    // 8, 4, 2 (one stored), then three idle truncations of 1 and seven answered ones.
    expect(o).toMatchObject({ sent: 8, added: 8, requests: 13, unsent: [], end: settled });
  });

  it('capped: what was stored counts, the rest is unsent (pool full), and nothing more is sent', async () => {
    const s = fakeShop({
      add: () => ({ added: 2, total: 10, truncated: false, capped: true }),
    });
    const run = makeRun(s, { batchSize: 4, target: keep });
    const o = await settle(run, S(6));
    expect(o).toEqual({
      ...base,
      sent: 2,
      added: 2,
      requests: 1,
      unsent: ['S2', 'S3', 'S4', 'S5'].map((serial) => ({ serial, reason: 'pool full' })),
      end: { kind: 'capped', reason: 'pool full' },
    });
    expect(run.capped).toBe(true);
    expect(run.poolTotal).toBe(10);
    expect(run.progress.lines).toEqual([
      'warning: the pool is full (capped); the rest goes to the unsent file',
    ]);
    const next = await settle(run, ['T0', 'T1']);
    expect(next).toEqual({
      ...base,
      unsent: [
        { serial: 'T0', reason: 'pool full' },
        { serial: 'T1', reason: 'pool full' },
      ],
      end: { kind: 'capped', reason: 'pool full' },
    });
    expect(s.adds.length).toBe(1);
  });
});

describe('settleUnit: truncated in a pool that drops duplicates', () => {
  it('read back: found ones count, a sold one too, and batches are halved', async () => {
    const s = fakeShop({
      add: (n, b) => (n === 0 ? trunc(1, 1) : ok(b.length, 3)),
      read: () => ['S0'],
      orders: (status) =>
        status
          ? []
          : [
              { invoiceId: 'NEW', status: 'completed', deliveredItems: ['S1'] },
              { invoiceId: 'OLD', status: 'completed', deliveredItems: [] },
            ],
    });
    const run = makeRun(s, {
      batchSize: 4,
      target: target({ removeSold: true }),
      sales: { statuses: [['OLD', 'completed']], whole: true },
    });
    const o = await settle(run, S(4));
    expect(o).toEqual({
      ...base,
      sent: 4,
      added: 3,
      dropped: 1,
      sold: 1,
      requests: 2,
      end: settled,
    });
    expect(s.adds.map((a) => a.serials)).toEqual([S(4), ['S2', 'S3']]);
    expect(run.saved.sizing.size).toBe(2);
  });

  it('found fewer than the answer added: only what was found counts', async () => {
    const s = fakeShop({
      add: (n, b) => (n === 0 ? trunc(3, 3) : ok(b.length, 3)),
      read: () => ['S0'],
    });
    const run = makeRun(s, { batchSize: 4 });
    const o = await settle(run, S(4));
    // S0 found; S1..S3 absent and resent (the pool drops duplicates).
    expect(o).toEqual({ ...base, sent: 4, added: 4, requests: 3, end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([S(4), ['S1', 'S2'], ['S3']]);
    expect(run.saved.sizing.size).toBe(2);
  });

  it('the read-back fails: the answer is not counted, the batch in flight', async () => {
    const err = new UsageError('cannot read');
    const s = fakeShop({
      add: () => trunc(2, 2),
      read: () => {
        throw err;
      },
    });
    const o = await settle(makeRun(s, { batchSize: 4 }), S(5));
    expect(o).toEqual({
      ...base,
      requests: 1,
      end: { kind: 'stop', error: err, inflight: S(4), pending: ['S4'], mayStillLand: false },
    });
  });
});

describe('settleUnit: resuming a unit left in flight', () => {
  it('drops duplicates, may still land: found ones count, the absent are uncertain', async () => {
    const s = fakeShop({ read: () => ['S1'] });
    const o = await settle(makeRun(s), S(3), {
      sentUpTo: 3,
      requests: 1,
      sizeBefore: null,
      mayStillLand: true,
    });
    expect(o).toMatchObject({ sent: 1, found: 1, uncertain: ['S0', 'S2'], end: settled });
    expect(s.adds).toEqual([]);
  });

  it('drops duplicates, cannot land any more: the absent are resent', async () => {
    const s = fakeShop({ read: () => ['S1'] });
    const o = await settle(makeRun(s), S(3), {
      sentUpTo: 3,
      requests: 2,
      sizeBefore: null,
      mayStillLand: false,
    });
    expect(o).toMatchObject({ sent: 3, added: 2, found: 1, uncertain: [], end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([['S0', 'S2']]);
  });

  it('serials the stopped run never sent are sent without a read-back verdict on them', async () => {
    const s = fakeShop({ read: () => [] });
    const o = await settle(makeRun(s), S(4), {
      sentUpTo: 2,
      requests: 1,
      sizeBefore: null,
      mayStillLand: true,
    });
    // S0, S1 may still land; S2, S3 never went out.
    expect(o).toMatchObject({ uncertain: ['S0', 'S1'], sent: 2, added: 2 });
    expect(s.adds.map((a) => a.serials)).toEqual([['S2', 'S3']]);
  });

  it('keeps duplicates, may still land: the absent are uncertain even after a matched prefix', async () => {
    const s = fakeShop({ read: () => ['S0'] });
    const o = await settle(makeRun(s, { target: target({ dedup: false }) }), S(2), {
      sentUpTo: 2,
      requests: 1,
      sizeBefore: 0,
      mayStillLand: true,
    });
    expect(o).toMatchObject({ sent: 1, found: 1, uncertain: ['S1'], end: settled });
    expect(s.adds).toEqual([]);
  });

  it('keeps duplicates, cannot land any more: the absent are resent', async () => {
    const s = fakeShop({ read: () => ['S0'] });
    const o = await settle(makeRun(s, { target: target({ dedup: false }) }), S(2), {
      sentUpTo: 2,
      requests: 1,
      sizeBefore: 0,
      mayStillLand: false,
    });
    expect(o).toEqual({ ...base, sent: 2, added: 1, found: 1, requests: 1, end: settled });
    expect(s.adds.map((a) => a.serials)).toEqual([['S1']]);
  });

  it('the read-back fails: the whole unit stays in flight', async () => {
    const err = new UsageError('cannot read');
    const s = fakeShop({
      read: () => {
        throw err;
      },
    });
    const o = await settle(makeRun(s), S(3), {
      sentUpTo: 3,
      requests: 1,
      sizeBefore: null,
      mayStillLand: true,
    });
    expect(o).toEqual({
      ...base,
      outstanding: true,
      end: { kind: 'stop', error: err, inflight: S(3), pending: [], mayStillLand: true },
    });
  });

  it('an empty unit is not read back', async () => {
    const s = fakeShop({});
    const o = await settle(makeRun(s), [], {
      sentUpTo: 3,
      requests: 1,
      sizeBefore: null,
      mayStillLand: true,
    });
    expect(o).toMatchObject({ sent: 0, uncertain: [], end: settled });
    expect(s.reads).toEqual([]);
  });
});

describe('settleUnit: what a stop leaves settled', () => {
  const keep = target({ dedup: false });

  it('keeping duplicates, a truncated answer settles the first lines: a stop after it keeps them out of doubt', async () => {
    const s = fakeShop({
      add: (n) => {
        if (n === 0) return { added: 6, total: 6, truncated: true, capped: false };
        throw new InterruptedError();
      },
    });
    const o = await settle(makeRun(s, { batchSize: 7, target: keep }), S(7));
    expect(o.prefix).toMatchObject({ upTo: 6, added: 6, requests: 1 });
    expect(o.end).toMatchObject({ kind: 'stop', inflight: ['S6'] });
  });

  it('a resume skips the settled prefix: counted as before, only the rest read back', async () => {
    const s = fakeShop({ read: () => ['S0', 'S1', 'S2', 'S3', 'S4', 'S5'] });
    const o = await settle(makeRun(s, { target: keep }), S(7), {
      sentUpTo: 7,
      requests: 2,
      sizeBefore: 6,
      mayStillLand: true,
      prefix: { upTo: 6, added: 6, dropped: 0, found: 0, requests: 1 },
    });
    // S6's request got no answer and the pool did not grow: it may still land.
    expect(o).toMatchObject({ sent: 6, added: 6, found: 0, uncertain: ['S6'] });
    expect(s.adds).toEqual([]);
  });

  it('clean answers grow the prefix request by request; a hole (an uncertain serial) stops it', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 2) throw new ServerError('gateway', { status: 502 });
        return ok(b.length, 10);
      },
      read: () => [],
    });
    const o = await settle(makeRun(s, { batchSize: 2 }), S(8));
    expect(o.prefix.upTo).toBe(4);
    expect(o.uncertain).toEqual(['S4', 'S5']);
  });

  it('the prefix counts the requests of every run, so a second resume knows how many went out after it', async () => {
    // Run 1 settled S0 by one answer, then stopped; run 2 (this one) settles the rest by two more.
    const s = fakeShop({ add: (_n, b) => ok(b.length, 10) });
    const o = await settle(makeRun(s, { batchSize: 1, target: keep }), S(3), {
      sentUpTo: 1,
      requests: 1,
      sizeBefore: 0,
      mayStillLand: false,
      prefix: { upTo: 1, added: 1, dropped: 0, found: 0, requests: 1 },
    });
    expect(o.prefix).toMatchObject({ upTo: 3, requests: 3 });
    // Were it 2 (this run's only), a third run would take a two-request part for one batch.
  });

  it('a resume resends what a finished request left unstored, and lists as uncertain only what an open one carried', async () => {
    // S0–S3 went out; S2, S3 were carried by a request that got no answer, S0, S1 by one that did.
    const s = fakeShop({ read: () => [] });
    const o = await settle(makeRun(s), S(4), {
      sentUpTo: 4,
      requests: 2,
      sizeBefore: null,
      mayStillLand: true,
      open: [[2, 4]],
    });
    expect(o.uncertain).toEqual(['S2', 'S3']);
    expect(s.adds.map((a) => a.serials)).toEqual([['S0', 'S1']]);
  });

  it('a resume sends again what the stopped run knew was not stored, and doubts only what an open request carried', async () => {
    // S0 settled; S1 carried by a request that got no answer; S2, S3 answered as not stored (a truncation).
    const s = fakeShop({ read: () => ['S0'] });
    const o = await settle(makeRun(s, { target: keep }), S(4), {
      sentUpTo: 4,
      requests: 2,
      sizeBefore: 1,
      mayStillLand: true,
      prefix: { upTo: 1, added: 1, dropped: 0, found: 0, requests: 1 },
      open: [[1, 2]],
      notStored: [[2, 4]],
    });
    expect(o.uncertain).toEqual(['S1']);
    expect(s.adds.map((a) => a.serials)).toEqual([['S2', 'S3']]);
  });

  it('keeping duplicates, a resend that was the only request of unknown fate is judged by the pool’s growth since it went out', async () => {
    // S0, S1 went out twice: the first answer said nothing was stored (read back), the resend got no answer.
    const s = fakeShop({ read: () => ['OLD-1', 'OLD-2', 'S0', 'S1'] });
    const o = await settle(makeRun(s, { target: keep }), S(2), {
      sentUpTo: 2,
      requests: 2,
      sizeBefore: 2,
      mayStillLand: true,
      open: [[0, 2]],
      last: [[0, 2]],
    });
    expect(o).toMatchObject({ found: 2, uncertain: [] });
    expect(s.adds).toEqual([]);
  });

  it('a stop records what is known not stored, for the resume', async () => {
    const ac = new AbortController();
    const s = fakeShop({
      add: () => {
        ac.abort(); // Ctrl-C while the truncated answer comes back
        return { added: 2, total: 2, truncated: true, capped: false };
      },
    });
    const o = await settle(makeRun(s, { batchSize: 4, target: keep, signal: ac.signal }), S(4));
    // S2, S3 were answered as not stored; the stop came before they went out again.
    expect(o.notStored).toEqual([[2, 4]]);
  });

  it('a key whose request may still land is not sent again from a later line (drops duplicates, sold keys leave)', async () => {
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
      target: target({ removeSold: true }),
      sales: { statuses: [], whole: true },
    });
    const o = await settle(run, ['X', 'A', 'X']);
    // The first X may still land; a sale of it then a resend would sell it twice.
    expect(o.uncertain).toEqual(['X', 'X']);
    expect(s.adds.map((a) => a.serials)).toEqual([['X'], ['A']]);
  });

  it('keeping duplicates, a repeated serial resent after a partial landing is journaled at its own position', async () => {
    const s = fakeShop({
      add: (n) => {
        throw new ServerError(n === 0 ? 'boom' : 'gateway', { status: n === 0 ? 500 : 504 });
      },
      read: () => ['a'],
    });
    const run = makeRun(s, { batchSize: 2, target: target({ dedup: false }), poolTotal: 0 });
    const o = await settle(run, ['a', 'a']);
    // The first a landed; the second went again and got no answer: only position 1 may land.
    expect(o.openRanges).toEqual([[1, 2]]);
    expect(o.uncertain).toEqual(['a']);
  });

  it('a held key on a later line is journaled as may-land too, so a resume never sends it', async () => {
    const s = fakeShop({
      add: (n, b) => {
        if (n === 0) throw new ServerError('gateway', { status: 504 });
        return ok(b.length, 9);
      },
      read: () => [],
      orders: () => [],
    });
    const run = makeRun(s, {
      batchSize: 2,
      target: target({ removeSold: true }),
      sales: { statuses: [], whole: true },
    });
    const o = await settle(run, ['s', 'x', 's', 'y']);
    expect(o.openRanges).toEqual([[0, 3]]);
    expect(s.adds.map((a) => a.serials)).toEqual([['s', 'x'], ['y']]);
  });
});
