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

export interface Summary {
  target: { type: string; id: string };
  status: 'complete' | 'partial' | 'interrupted' | 'failed' | 'invalid';
  dryRun: boolean;
  resumed: boolean;
  /** The removeDuplicates sent with each stock add, and where it came from. */
  removeDuplicates: boolean | null;
  removeDuplicatesFrom: Target['dedupFrom'] | null;
  lines: number;
  blank: number;
  rejected: number;
  duplicates: number;
  /** Dry run: serials that would be sent. */
  wouldSend?: number;
  sent: number;
  added: number;
  droppedByPool: number;
  foundStored: number;
  soldDuringReconcile: number;
  unsent: number;
  unsentReasons: Record<string, number>;
  uncertain: number;
  /** Stopped runs: serials not yet sent (in the unsent file's tail) and in flight (in the uncertain file's tail). */
  notSent?: number;
  inflight?: number;
  poolTotal: number | null;
  batches: number;
  batchSize: number;
  unsentFile: string | null;
  uncertainFile: string | null;
  journal: string | null;
  durationMs: number;
  /** Resumed runs: this run's own part of the counts above. */
  thisRun?: RunPart;
}

export type RunPart = Pick<
  Counters,
  'lines' | 'sent' | 'added' | 'droppedByPool' | 'foundStored' | 'unsent' | 'uncertain' | 'batches'
>;

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

export function runPart(now: Counters, start: Counters): RunPart {
  const part = {} as RunPart;
  for (const k of PART_KEYS) part[k] = now[k] - start[k];
  return part;
}

export interface SummaryExtra {
  dryRun: boolean;
  durationMs: number;
  status: Summary['status'];
  batchSize: number;
  poolTotal?: number | null;
  unsentFile?: string | null;
  uncertainFile?: string | null;
  journal?: string | null;
  resumed?: boolean;
  target?: Target;
  startCounters?: Counters;
  wouldSend?: number;
  notSent?: number;
  inflight?: number;
}

export function summaryOf(
  opts: { kind: string; id: string },
  c: Counters,
  x: SummaryExtra,
): Summary {
  return {
    target: { type: opts.kind, id: opts.id },
    status: x.status,
    dryRun: x.dryRun,
    resumed: Boolean(x.resumed),
    removeDuplicates: x.target ? x.target.dedup : null,
    removeDuplicatesFrom: x.target ? x.target.dedupFrom : null,
    lines: c.lines,
    blank: c.blank,
    rejected: c.rejected,
    duplicates: c.duplicates,
    ...(x.wouldSend !== undefined ? { wouldSend: x.wouldSend } : {}),
    sent: c.sent,
    added: c.added,
    droppedByPool: c.droppedByPool,
    foundStored: c.foundStored,
    soldDuringReconcile: c.soldDuringReconcile,
    unsent: c.unsent,
    unsentReasons: { ...c.unsentReasons },
    uncertain: c.uncertain,
    ...(x.notSent !== undefined ? { notSent: x.notSent } : {}),
    ...(x.inflight !== undefined ? { inflight: x.inflight } : {}),
    poolTotal: x.poolTotal ?? null,
    batches: c.batches,
    batchSize: x.batchSize,
    unsentFile: x.unsentFile ?? null,
    uncertainFile: x.uncertainFile ?? null,
    journal: x.journal ?? null,
    durationMs: x.durationMs,
    ...(x.startCounters ? { thisRun: runPart(c, x.startCounters) } : {}),
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
