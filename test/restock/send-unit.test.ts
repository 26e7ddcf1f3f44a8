// processUnit against a fake service: what is committed when writing the
// unsent file fails (a full disk).
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import type { Context } from '../../src/context.js';
import { ServerError } from '../../src/errors.js';
import { Unit } from '../../src/restock/batch.js';
import { emptyCounters } from '../../src/restock/journal.js';
import type { Run } from '../../src/restock/run.js';
import { processUnit } from '../../src/restock/send-unit.js';
import type { UnsentFile } from '../../src/restock/unsent.js';
import { freshState } from './helpers.js';

function unitOf(serials: string[], fromLine = 0): Unit {
  const body = Buffer.from(JSON.stringify({ stock: serials.join('\n') }));
  return new Unit(fromLine, fromLine + serials.length, serials.length, body, 0, 0, 0);
}

function fakeRun(
  unsent: Pick<UnsentFile, 'write' | 'bytes'>,
  uncertain: Pick<UnsentFile, 'write' | 'bytes'> = { bytes: 0, write() {} },
): Run {
  const api = {
    baseUrl: 'http://127.0.0.1/api/v1',
    async request(req: { method: string }) {
      // The pool is full: nothing of the batch is stored.
      const text =
        req.method === 'POST'
          ? JSON.stringify({ added: 0, total: 0, capped: true })
          : JSON.stringify({ items: [] });
      return { status: 200, headers: {}, text, durationMs: 0, attempts: 1 };
    },
  } as unknown as ApiClient;
  const state = freshState();
  const ctx = {
    clock: { now: () => 0, sleep: async () => {} },
  } as unknown as Context;
  return {
    ctx,
    api,
    target: { kind: 'warehouse', id: 'w', poolRemoveDuplicates: true, removeSold: false },
    state,
    unsent: unsent as UnsentFile,
    uncertain: uncertain as UnsentFile,
    progress: { update() {}, note() {}, stop() {} },
    sendSignal: new AbortController().signal,
    requestDedup: undefined,
    effectiveDedup: true,
    capped: false,
    uncommitted: [],
    inflightSerials: 0,
    flushJournal: async () => {},
    requests: 0,
    startCounters: emptyCounters(),
    totalLines: 3,
  } as unknown as Run;
}

describe('processUnit', () => {
  it('commits nothing when the unsent file cannot be written (disk full): the unit stays in flight', async () => {
    const run = fakeRun({
      bytes: 0,
      write() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
        });
      },
    });
    await expect(processUnit(run, unitOf(['A', 'B', 'C']))).rejects.toThrow(/ENOSPC/);
    // Nothing counted, nothing settled: a resume reconciles lines [0, 3) again,
    // so counting them now would count them twice.
    expect(run.state.counters).toEqual(emptyCounters());
    expect(run.state.committedLine).toBe(0);
    expect(run.state.inflight).toMatchObject({ fromLine: 0, toLine: 3 });
  });

  it('commits the unit once its unsent serials are written', async () => {
    const written: string[] = [];
    const unsent = {
      bytes: 0,
      write(serials: readonly string[]) {
        written.push(...serials);
        this.bytes += serials.join('\n').length + 1;
      },
    };
    const run = fakeRun(unsent);
    await processUnit(run, unitOf(['A', 'B', 'C']));
    expect(written).toEqual(['A', 'B', 'C']);
    expect(run.state.counters).toMatchObject({ lines: 3, sent: 0, unsent: 3 });
    expect(run.state.counters.unsentReasons).toEqual({ 'pool full': 3 });
    expect(run.state.committedLine).toBe(3);
    expect(run.state.unsentBytes).toBe(6);
    expect(run.state.inflight).toBeNull();
  });
});

describe('processUnit: two files', () => {
  it('commits nothing, and takes the unsent lines back, when the uncertain file cannot be written', async () => {
    const unsent = {
      bytes: 0,
      lines: 0,
      rewound: false,
      write(serials: readonly string[]) {
        this.bytes += serials.join('\n').length + 1;
        this.lines += serials.length;
      },
      rewind(bytes: number, lines: number) {
        this.bytes = bytes;
        this.lines = lines;
        this.rewound = true;
      },
    };
    const run = fakeRun(unsent, {
      bytes: 0,
      write() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
        });
      },
    });
    // A 502 in a pool that keeps duplicates: A absent yet maybe still being stored.
    let posts = 0;
    run.api = {
      async request(req: { method: string }) {
        if (req.method === 'POST' && posts++ === 0) {
          throw new ServerError('bad gateway', { status: 502 });
        }
        const text =
          req.method === 'POST'
            ? JSON.stringify({ added: 0, total: 0, capped: true })
            : JSON.stringify({ items: [] });
        return { status: 200, headers: {}, text, durationMs: 0, attempts: 1 };
      },
    } as unknown as ApiClient;
    run.effectiveDedup = false;
    run.state.batchSize = 1;
    await expect(processUnit(run, unitOf(['A', 'B']))).rejects.toThrow(/ENOSPC/);
    expect(unsent.rewound).toBe(true);
    expect(unsent.bytes).toBe(0);
    expect(run.state.counters).toEqual(emptyCounters());
    expect(run.state.inflight).toMatchObject({ fromLine: 0, toLine: 2 });
  });
});

describe('processUnit: truncated batch in a pool that keeps duplicates', () => {
  /** A pool holding `before`; each POST stores what `store` picks of the batch. */
  function keepDuplicatesRun(before: string[], store: (batch: string[], call: number) => string[]) {
    const written: string[] = [];
    const uncertain: string[] = [];
    const run = fakeRun(
      {
        bytes: 0,
        write(serials: readonly string[]) {
          written.push(...serials);
        },
      },
      {
        bytes: 0,
        write(serials: readonly string[]) {
          uncertain.push(...serials);
        },
      },
    );
    const pool = [...before];
    let call = 0;
    run.api = {
      async request(req: { method: string; rawBody?: Buffer | string }) {
        let text = JSON.stringify({ items: pool });
        if (req.method === 'POST') {
          const batch = (JSON.parse(String(req.rawBody)) as { stock: string }).stock.split('\n');
          const kept = store(batch, call++);
          pool.push(...kept);
          text = JSON.stringify({
            added: kept.length,
            total: pool.length,
            truncated: kept.length < batch.length,
          });
        }
        return { status: 200, headers: {}, text, durationMs: 0, attempts: 1 };
      },
    } as unknown as ApiClient;
    run.effectiveDedup = false;
    return { run, pool, written, uncertain };
  }

  it('an old copy in the pool is not taken for the batch’s: the stored prefix is told by the newest items', async () => {
    const { run, pool, written } = keepDuplicatesRun(['C'], (b, i) =>
      i === 0 ? b.slice(0, 1) : b,
    );
    await processUnit(run, unitOf(['A', 'B', 'C']));
    expect(pool).toEqual(['C', 'A', 'B', 'C']);
    expect(written).toEqual([]);
    expect(run.state.counters).toMatchObject({ lines: 3, sent: 3, unsent: 0 });
  });

  it('when the service did not keep a prefix, the serials found are of unknown fate, never resent', async () => {
    // The service stored C (not the first serial); A was in the pool already.
    const { run, pool, written, uncertain } = keepDuplicatesRun(['A'], (b, i) =>
      i === 0 ? ['C'] : b,
    );
    await processUnit(run, unitOf(['A', 'B', 'C']));
    // B, provably absent, was resent; A and C may or may not be this batch's:
    // listed in the uncertain file (not the unsent one), not resent.
    expect(pool).toEqual(['A', 'C', 'B']);
    expect(written).toEqual([]);
    expect(uncertain.sort()).toEqual(['A', 'C']);
    expect(run.state.counters).toMatchObject({ lines: 3, sent: 1, unsent: 0, uncertain: 2 });
    expect(run.state.counters.unsentReasons).toEqual({});
  });
});
