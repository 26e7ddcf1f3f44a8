// The restock summary: one object (--json on stdout) or a short report on
// stderr. It adds up: every input line is counted once (sent, blank,
// rejected, duplicate, unsent or uncertain), and every serial sent is either
// added by the service, dropped by the pool as already present or repeated
// (droppedByPool), or found in the pool after its answer was lost
// (foundStored): sent = added + droppedByPool + foundStored.
//
// After --resume the counts are those of the whole restock, the stopped
// run(s) included (`thisRun` holds this run's own part).
import type { Context } from '../context.js';
import { writeJsonValue } from '../render/output.js';
import type { Counters } from './journal.js';
import type { Target } from './target.js';

/** The counters (see journal.ts), and how the run ended. */
export interface Summary extends Omit<Counters, 'unsentReasons'> {
  target: { type: string; id: string };
  status: 'complete' | 'partial' | 'interrupted' | 'failed' | 'invalid';
  dryRun: boolean;
  resumed: boolean;
  /** The removeDuplicates sent with each stock add, and where it came from. */
  removeDuplicates: boolean | null;
  removeDuplicatesFrom: Target['dedupFrom'] | null;
  unsentReasons: Record<string, number>;
  /** Dry run: serials that would be sent. */
  wouldSend?: number;
  /** Stopped runs: serials not yet sent (the unsent file's tail) and in flight (the uncertain file's tail). */
  notSent?: number;
  inflight?: number;
  poolTotal: number | null;
  batchSize: number;
  unsentFile: string | null;
  uncertainFile: string | null;
  journal: string | null;
  durationMs: number;
  /** Resumed runs: this run's own part of the counts. */
  thisRun?: RunPart;
}

const PART_KEYS = [
  'lines',
  'sent',
  'added',
  'droppedByPool',
  'foundStored',
  'unsent',
  'uncertain',
  'batches',
] as const;
export type RunPart = Pick<Counters, (typeof PART_KEYS)[number]>;

export function runPart(now: Counters, start: Counters): RunPart {
  const part = {} as RunPart;
  for (const k of PART_KEYS) part[k] = now[k] - start[k];
  return part;
}

export interface SummaryExtra
  extends Partial<
    Pick<
      Summary,
      | 'poolTotal'
      | 'unsentFile'
      | 'uncertainFile'
      | 'journal'
      | 'resumed'
      | 'wouldSend'
      | 'notSent'
      | 'inflight'
    >
  > {
  dryRun: boolean;
  durationMs: number;
  status: Summary['status'];
  batchSize: number;
  target?: Target;
  startCounters?: Counters;
}

export function summaryOf(
  opts: { kind: string; id: string },
  c: Counters,
  x: SummaryExtra,
): Summary {
  const { target, startCounters, ...rest } = x;
  return {
    target: { type: opts.kind, id: opts.id },
    removeDuplicates: target ? target.dedup : null,
    removeDuplicatesFrom: target ? target.dedupFrom : null,
    ...c,
    unsentReasons: { ...c.unsentReasons },
    poolTotal: null,
    unsentFile: null,
    uncertainFile: null,
    journal: null,
    ...rest,
    resumed: Boolean(x.resumed),
    ...(startCounters ? { thisRun: runPart(c, startCounters) } : {}),
  };
}

const n = (v: number) => v.toLocaleString('en-US');

export function writeSummary(ctx: Context, s: Summary, stderrOnly: boolean): void {
  if (ctx.globals.json && !stderrOnly) {
    writeJsonValue(ctx.io, s);
    return;
  }
  const secs = s.durationMs / 1000;
  // The rate is this run's: after --resume, `sent` includes the earlier run(s).
  const rate = secs > 0 ? Math.round((s.thisRun ?? s).sent / secs) : 0;
  const rows: Array<[string, string]> = [
    ['lines read', n(s.lines)],
    ['blank', n(s.blank)],
    ['rejected', n(s.rejected)],
    ['duplicates', `${n(s.duplicates)} (repeats in the input, dropped)`],
  ];
  if (s.dryRun) rows.push(['would send', n(s.wouldSend ?? 0)]);
  else {
    rows.push(
      [
        'sent',
        `${n(s.sent)} in ${n(s.batches)} request${s.batches === 1 ? '' : 's'} (${n(rate)}/s)`,
      ],
      ['added', `${n(s.added)} (the service's count)`],
    );
    if (s.droppedByPool) {
      rows.push([
        'already in the pool',
        `${n(s.droppedByPool)} (dropped by the pool as present or repeated)`,
      ]);
    }
    if (s.foundStored) {
      rows.push([
        'found stored',
        `${n(s.foundStored)} (answer lost; found in the pool on read-back)`,
      ]);
    }
    if (s.soldDuringReconcile)
      rows.push(['sold meanwhile', `${n(s.soldDuringReconcile)} (of found stored)`]);
    rows.push(['unsent', `${n(s.unsent)} (not stored)`]);
    if (s.uncertain)
      rows.push(['uncertain', `${n(s.uncertain)} (outcome unknown: may be in the pool)`]);
    if (s.notSent) rows.push(['not yet sent', `${n(s.notSent)} (listed in the unsent file)`]);
    if (s.inflight)
      rows.push([
        'in flight',
        `${n(s.inflight)} (listed in the uncertain file; --resume settles them)`,
      ]);
    if (s.poolTotal !== null) rows.push(['pool total', n(s.poolTotal)]);
    if (s.thisRun) {
      const t = s.thisRun;
      rows.push([
        'this run',
        `${n(t.lines)} lines settled: sent ${n(t.sent)}, added ${n(t.added)}, already in the pool ${n(t.droppedByPool)}, found stored ${n(t.foundStored)}, unsent ${n(t.unsent)}, uncertain ${n(t.uncertain)}`,
      ]);
    }
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun
    ? `dry run: nothing was sent to ${s.target.type} ${s.target.id}`
    : `restock of ${s.target.type} ${s.target.id}: ${s.status}${s.resumed ? ' (resumed; counts include the earlier run, "this run" is its own part)' : ''}`;
  ctx.io.stderr.write(`${head}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
}
