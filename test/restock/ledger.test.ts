// The Ledger exactly: what begin, commit and stop write to the journal and
// to the two lists, the counters they add up, and a stop whose journal
// write fails or whose list write fails.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, InputChangedError } from '../../src/errors.js';
import { emptyCounters, Journal, type JournalState } from '../../src/restock/journal.js';
import { Ledger } from '../../src/restock/ledger.js';
import type { Unit, UnitReader } from '../../src/restock/read.js';
import { Serials } from '../../src/restock/serials.js';
import { emptyOutcome, type UnitOutcome } from '../../src/restock/settle.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

const clock = { now: () => 86_400_000, sleep: async () => {} };

function setup(uncertainFile?: string, unsentFile?: string) {
  const { dir, cleanup } = tempDir('astrosell-ledger-');
  dirs.push(cleanup);
  const journal = new Journal(join(dir, 'restock'), 'k');
  const state: JournalState = {
    version: 2,
    key: 'k',
    target: { kind: 'warehouse', id: 'w', baseUrl: 'http://h' },
    inputs: [],
    removeDuplicates: false,
    poolDedup: false,
    sizing: { size: 3, ceiling: null, pinned: false, max: 100_000 },
    committedLine: 0,
    inflight: null,
    counters: emptyCounters(),
    unsentFile: unsentFile ?? join(dir, 'unsent.txt'),
    unsentBytes: 0,
    uncertainFile: uncertainFile ?? join(dir, 'unsent.txt.uncertain'),
    uncertainBytes: 0,
    sales: null,
    otherWriter: false,
    poolTotal: null,
    startedAt: 's',
    updatedAt: 'u',
  };
  journal.lock();
  const ledger = new Ledger(journal, state, clock);
  return { dir, journal, state, ledger };
}

/** The pool as last observed: its size and the deliveries it reflects. */
const seen = (total: number | null, deliveredAtTotal = 0) => ({ total, deliveredAtTotal });

const unit = (fromLine: number, serials: string[], extra: Partial<Unit> = {}): Unit => ({
  fromLine,
  toLine: fromLine + serials.length + (extra.blank ?? 0) + (extra.rejected ?? 0),
  serials: Serials.of(serials),
  blank: 0,
  rejected: 0,
  duplicates: 0,
  ...extra,
});

function reader(units: Unit[]): UnitReader {
  return { next: async () => units.shift() } as unknown as UnitReader;
}

const read = (p: string) => readFileSync(p, 'utf8');
const readOrUndefined = (p: string) => (existsSync(p) ? read(p) : undefined);

describe('Ledger', () => {
  it('names its lists, and its counters are the state’s', () => {
    const { ledger, state } = setup();
    expect(ledger.unsent.label).toBe('unsent');
    expect(ledger.uncertain.label).toBe('uncertain');
    expect(ledger.counters).toBe(state.counters);
  });

  it('sending(): before a request goes out, the journal on disk declares what it carries as in flight', () => {
    const { ledger, journal } = setup();
    ledger.begin(unit(4, ['A', 'B']));
    expect(readOrUndefined(journal.path)).toBeUndefined();
    ledger.sending(2, seen(17, 3));
    const saved = JSON.parse(read(journal.path)) as JournalState;
    expect(saved.inflight).toMatchObject({
      fromLine: 4,
      toLine: 6,
      sentUpTo: 2,
      requests: 1,
      mayStillLand: true,
    });
    // The pool's size, and the sales it already reflects: a resume can tell later sales apart.
    expect(saved.poolTotal).toBe(17);
    expect(saved.deliveredAtTotal).toBe(3);
    expect(saved.updatedAt).toBe('1970-01-02T00:00:00.000Z');
  });

  it('commit(): lists written, counters added up unit after unit', () => {
    const { ledger, state } = setup();
    const o1: UnitOutcome = {
      ...emptyOutcome(),
      sent: 2,
      added: 1,
      dropped: 1,
      found: 0,
      sold: 1,
      requests: 2,
      unsent: [{ serials: ['U1'], reason: 'pool full' }],
      uncertain: ['Q1'],
    };
    ledger.begin(unit(0, ['A', 'B', 'U1', 'Q1'], { rejected: 2, blank: 1, duplicates: 1 }));
    ledger.sending(
      unit(0, ['A', 'B', 'U1', 'Q1'], { rejected: 2, blank: 1, duplicates: 1 }).serials.length,
      seen(5),
    );
    ledger.commit(
      unit(0, ['A', 'B', 'U1', 'Q1'], { rejected: 2, blank: 1, duplicates: 1 }),
      o1,
      seen(9),
    );
    const o2: UnitOutcome = {
      ...emptyOutcome(),
      sent: 1,
      found: 1,
      sold: 2,
      requests: 3,
      unsent: [
        { serials: ['U2'], reason: 'pool full' },
        { serials: ['U3'], reason: 'refused' },
      ],
    };
    ledger.commit(unit(7, ['C', 'U2', 'U3'], { rejected: 1 }), o2, seen(11));
    expect(ledger.requests).toBe(5);
    expect(state.counters).toEqual({
      ...emptyCounters(),
      lines: 11,
      blank: 1,
      rejected: 3,
      duplicates: 1,
      sent: 3,
      added: 1,
      droppedByPool: 1,
      foundStored: 1,
      soldDuringReconcile: 3,
      unsent: 3,
      uncertain: 1,
      batches: 5,
      unsentReasons: { 'pool full': 2, refused: 1 },
    });
    expect(state.committedLine).toBe(11);
    expect(state.inflight).toBeNull();
    expect(state.unsentBytes).toBe(9);
    expect(state.uncertainBytes).toBe(3);
    expect(state.poolTotal).toBe(11);
    ledger.close();
    expect(read(state.unsentFile)).toBe('U1\nU2\nU3\n');
    expect(read(state.uncertainFile)).toBe('Q1\n');
  });

  it('commit(): a failed uncertain write takes the unit’s unsent lines back', () => {
    const { dir, ledger, state } = setup();
    const bad = setup(join(dir, 'missing-dir', 'u.uncertain'));
    // The first ledger's unsent file holds a settled unit.
    ledger.commit(
      unit(0, ['U0']),
      { ...emptyOutcome(), unsent: [{ serials: ['U0'], reason: 'r' }] },
      seen(null),
    );
    expect(read(state.unsentFile)).toBe('U0\n');
    bad.ledger.commit(
      unit(0, ['P']),
      { ...emptyOutcome(), unsent: [{ serials: ['P'], reason: 'r' }] },
      seen(null),
    );
    const o = { ...emptyOutcome(), unsent: [{ serials: ['X'], reason: 'r' }], uncertain: ['Y'] };
    expect(() => bad.ledger.commit(unit(1, ['X', 'Y']), o, seen(null))).toThrow(/ENOENT/);
    expect(read(bad.state.unsentFile)).toBe('P\n');
    expect(bad.ledger.unsent.bytes).toBe(2);
    expect(bad.ledger.unsent.lines).toBe(1);
    expect(bad.state.counters.unsent).toBe(1);
  });

  it('stop() with a unit in flight: journal keeps it (mayStillLand as last known), tails list every serial not stored', async () => {
    const { ledger, state, journal } = setup();
    const u = unit(0, ['A', 'B', 'C', 'D', 'E']);
    ledger.begin(u);
    ledger.sending(1, seen(null));
    const outcome: UnitOutcome = {
      ...emptyOutcome({
        kind: 'stop',
        error: new CliError('stopped', 6),
        inflight: ['C', 'D'],
        pending: ['E'],
        mayStillLand: false,
      }),
      unsent: [{ serials: ['B'], reason: 'r' }],
      uncertain: ['A'],
    };
    const rest = reader([unit(5, ['F', 'G']), unit(7, ['H'])]);
    const r = await ledger.stop({ unit: u, outcome }, rest);
    expect(r).toEqual({ notSent: 5, inflight: 3, unlisted: [] });
    const saved = JSON.parse(read(journal.path)) as JournalState;
    expect(saved.inflight).toMatchObject({ fromLine: 0, toLine: 5, mayStillLand: false });
    expect(saved.committedLine).toBe(0);
    ledger.close();
    expect(read(state.uncertainFile)).toBe('A\nC\nD\n');
    expect(read(state.unsentFile)).toBe('B\nE\nF\nG\nH\n');
  });

  it('stop() between units: only the rest of the input, unsent', async () => {
    const { ledger, state, journal } = setup();
    ledger.begin(unit(0, ['A']));
    ledger.sending(1, seen(null));
    const r = await ledger.stop(undefined, reader([unit(1, ['F', 'G'])]));
    expect(r).toEqual({ notSent: 2, inflight: 0, unlisted: [] });
    expect((JSON.parse(read(journal.path)) as JournalState).inflight?.mayStillLand).toBe(true);
    ledger.close();
    expect(read(state.unsentFile)).toBe('F\nG\n');
    expect(readdirSync(join(state.uncertainFile, '..'))).not.toContain('unsent.txt.uncertain');
  });

  it('stop(): a key an open request may still store is listed as uncertain, never as not stored', async () => {
    const { ledger, state } = setup();
    const r = await ledger.stop(undefined, reader([unit(1, ['F', 'K', 'G'])]), new Set(['K']));
    expect(r).toMatchObject({ notSent: 2, inflight: 1 });
    ledger.close();
    expect(read(state.unsentFile)).toBe('F\nG\n');
    expect(read(state.uncertainFile)).toBe('K\n');
  });

  it('stop() meeting a changed input: lists what came before it, names the change, writes nothing of it', async () => {
    const { ledger, state } = setup();
    const changed = new InputChangedError('in.txt changed', 3, 'in.txt', {
      file: 'in.txt',
      line: 4,
    });
    const units = [unit(1, ['F', 'G'])];
    const failing = {
      next: async () => {
        const u = units.shift();
        if (u) return u;
        throw changed;
      },
    } as unknown as UnitReader;
    const r = await ledger.stop(undefined, failing);
    expect(r).toEqual({ notSent: 2, inflight: 0, unlisted: [], changed });
    ledger.close();
    expect(read(state.unsentFile)).toBe('F\nG\n');
  });

  it('stop() whose unit settled (no stop end) and no journal in flight', async () => {
    const { ledger, state } = setup();
    const r = await ledger.stop({ unit: unit(0, ['A']), outcome: emptyOutcome() }, reader([]));
    expect(r).toEqual({ notSent: 0, inflight: 0, unlisted: [] });
    expect(state.inflight).toBeNull();
    const stopEnd = emptyOutcome({
      kind: 'stop',
      error: new CliError('x', 6),
      inflight: ['I'],
      pending: [],
      mayStillLand: false,
    });
    // A stop end with no unit declared in flight: nothing to mark, the tail still written.
    const r2 = await ledger.stop({ unit: unit(0, ['I']), outcome: stopEnd }, reader([]));
    expect(r2).toEqual({ notSent: 0, inflight: 1, unlisted: [] });
    expect(state.inflight).toBeNull();
  });

  it('stop() whose journal cannot be written says so and still writes the tails', async () => {
    const { ledger, state, journal } = setup();
    ledger.begin(unit(0, ['A']));
    ledger.sending(1, seen(null));
    rmSync(journal.dir, { recursive: true });
    const r = await ledger.stop(undefined, reader([unit(1, ['F'])]));
    expect(r.saveError?.message).toBe(
      `cannot write the restock journal ${journal.path}: ENOENT (no such file or directory)`,
    );
    expect(r.notSent).toBe(1);
    ledger.close();
    expect(read(state.unsentFile)).toBe('F\n');
  });

  it('commit(): an unsent file on a full disk is named, not the journal', () => {
    const { ledger } = setup(undefined, '/dev/full');
    const o = { ...emptyOutcome(), unsent: [{ serials: ['X'], reason: 'r' }] };
    expect(() => ledger.commit(unit(0, ['X']), o, seen(null))).toThrow(
      'cannot write the unsent file /dev/full: ENOSPC (no space left on device)',
    );
    ledger.close();
  });

  it('a list whose bytes cannot be synced: the journal does not record its length', () => {
    // /dev/null takes writes but cannot be synced (EINVAL).
    const { ledger, journal } = setup(undefined, '/dev/null');
    ledger.begin(unit(0, ['X']));
    ledger.sending(1, seen(null));
    ledger.commit(
      unit(0, ['X']),
      { ...emptyOutcome(), unsent: [{ serials: ['X'], reason: 'r' }] },
      seen(null),
    );
    ledger.begin(unit(1, ['Y']));
    expect(() => ledger.sending(1, seen(null))).toThrow(
      'cannot write the unsent file /dev/null: EINVAL (invalid argument)',
    );
    const saved = JSON.parse(read(journal.path)) as JournalState;
    expect(saved).toMatchObject({ committedLine: 0, unsentBytes: 0, inflight: { fromLine: 0 } });
    ledger.close();
  });

  it('finish(): a list that cannot be synced keeps the journal (the lists would be the only record)', () => {
    const { ledger, journal } = setup(undefined, '/dev/null');
    ledger.begin(unit(0, ['X']));
    ledger.sending(1, seen(null));
    ledger.commit(
      unit(0, ['X']),
      { ...emptyOutcome(), unsent: [{ serials: ['X'], reason: 'r' }] },
      seen(null),
    );
    expect(() => ledger.finish()).toThrow('cannot write the unsent file /dev/null');
    expect(existsSync(journal.path)).toBe(true);
    ledger.close();
  });

  it('stop() whose unsent file cannot be written: the uncertain tail and the journal still written, the rest told by lines', async () => {
    const { ledger, state, journal } = setup(undefined, '/dev/full');
    const u = unit(0, ['A', 'B', 'C', 'D', 'E']);
    ledger.begin(u);
    ledger.sending(1, seen(null));
    const outcome: UnitOutcome = {
      ...emptyOutcome({
        kind: 'stop',
        error: new CliError('stopped', 6),
        inflight: ['C', 'D'],
        pending: ['E'],
        mayStillLand: true,
      }),
      unsent: [{ serials: ['B'], reason: 'r' }],
      uncertain: ['A'],
    };
    const r = await ledger.stop(
      { unit: u, outcome },
      reader([unit(5, ['F', 'G']), unit(7, ['H'])]),
    );
    expect(r.saveError).toBeUndefined();
    expect(r).toMatchObject({ notSent: 5, inflight: 3 });
    expect(r.unlisted).toHaveLength(1);
    expect(r.unlisted[0]).toMatchObject({ list: 'unsent', count: 5, fromLine: 0, toLine: 8 });
    expect(r.unlisted[0]?.error.message).toBe(
      'cannot write the unsent file /dev/full: ENOSPC (no space left on device)',
    );
    expect((JSON.parse(read(journal.path)) as JournalState).inflight).toMatchObject({
      fromLine: 0,
      toLine: 5,
    });
    ledger.close();
    expect(read(state.uncertainFile)).toBe('A\nC\nD\n');
  });

  it('stop() after a drained unit could not be listed: that unit is told with the rest, not skipped', async () => {
    const { ledger, journal } = setup(undefined, '/dev/full');
    const rd = reader([unit(0, ['P']), unit(1, ['Q', 'R']), unit(3, ['S'])]);
    await expect(ledger.drain(rd, 'pool full')).rejects.toThrow(
      'cannot write the unsent file /dev/full: ENOSPC (no space left on device)',
    );
    const r = await ledger.stop(undefined, rd);
    expect(r).toMatchObject({ notSent: 4, inflight: 0 });
    expect(r.unlisted).toMatchObject([{ list: 'unsent', count: 4, fromLine: 0, toLine: 4 }]);
    // The journal still starts at the drained unit: --resume covers every line told.
    expect((JSON.parse(read(journal.path)) as JournalState).committedLine).toBe(0);
    ledger.close();
  });

  it('close() closes both lists', () => {
    const { ledger } = setup();
    const fds = readdirSync('/proc/self/fd').length;
    ledger.commit(
      unit(0, ['U', 'Q']),
      { ...emptyOutcome(), unsent: [{ serials: ['U'], reason: 'r' }], uncertain: ['Q'] },
      seen(null),
    );
    expect(readdirSync('/proc/self/fd').length).toBe(fds + 2);
    ledger.close();
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
  });
});
