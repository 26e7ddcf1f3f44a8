// What a resume trusts from a journal on disk: every shape a run of this
// version (or an earlier one) writes is read back as written, and a journal
// edited or damaged by hand is refused by the first field that is wrong,
// left untouched, with a clean error (exit 1), never a crash. A damaged
// journal trusted would resend, skip or miscount serials.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { JOURNAL_VERSION, Journal, type JournalState } from '../../src/restock/journal.js';
import { tempDir } from '../helpers/cli.js';
import { journalState } from './journal-state.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

/** A journal as an earlier version wrote it: none of the optional fields. */
const state = (): JournalState => journalState();

type Edit = (s: JournalState) => unknown;

function journal(): Journal {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return new Journal(dir, 'k');
}

/** Loads `text` as the journal: the state, or the error it was refused with. */
function load(text: string): { state?: JournalState; error?: unknown; j: Journal } {
  const j = journal();
  writeFileSync(j.path, text);
  try {
    return { state: j.load(), j };
  } catch (error) {
    return { error, j };
  }
}

const inflight = (s: JournalState, edit: Record<string, unknown>) => ({
  ...s,
  inflight: { ...s.inflight, ...edit },
});

describe('Journal.load reads back every journal a run writes', () => {
  const fine: Array<[string, Edit]> = [
    ['one written by an earlier version (no optional field)', (s) => s],
    [
      'a product target with the pool it stored into',
      (s) => ({ ...s, target: { ...s.target, kind: 'product', pool: 'warehouse:w9' } }),
    ],
    ['a learnt size ceiling', (s) => ({ ...s, sizing: { ...s.sizing, ceiling: 500 } })],
    ['no unit in flight', (s) => ({ ...s, inflight: null })],
    [
      'a unit in flight with settled, open, not-stored and last positions',
      (s) =>
        inflight(s, {
          prefix: { upTo: 2, added: 2, dropped: 0, found: 0, requests: 1 },
          open: [[2, 4]],
          notStored: [[4, 5]],
          last: [
            [2, 4],
            [4, 5],
          ],
        }),
    ],
    [
      'an orders snapshot of every kind of entry, without the service time',
      (s) => ({
        ...s,
        sales: {
          whole: true,
          statuses: [
            ['INV-1', 'completed'],
            ['INV-2', 'completed', 3],
            ['INV-3', 'refunded', 0, 'digest'],
          ],
        },
      }),
    ],
    [
      'an orders snapshot with the service time',
      (s) => ({ ...s, sales: { whole: false, at: 1_780_000_000, statuses: [] } }),
    ],
    [
      'a pool size and the deliveries it reflects',
      (s) => ({ ...s, poolTotal: 120, deliveredAtTotal: 7 }),
    ],
    [
      'the spool of standard input and the line count',
      (s) => ({ ...s, spool: '/tmp/input.ts', totalLines: 80 }),
    ],
  ];
  for (const [what, edit] of fine) {
    it(`${what}`, () => {
      const written = edit(state());
      expect(load(JSON.stringify(written)).state).toEqual(written);
    });
  }
});

describe('Journal.load refuses a damaged journal by the first field that is wrong', () => {
  const damaged: Array<[string, Edit, string]> = [
    ['null instead of a state', () => null, 'the whole state'],
    ['a list instead of a state', () => [], 'the whole state'],
    ['a number instead of a state', () => 5, 'the whole state'],
    ['a version written as text', (s) => ({ ...s, version: String(JOURNAL_VERSION) }), 'version'],
    ['no target', (s) => ({ ...s, target: null }), 'target'],
    [
      'a target of an unknown kind',
      (s) => ({ ...s, target: { ...s.target, kind: 'shop' } }),
      'target',
    ],
    ['a target without its id', (s) => ({ ...s, target: { ...s.target, id: '' } }), 'target'],
    ['a target without its pool', (s) => ({ ...s, target: { ...s.target, pool: '' } }), 'target'],
    ['inputs that are not a list', (s) => ({ ...s, inputs: { name: '/tmp/a.txt' } }), 'inputs'],
    ['an input that is null', (s) => ({ ...s, inputs: [null] }), 'inputs'],
    [
      'a second input without its name',
      (s) => ({ ...s, inputs: [...s.inputs, { ...s.inputs[0], name: '' }] }),
      'inputs',
    ],
    [
      'an input of a negative size',
      (s) => ({ ...s, inputs: [{ ...s.inputs[0], size: -1 }] }),
      'inputs',
    ],
    [
      'an input without its hash',
      (s) => ({ ...s, inputs: [{ ...s.inputs[0], sha256: '' }] }),
      'inputs',
    ],
    [
      '--remove-duplicates written as text',
      (s) => ({ ...s, removeDuplicates: 'false' }),
      'removeDuplicates',
    ],
    ["the pool's duplicate setting as a number", (s) => ({ ...s, poolDedup: 0 }), 'poolDedup'],
    ['no batch sizing', (s) => ({ ...s, sizing: null }), 'sizing'],
    ['a batch size of 0', (s) => ({ ...s, sizing: { ...s.sizing, size: 0 } }), 'sizing'],
    ['a batch size as text', (s) => ({ ...s, sizing: { ...s.sizing, size: '1000' } }), 'sizing'],
    ['a size ceiling of 0', (s) => ({ ...s, sizing: { ...s.sizing, ceiling: 0 } }), 'sizing'],
    [
      'a size ceiling as text',
      (s) => ({ ...s, sizing: { ...s.sizing, ceiling: '500' } }),
      'sizing',
    ],
    ['a largest size of 0', (s) => ({ ...s, sizing: { ...s.sizing, max: 0 } }), 'sizing'],
    ['a largest size as text', (s) => ({ ...s, sizing: { ...s.sizing, max: '100' } }), 'sizing'],
    [
      'a pinned size flag as text',
      (s) => ({ ...s, sizing: { ...s.sizing, pinned: 'no' } }),
      'sizing',
    ],
    ['a unit in flight starting at line "42"', (s) => inflight(s, { fromLine: '42' }), 'inflight'],
    ['a unit in flight ending at line "60"', (s) => inflight(s, { toLine: '60' }), 'inflight'],
    ['a unit in flight that ends before it starts', (s) => inflight(s, { toLine: 40 }), 'inflight'],
    [
      'a unit in flight with a negative count sent',
      (s) => inflight(s, { sentUpTo: -1 }),
      'inflight',
    ],
    [
      'a unit in flight with a negative request count',
      (s) => inflight(s, { requests: -1 }),
      'inflight',
    ],
    ['a unit in flight sent at no time', (s) => inflight(s, { sentAt: 'now' }), 'inflight'],
    [
      'a unit in flight that may "maybe" still land',
      (s) => inflight(s, { mayStillLand: 'maybe' }),
      'inflight',
    ],
    ['open positions that are not a list', (s) => inflight(s, { open: { from: 1 } }), 'inflight'],
    [
      'open positions with a bad range after a good one',
      (s) =>
        inflight(s, {
          open: [
            [0, 2],
            [5, 3],
          ],
        }),
      'inflight',
    ],
    ['an open range that is null', (s) => inflight(s, { open: [null] }), 'inflight'],
    ['an open range of three ends', (s) => inflight(s, { open: [[1, 2, 3]] }), 'inflight'],
    ['an open range from a negative position', (s) => inflight(s, { open: [[-1, 3]] }), 'inflight'],
    ['an open range to position "5"', (s) => inflight(s, { open: [[1, '5']] }), 'inflight'],
    [
      'an open range that ends before it starts',
      (s) => inflight(s, { open: [[5, 3]] }),
      'inflight',
    ],
    ['an empty open range', (s) => inflight(s, { open: [[3, 3]] }), 'inflight'],
    [
      'not-stored positions with a range of one end',
      (s) => inflight(s, { notStored: [[2]] }),
      'inflight',
    ],
    ['last positions as text', (s) => inflight(s, { last: '2-4' }), 'inflight'],
    [
      'reasons for serials not stored that are a number, not counts by reason',
      (s) => ({ ...s, counters: { ...s.counters, unsentReasons: 5 } }),
      'counters',
    ],
    ['an orders snapshot as text', (s) => ({ ...s, sales: 'none' }), 'sales'],
    [
      'an orders snapshot whose completeness is text',
      (s) => ({ ...s, sales: { whole: 'yes', statuses: [] } }),
      'sales',
    ],
    [
      'an orders snapshot whose service time is text',
      (s) => ({ ...s, sales: { whole: true, at: 'yesterday', statuses: [] } }),
      'sales',
    ],
    [
      'an orders snapshot whose orders are not a list',
      (s) => ({ ...s, sales: { whole: true, statuses: { 'INV-1': 'completed' } } }),
      'sales',
    ],
    ...(
      [
        ['null', null],
        ['a number for the invoice', [1, 'completed']],
        ['a number for the status', ['INV-1', 2]],
        ['text for the count of keys', ['INV-1', 'completed', 'x']],
        ['a number for the digest', ['INV-1', 'completed', 3, 4]],
        ['five parts', ['INV-1', 'completed', 3, 'digest', 'more']],
      ] as Array<[string, unknown]>
    ).map(([what, entry]): [string, Edit, string] => [
      `an order in the snapshot with ${what}`,
      (s) => ({ ...s, sales: { whole: true, statuses: [['INV-0', 'completed'], entry] } }),
      'sales',
    ]),
    ['a negative pool size', (s) => ({ ...s, poolTotal: -1 }), 'poolTotal'],
    ['a negative count of deliveries', (s) => ({ ...s, deliveredAtTotal: -1 }), 'deliveredAtTotal'],
    ['the other-writer flag as text', (s) => ({ ...s, otherWriter: 'no' }), 'otherWriter'],
  ];
  for (const [what, edit, field] of damaged) {
    it(`${what}: refused, naming ${field}, and left untouched`, () => {
      const text = JSON.stringify(edit(state()));
      const { error, j } = load(text);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).message).toBe(
        `the restock journal ${j.path} is damaged: ${field} is missing or wrong`,
      );
      expect((error as CliError).exitCode).toBe(1);
      expect(readFileSync(j.path, 'utf8')).toBe(text);
    });
  }
});

describe('Journal.load refuses a journal of another version, saying which', () => {
  for (const [what, version] of [
    ['an older', JOURNAL_VERSION - 1],
    ['a newer', JOURNAL_VERSION + 1],
  ] as const) {
    it(`${what} version: refused with both versions named, the one to finish it with, and left untouched`, () => {
      const text = JSON.stringify({ ...state(), version });
      const { error, j } = load(text);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).message).toBe(
        `the restock journal ${j.path} has version ${version}; this astrosell reads ${JOURNAL_VERSION}`,
      );
      expect((error as CliError).exitCode).toBe(1);
      // Starting over resends every serial: the hint says to compare with the pool first.
      expect((error as CliError).hint).toMatch(
        /^finish it with the astrosell that wrote it; do not just move it away to start over/,
      );
      expect((error as CliError).hint).toContain('--show missing > missing.txt');
      expect(readFileSync(j.path, 'utf8')).toBe(text);
    });
  }
});
