// An interrupted restock, as `restocks list` shows it: computed from its
// journal in the config folder (src/restock/interrupted.ts), never from the
// service. Its nested parts (target, the two list files) are reached with
// dotted --fields: `key,target.id,unsent.serials`.
import type { RecordDef, Show } from './define.js';

/** What a restock's row reads; the restock engine's InterruptedRestock is one. */
export interface RestockRecord {
  key: string;
  journal: string;
  runningPid: number | null;
  target: { kind: string; id: string; baseUrl: string };
  /** As named: absolute paths, `-` for standard input. */
  inputs: readonly string[];
  startedAt: string;
  updatedAt: string;
  linesSettled: number;
  totalLines: number | null;
  unsent: ListFile;
  uncertain: ListFile;
  spool: string | null;
}

interface ListFile {
  path: string;
  /** null: the file cannot be read, so the count is unknown (never shown as 0). */
  serials: number | null;
}

/** A count with thousands separators on a terminal; `?` when it is not known. */
const count = (v: number | null, s: Show) =>
  v === null ? '?' : s.tty ? v.toLocaleString('en-US') : String(v);
/** A list that holds nothing is not named: one named is where the operator must look. */
const file = (f: ListFile) => (f.serials === 0 ? '' : f.path);
/** `-` is how a restock names standard input. */
const inputName = (name: string) => (name === '-' ? 'standard input' : name);

export const RESTOCK: RecordDef<RestockRecord> = {
  name: 'interrupted restock',
  plural: 'interrupted restocks',
  schema: {
    key: 'string!',
    journal: 'string',
    runningPid: 'number',
    inputs: 'strings',
    startedAt: 'string',
    updatedAt: 'string',
    linesSettled: 'count',
    totalLines: 'count',
    spool: 'string',
  },
  fields: [
    'key',
    'runningPid',
    'target.kind',
    'target.id',
    'inputs',
    'linesSettled',
    'totalLines',
    'unsent.serials',
    'uncertain.serials',
    'updatedAt',
    'startedAt',
    'target.baseUrl',
    'unsent.path',
    'uncertain.path',
    'spool',
    'journal',
  ],
  // On a narrow terminal the paths go first, then the base URL and the start.
  columns: [
    { label: 'key', field: 'key' },
    {
      label: 'state',
      show: (x) => (x.runningPid ? `running (pid ${x.runningPid})` : 'interrupted'),
      tone: (x) => (x.runningPid ? 'dim' : 'warn'),
    },
    { label: 'target', show: (x) => `${x.target.kind} ${x.target.id}` },
    { label: 'input', show: (x) => x.inputs.map(inputName).join(', '), shrink: true },
    {
      label: 'settled',
      show: (x, s) =>
        `${count(x.linesSettled, s)}/${count(x.totalLines, s)}${s.tty ? ' lines' : ''}`,
      align: 'right',
    },
    { label: 'unsent', show: (x, s) => count(x.unsent.serials, s), align: 'right' },
    {
      label: 'uncertain',
      show: (x, s) => count(x.uncertain.serials, s),
      align: 'right',
      tone: (x) => (x.uncertain.serials === 0 ? 'plain' : 'warn'),
    },
    { label: 'updated', field: 'updatedAt' },
    { label: 'started', field: 'startedAt', drop: 3 },
    { label: 'base url', show: (x) => x.target.baseUrl, drop: 4, shrink: true },
    { label: 'unsent file', show: (x) => file(x.unsent), drop: 5, shrink: true },
    { label: 'uncertain file', show: (x) => file(x.uncertain), drop: 6, shrink: true },
    { label: 'spool', show: (x) => x.spool ?? '', drop: 7, shrink: true },
  ],
  empty: 'No interrupted restocks.',
};
