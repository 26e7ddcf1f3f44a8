// One journal state for the journal's tests: a warehouse restock of one
// input, stopped with a unit in flight, none of the optional fields (as an
// earlier version wrote it). Tests change what they are about.
import { emptyCounters, JOURNAL_VERSION, type JournalState } from '../../src/restock/journal.js';

export function journalState(key = 'k', over: Partial<JournalState> = {}): JournalState {
  return {
    version: JOURNAL_VERSION,
    key,
    target: { kind: 'warehouse', id: 'w1', baseUrl: 'http://127.0.0.1:1/api/v1' },
    inputs: [{ name: '/tmp/a.txt', size: 10, sha256: 'ab'.repeat(32) }],
    removeDuplicates: false,
    poolDedup: false,
    sizing: { size: 1000, ceiling: null, pinned: false, max: 100_000 },
    committedLine: 42,
    inflight: { fromLine: 42, toLine: 60, sentUpTo: 5, requests: 1, sentAt: 1, mayStillLand: true },
    counters: emptyCounters(),
    unsentFile: '/tmp/unsent.txt',
    unsentBytes: 0,
    uncertainFile: '/tmp/unsent.txt.uncertain',
    uncertainBytes: 0,
    sales: null,
    poolTotal: null,
    otherWriter: false,
    startedAt: 'x',
    updatedAt: 'y',
    ...over,
  };
}
