// The small parts of a restock, each with exact values: the target as the
// service shows it, the unsent/uncertain list files, the summary's own part
// of a resumed run, the end-of-run error and the invariant check, and the
// checks a new run or a --resume makes before anything is sent.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resources } from '../../src/api/resources/index.js';
import type { Context } from '../../src/context.js';
import {
  ApiError,
  AuthError,
  CliError,
  NotFoundError,
  PartialRestockError,
  ServerError,
  UsageError,
  ValidationError,
} from '../../src/errors.js';
import type { PreparedInput } from '../../src/restock/input.js';
import { emptyCounters, type Journal, type JournalState } from '../../src/restock/journal.js';
import { checkInvariant, endError } from '../../src/restock/outcome.js';
import { Serials } from '../../src/restock/serials.js';
import { checkResume, newState } from '../../src/restock/start.js';
import { summaryOf } from '../../src/restock/summary.js';
import { classifySendError, describeTarget, sendStock } from '../../src/restock/target.js';
import { UnsentFile } from '../../src/restock/unsent.js';
import { tempDir } from '../helpers/cli.js';
import { fakeShop, target } from './fake-shop.js';

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});
function tmp(): string {
  const d = tempDir('astrosell-parts-');
  dirs.push(d);
  return d.dir;
}

describe('describeTarget', () => {
  function shopOf(o: {
    warehouses?: unknown[];
    products?: unknown[];
    warehouse?: unknown;
    product?: unknown;
  }) {
    const calls: string[] = [];
    const shop = {
      warehouses: {
        list: async () => {
          calls.push('warehouses.list');
          return { data: o.warehouses ?? [] };
        },
        get: async (id: string) => {
          calls.push(`warehouses.get ${id}`);
          return { data: o.warehouse };
        },
      },
      products: {
        list: async () => {
          calls.push('products.list');
          return { data: o.products ?? [] };
        },
        get: async (id: string) => {
          calls.push(`products.get ${id}`);
          return { data: o.product };
        },
      },
    } as unknown as Resources;
    return { shop, calls };
  }

  it('a listed warehouse: its own settings and count', async () => {
    const { shop, calls } = shopOf({
      warehouses: [
        { id: 'W0', removeDuplicates: true, removeSold: true, count: 1 },
        { id: 'W1', removeDuplicates: false, removeSold: false, count: 7 },
      ],
    });
    expect(await describeTarget(shop, 'warehouse', 'W1', false)).toMatchObject({
      kind: 'warehouse',
      id: 'W1',
      dedup: false,
      dedupFrom: 'pool',
      removeSold: false,
      size: 7,
      poolId: 'warehouse:W1',
    });
    expect(calls).toEqual(['warehouses.list', 'products.list']);
  });

  it('a warehouse not listed is read by id; the flag wins; an odd count is no size', async () => {
    const { shop, calls } = shopOf({
      warehouses: [{ id: 'W0', removeDuplicates: true }],
      warehouse: { id: 'W2', removeDuplicates: null, count: 2.5 },
    });
    expect(await describeTarget(shop, 'warehouse', 'W2', true)).toMatchObject({
      kind: 'warehouse',
      id: 'W2',
      dedup: true,
      dedupFrom: 'flag',
      removeSold: true,
      size: null,
      poolId: 'warehouse:W2',
    });
    expect(calls).toEqual(['warehouses.list', 'products.list', 'warehouses.get W2']);
  });

  it('a warehouse that does not show its setting: the default, false', async () => {
    const { shop } = shopOf({ warehouses: [{ id: 'W3', count: 0 }] });
    expect(await describeTarget(shop, 'warehouse', 'W3', false)).toMatchObject({
      dedup: false,
      dedupFrom: 'default',
      removeSold: true,
      size: 0,
    });
  });

  it("a listed product: its warehouse's settings, its stock", async () => {
    const { shop, calls } = shopOf({
      warehouses: [{ id: 'W5', removeDuplicates: true, removeSold: false, count: 99 }],
      products: [
        { id: 'P0', type: 'serials', warehouseId: 'W0', stock: 1 },
        { id: 'P1', type: 'serials', warehouseId: 'W5', stock: 4 },
      ],
    });
    expect(await describeTarget(shop, 'product', 'P1', false)).toMatchObject({
      kind: 'product',
      id: 'P1',
      dedup: true,
      dedupFrom: 'pool',
      removeSold: false,
      size: 4,
      poolId: 'warehouse:W5',
    });
    expect(calls).toEqual(['warehouses.list', 'products.list']);
  });

  it('a product not listed is read by id; without a warehouse, defaults', async () => {
    const { shop, calls } = shopOf({
      warehouses: [{ id: 'W5', removeDuplicates: true }],
      products: [{ id: 'P0', type: 'serials' }],
      product: { id: 'P2', stock: 3 },
    });
    expect(await describeTarget(shop, 'product', 'P2', false)).toMatchObject({
      kind: 'product',
      id: 'P2',
      dedup: false,
      dedupFrom: 'default',
      removeSold: true,
      size: 3,
      poolId: 'product:P2',
    });
    expect(calls).toEqual(['warehouses.list', 'products.list', 'products.get P2']);
  });

  it('a product of another type has no stock to restock', async () => {
    const { shop } = shopOf({ products: [{ id: 'P3', type: 'file' }] });
    await expect(describeTarget(shop, 'product', 'P3', false)).rejects.toThrow(
      new UsageError('product P3 is a file product; only serials products have stock to restock'),
    );
  });

  it('whose sales are its own: orders of products drawing from the pool, by title; a title shared with another pool is unclear', async () => {
    const { shop } = shopOf({
      warehouses: [{ id: 'W1', count: 0 }],
      products: [
        { id: 'PA', title: 'A', warehouseId: 'W1' },
        { id: 'PB', title: 'B', warehouseId: 'W2' },
        { id: 'PC1', title: 'C', warehouseId: 'W1' },
        { id: 'PC2', title: 'C', warehouseId: 'W2' },
      ],
    });
    const t = await describeTarget(shop, 'warehouse', 'W1', false);
    expect(t.orderPool({ productTitle: 'A' })).toBe('this');
    expect(t.orderPool({ productTitle: 'B' })).toBe('other');
    expect(t.orderPool({ productTitle: 'C' })).toBe('unknown');
    expect(t.orderPool({ productTitle: 'Z' })).toBe('unknown');
    expect(t.orderPool({})).toBe('unknown');
  });
});

describe('sendStock and classifySendError', () => {
  it('an answer without the documented fields: unknown, finished (the HTTP status named)', async () => {
    const s = fakeShop({ add: () => ({ raw: '{"ok":true}', status: 201 }) });
    const r = await sendStock(
      s.shop,
      target(),
      Serials.of(['A', 'B']),
      new AbortController().signal,
    );
    expect(r).toMatchObject({ kind: 'unknown', finished: true, interrupted: false });
    const e = (r as { error: ServerError }).error;
    expect(e).toBeInstanceOf(ServerError);
    expect(e.message).toBe(
      'the service answered a stock add of 2 serials with HTTP 201 but not an answer the pool could give (added/total/truncated/capped)',
    );
    expect(e.status).toBe(201);
    expect(s.adds).toEqual([
      { serials: ['A', 'B'], removeDuplicates: true, kind: 'warehouse', id: 'W1' },
    ]);
  });

  it('a whole answer is answered', async () => {
    const s = fakeShop({});
    const r = await sendStock(
      s.shop,
      target({ dedup: false }),
      Serials.of(['A']),
      new AbortController().signal,
    );
    expect(r).toEqual({
      kind: 'answered',
      answer: { added: 1, total: 1, truncated: false, capped: false },
      bodyBytes: Buffer.byteLength('{"stock":"A","removeDuplicates":false}'),
    });
    expect(s.adds[0]!.removeDuplicates).toBe(false);
  });

  it('only a 4xx is a refusal; anything else is thrown on', () => {
    const e404 = new NotFoundError('gone');
    expect(classifySendError(e404)).toEqual({ kind: 'refused', error: e404 });
    const e499 = new ApiError('odd', 'failure', { status: 499 });
    expect(classifySendError(e499)).toEqual({ kind: 'refused', error: e499 });
    for (const status of [500, 200]) {
      const e = new ApiError('odd', 'failure', { status });
      expect(() => classifySendError(e)).toThrow(e);
    }
    let caught: unknown = 'nothing';
    try {
      classifySendError(null);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeNull();
  });
});

describe('UnsentFile', () => {
  it('created on the first write only, 0600, one serial a line', () => {
    const p = join(tmp(), 'u.txt');
    const f = new UnsentFile(p, 0);
    expect(f.exists).toBe(false);
    f.write([]);
    expect(f.exists).toBe(false);
    f.write(['A', 'B']);
    f.write(['C']);
    expect(f.exists).toBe(true);
    expect([f.bytes, f.lines]).toEqual([6, 3]);
    expect(readFileSync(p, 'utf8')).toBe('A\nB\nC\n');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    f.close();
    expect(f.exists).toBe(false);
    f.close();
  });

  it('lists every serial exactly, one a line, however many a write and whatever they hold', () => {
    const p = join(tmp(), 'u.txt');
    const f = new UnsentFile(p, 0);
    const many = Array.from({ length: 9000 }, (_, i) => `KEY-${i}-ÄÖ-日本-${'x'.repeat(i % 40)}`);
    const long = 'é'.repeat(512); // 1,024 bytes: the longest serial there is
    const all = [...many.slice(0, 5000), long, ...many.slice(5000), long];
    f.write(all.slice(0, 5001));
    f.write(all.slice(5001));
    const text = readFileSync(p, 'utf8');
    expect(text.split('\n').slice(0, -1)).toEqual(all);
    expect([f.bytes, f.lines]).toEqual([Buffer.byteLength(text), all.length]);
  });

  it('rewind drops what was written after a length, never grows', () => {
    const p = join(tmp(), 'u.txt');
    const f = new UnsentFile(p, 0);
    f.rewind(0, 0);
    f.write(['AA', 'BB', 'CC']);
    f.rewind(3, 1);
    expect([f.bytes, f.lines]).toEqual([3, 1]);
    expect(readFileSync(p, 'utf8')).toBe('AA\n');
    f.rewind(100, 50);
    expect([f.bytes, f.lines]).toEqual([3, 1]);
    expect(readFileSync(p, 'utf8')).toBe('AA\n');
    f.write(['DD']);
    expect(readFileSync(p, 'utf8')).toBe('AA\nDD\n');
    f.close();
  });

  it('a file made after the list was opened is written over from the start', () => {
    const p = join(tmp(), 'u.txt');
    const f = new UnsentFile(p, 0);
    writeFileSync(p, 'zzzzzz\n');
    f.write(['A']);
    expect(readFileSync(p, 'utf8')).toBe('A\nzzzz\n');
    f.close();
  });

  it('resume: the settled part kept, the tail cut off, writes go on after it', () => {
    const p = join(tmp(), 'u.txt');
    writeFileSync(p, 'A\nB\nTAIL\n');
    const f = new UnsentFile(p, 4, 'uncertain');
    expect(f.exists).toBe(true);
    expect(readFileSync(p, 'utf8')).toBe('A\nB\n');
    f.write(['C']);
    expect(readFileSync(p, 'utf8')).toBe('A\nB\nC\n');
    expect([f.bytes, f.lines]).toEqual([6, 1]);
    f.close();
    // Exactly the settled length: kept as is.
    const g = new UnsentFile(p, 6);
    expect(readFileSync(p, 'utf8')).toBe('A\nB\nC\n');
    g.close();
    // An existing file with nothing settled: emptied.
    const h = new UnsentFile(p, 0);
    expect(h.exists).toBe(true);
    expect(readFileSync(p, 'utf8')).toBe('');
    h.close();
  });

  it('resume: a settled part gone or cut short is refused', () => {
    const d = tmp();
    const gone = join(d, 'gone.txt');
    let e = catchError(() => new UnsentFile(gone, 4));
    expect(e).toBeInstanceOf(CliError);
    expect(e.message).toBe(
      `the unsent file ${gone} of the interrupted restock is gone: it listed serials that were not stored; refusing to resume`,
    );
    expect((e as CliError).hint).toBe('put the file back as it was, then run --resume again');
    expect((e as CliError).exitCode).toBe(1);
    const short = join(d, 'short.txt');
    writeFileSync(short, 'A\n');
    e = catchError(() => new UnsentFile(short, 4, 'uncertain'));
    expect(e.message).toBe(
      `the uncertain file ${short} of the interrupted restock is shorter than the journal says: it listed serials whose outcome is unknown; refusing to resume`,
    );
    // Any other failure to open is passed on as is.
    const folder = join(d, 'folder');
    mkdirSync(folder);
    e = catchError(() => new UnsentFile(folder, 4));
    expect((e as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('summaryOf', () => {
  it("a resumed run's own part is the difference of the counters", () => {
    const start = {
      ...emptyCounters(),
      lines: 10,
      sent: 8,
      added: 5,
      droppedByPool: 2,
      foundStored: 1,
      unsent: 1,
      uncertain: 1,
      batches: 2,
    };
    const now = {
      ...emptyCounters(),
      lines: 30,
      sent: 25,
      added: 20,
      droppedByPool: 3,
      foundStored: 2,
      unsent: 3,
      uncertain: 2,
      batches: 5,
      blank: 4,
    };
    const s = summaryOf({ kind: 'warehouse', id: 'W1' }, now, {
      dryRun: false,
      durationMs: 7,
      status: 'complete',
      batchSize: 10,
      startCounters: start,
      resumed: true,
    });
    expect(s.thisRun).toEqual({
      lines: 20,
      sent: 17,
      added: 15,
      droppedByPool: 1,
      foundStored: 1,
      unsent: 2,
      uncertain: 1,
      batches: 3,
    });
    expect(s).not.toHaveProperty('startCounters');
    expect(s.removeDuplicates).toBeNull();
  });
});

describe('endError', () => {
  const state = {
    unsentFile: '/x/unsent.txt',
    uncertainFile: '/x/unsent.txt.uncertain',
  } as JournalState;
  const opts = { kind: 'warehouse' as const, id: 'W1', files: [] };
  const counters = (o: Partial<ReturnType<typeof emptyCounters>>) => ({ ...emptyCounters(), ...o });
  const settled = { kind: 'settled' } as const;
  const UNC_HINT =
    'the uncertain serials may still be stored by a request the service has not finished; once it can no longer matter, list those missing from the pool (astrosell warehouses diff W1 /x/unsent.txt.uncertain --show missing) and restock only those';

  it('nothing left out: no error', () => {
    expect(endError(settled, counters({ sent: 3 }), state, opts, false)).toBeUndefined();
  });

  it('unsent only', () => {
    const e = endError(
      { kind: 'capped', reason: 'pool full' },
      counters({ sent: 2, unsent: 1234, unsentReasons: { 'pool full': 1200, x: 34 } }),
      state,
      opts,
      false,
    )!;
    expect(e).toBeInstanceOf(PartialRestockError);
    expect(e.message).toBe(
      '1,234 serials were not stored (1,200 pool full, 34 x); they are listed in /x/unsent.txt',
    );
    expect(e.hint).toMatch(/^the unsent file can be restocked/);
  });

  it('uncertain only', () => {
    const e = endError(settled, counters({ uncertain: 2 }), state, opts, false)!;
    expect(e).toBeInstanceOf(PartialRestockError);
    expect(e.message).toBe(
      '2 serials may or may not have been stored (outcome unknown); they are listed in /x/unsent.txt.uncertain',
    );
    expect(e.hint).toBe(UNC_HINT);
  });

  const refusal = (error: CliError) => ({ kind: 'refused' as const, error, reason: 'r' });

  it('a refusal before anything was stored keeps its own code', () => {
    const bad = new ValidationError('bad serial', { status: 400 });
    const e = endError(
      refusal(bad),
      counters({ unsent: 2, unsentReasons: { r: 2 } }),
      state,
      opts,
      false,
    )!;
    expect(e.message).toBe(
      'bad serial; nothing was stored; 2 serials were not stored (2 r); they are listed in /x/unsent.txt',
    );
    expect(e.exitCode).toBe(2);
    expect(e.hint).toMatch(/^the unsent file can be restocked/);
    expect(e.cause).toBe(bad);
    expect(e).not.toBeInstanceOf(PartialRestockError);
  });

  it('a refusal after something was stored, resumed, or with uncertain ones: 7 (3 for auth)', () => {
    const bad = new ValidationError('bad serial', { status: 400 });
    const c = counters({ sent: 1, unsent: 2, unsentReasons: { r: 2 } });
    expect(endError(refusal(bad), c, state, opts, false)!.exitCode).toBe(7);
    const c0 = counters({ unsent: 2, unsentReasons: { r: 2 } });
    expect(endError(refusal(bad), c0, state, opts, true)!.exitCode).toBe(7);
    const cu = counters({ unsent: 2, uncertain: 1, unsentReasons: { r: 2 } });
    const eu = endError(refusal(bad), cu, state, opts, false)!;
    expect(eu.exitCode).toBe(7);
    expect(eu.message).toBe(
      '2 serials were not stored (2 r); they are listed in /x/unsent.txt; 1 serials may or may not have been stored (outcome unknown); they are listed in /x/unsent.txt.uncertain',
    );
    expect(eu.hint).toBe(
      `the unsent file can be restocked as is once the cause is dealt with; ${UNC_HINT}`,
    );
    const auth = new AuthError('key revoked', { status: 401 });
    const ea = endError(refusal(auth), c, state, opts, false)!;
    expect(ea.exitCode).toBe(3);
    expect(ea.message).toBe(
      'key revoked; 2 serials were not stored (2 r); they are listed in /x/unsent.txt',
    );
    expect(ea.hint).toBe('the unsent file can be restocked as is once the cause is dealt with');
    expect(ea.cause).toBe(auth);
  });
});

describe('checkInvariant', () => {
  const good = {
    ...emptyCounters(),
    lines: 10,
    blank: 1,
    rejected: 1,
    duplicates: 1,
    sent: 4,
    added: 2,
    droppedByPool: 1,
    foundStored: 1,
    unsent: 2,
    uncertain: 1,
  };
  it('counts that add up pass', () => {
    expect(() => checkInvariant(good, 10)).not.toThrow();
  });
  it('each way of not adding up fails, naming every count', () => {
    expect(() => checkInvariant(good, 11)).toThrow(
      'internal error: 11 input lines, 10 read, 10 accounted for (blank 1, rejected 1, duplicates 1, sent 4 = added 2 + already in the pool 1 + found stored 1, unsent 2, uncertain 1)',
    );
    expect(() => checkInvariant({ ...good, lines: 11 }, 11)).toThrow(
      /^internal error: 11 input lines, 11 read, 10 accounted for/,
    );
    expect(() => checkInvariant({ ...good, added: 3 }, 10)).toThrow(/sent 4 = added 3 \+/);
    expect(() => checkInvariant({ ...good, blank: 2, rejected: 0 }, 10)).not.toThrow();
  });
});

describe('checkResume', () => {
  const journal = { path: '/cfg/restock/k.json' } as Journal;
  const j = {
    inputs: [{ name: '/in/a.txt', size: 10, sha256: 'aa' }],
    removeDuplicates: false,
  } as JournalState;
  const prepared = (files: Array<{ name: string; size: number; sha256: string }>) =>
    ({ files: files.map((f) => ({ ...f, readPath: f.name })) }) as PreparedInput;
  const opts = { kind: 'warehouse' as const, id: 'W1', files: [], resume: true };
  const same = prepared([{ name: 'a.txt', size: 10, sha256: 'aa' }]);

  it('the same input and flags: goes on', () => {
    expect(() => checkResume(j, opts, same, journal)).not.toThrow();
  });
  it('without --resume: refused, naming the journal', () => {
    const e = catchError(() =>
      checkResume(j, { ...opts, resume: false }, same, journal),
    ) as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      'an interrupted restock of this warehouse with this input was not finished (journal /cfg/restock/k.json)',
    );
    expect(e.hint).toBe(
      'add --resume to continue it without resending what was stored, or delete the journal to start over',
    );
  });
  it('other files, a changed size or hash, another --remove-duplicates: refused', () => {
    const two = prepared([
      { name: 'a.txt', size: 10, sha256: 'aa' },
      { name: 'b.txt', size: 1, sha256: 'bb' },
    ]);
    expect(() => checkResume(j, opts, two, journal)).toThrow(
      new UsageError('the input differs from the interrupted restock: not the same files'),
    );
    for (const f of [
      { name: 'a.txt', size: 11, sha256: 'aa' },
      { name: '-', size: 10, sha256: 'ab' },
    ]) {
      const e = catchError(() => checkResume(j, opts, prepared([f]), journal)) as UsageError;
      expect(e.message).toBe(
        `${f.name === '-' ? 'standard input' : f.name} changed since the interrupted restock (size or SHA-256 differ); refusing to resume`,
      );
      expect(e.hint).toBe('restock the new content separately; the journal is /cfg/restock/k.json');
    }
    expect(() => checkResume(j, { ...opts, removeDuplicates: true }, same, journal)).toThrow(
      new UsageError(
        'the interrupted restock ran without --remove-duplicates; resume it the same way',
      ),
    );
    expect(() => checkResume({ ...j, removeDuplicates: true }, opts, same, journal)).toThrow(
      new UsageError(
        'the interrupted restock ran with --remove-duplicates; resume it the same way',
      ),
    );
  });
});

describe('newState', () => {
  /** Inputs are read through the descriptor opened at the check. */
  const opened = (f: string) => {
    const fd = openSync(f, 'r');
    dirs.push({ cleanup: () => closeSync(fd) });
    return fd;
  };
  const ctx = (now: number) =>
    ({
      clock: { now: () => now, sleep: async () => undefined },
      signal: new AbortController().signal,
    }) as unknown as Context;
  const prepared = (files: string[]) =>
    ({
      files: files.map((f) => ({ name: f, readPath: f, size: 3, sha256: 'h', fd: opened(f) })),
      totalLines: 7,
    }) as PreparedInput;
  const make = (
    dir: string,
    over: { unsentFile?: string; files?: string[]; removeSold?: boolean } = {},
  ) =>
    newState(
      ctx(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      { kind: 'product', id: 'P1', files: [], unsentFile: over.unsentFile, batchSize: 50 },
      prepared(over.files ?? []),
      dir,
      'key1',
      over.files ?? [],
      target({ removeSold: over.removeSold ?? false, size: 12, dedup: true }),
      fakeShop({}).shop,
      'http://svc/api/v1',
    );

  it('default list names carry the time and pid; a new run starts with nothing committed, at the pinned size', async () => {
    const d = tmp();
    const s = await make(d);
    const stamp = `2026-01-02T03-04-05-678Z-${process.pid}.txt`;
    expect([s.unsentFile, s.uncertainFile]).toEqual([
      join(d, `unsent-${stamp}`),
      join(d, `uncertain-${stamp}`),
    ]);
    expect(s.committedLine).toBe(0);
    expect(s.inflight).toBeNull();
    expect(s.counters).toEqual(emptyCounters());
    expect(s.sizing).toMatchObject({ size: 50, pinned: true });
    // The pool's size is observed before the first send (a read-back compares with it).
    expect(s.poolTotal).toBe(12);
  });

  it('--unsent-file PATH: PATH and PATH.uncertain; an orders snapshot where sold keys leave', async () => {
    const d = tmp();
    const s = await make(d, { unsentFile: join(d, 'u.txt'), removeSold: true });
    expect([s.unsentFile, s.uncertainFile]).toEqual([join(d, 'u.txt'), join(d, 'u.txt.uncertain')]);
    expect(s.sales).toEqual({ statuses: [], whole: true });
  });

  it('list paths that cannot be used are refused before anything is sent', async () => {
    const d = tmp();
    const input = join(d, 'in.txt');
    writeFileSync(input, 'A\n');
    writeFileSync(join(d, 'full.txt'), 'X\n');
    writeFileSync(join(d, 'empty.txt'), '');
    writeFileSync(join(d, 'u2.txt.uncertain'), 'X\n');
    mkdirSync(join(d, 'dir'));
    const cases: Array<[string, string, string]> = [
      [
        join(d, 'nofolder', 'u.txt'),
        `the folder of the unsent file ${join(d, 'nofolder', 'u.txt')} does not exist`,
        'create it, or name another file with --unsent-file',
      ],
      [
        join(d, 'dir'),
        `the unsent file ${join(d, 'dir')} is a directory`,
        `name a file with --unsent-file, e.g. ${join(d, 'dir', 'unsent.txt')}`,
      ],
      [
        '/dev/null',
        'the unsent file /dev/null is not a regular file',
        'name a regular file with --unsent-file',
      ],
      [
        input,
        `the unsent file ${input} is also an input (${input})`,
        'name another file with --unsent-file',
      ],
      [
        join(d, 'full.txt'),
        `the unsent file ${join(d, 'full.txt')} already exists and is not empty`,
        'name another with --unsent-file, or move that one away',
      ],
      [
        join(d, 'u2.txt'),
        `the uncertain file ${join(d, 'u2.txt.uncertain')} already exists and is not empty`,
        'name another with --unsent-file, or move that one away',
      ],
      [join(input, 'x.txt'), `cannot use ${join(input, 'x.txt')} as the unsent file: ENOTDIR`, ''],
    ];
    for (const [path, message, hint] of cases) {
      const e = (await make(d, { unsentFile: path, files: [input] }).catch((x) => x)) as UsageError;
      expect(e, path).toBeInstanceOf(UsageError);
      expect(e.message).toBe(message);
      if (hint) expect(e.hint).toBe(hint);
    }
    // An empty file of its own is fine.
    const ok = await make(d, { unsentFile: join(d, 'empty.txt'), files: [input] });
    expect(ok.unsentFile).toBe(join(d, 'empty.txt'));
  });
});
