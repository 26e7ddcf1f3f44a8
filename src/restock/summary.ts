// The restock summary: one object (--json on stdout) or a short report on
// stderr. Every input line is counted once: blank, rejected, duplicate, sent
// (accepted by the service), unsent (known not stored) or uncertain (outcome
// unknown: it may be in the pool).
//
// After --resume the counts are those of the whole restock, the stopped
// run(s) included (`thisRun` holds this run's own part). `added` is the
// service's count from the answers received; serials whose answer was lost
// (a dropped connection, a 5xx, or a batch in flight when a run stopped) and
// that were then found in the pool are `foundStored` instead.
import type { Context } from '../context.js';
import { writeJsonValue } from '../render/output.js';
import type { Counters } from './journal.js';

export interface Summary {
  target: { type: string; id: string };
  status: 'complete' | 'partial' | 'interrupted' | 'failed' | 'invalid';
  dryRun: boolean;
  resumed: boolean;
  lines: number;
  blank: number;
  rejected: number;
  duplicates: number;
  /** Dry run: serials that would be sent. */
  wouldSend?: number;
  sent: number;
  /** The service's count, from the answers received. */
  added: number;
  /** Sent, answer lost, found in the pool on read-back: stored, but not in `added`. */
  foundStored: number;
  /** Known not stored: in the unsent file, safe to restock as is. */
  unsent: number;
  unsentReasons: Record<string, number>;
  /** Outcome unknown (may be in the pool): in the uncertain file. */
  uncertain: number;
  soldDuringReconcile: number;
  /** Stopped runs: serials not yet sent (in the unsent file's tail) and in the batch in flight. */
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

/** The counters a resumed run reports for its own part. */
export type RunPart = Pick<
  Counters,
  'lines' | 'sent' | 'added' | 'foundStored' | 'unsent' | 'uncertain' | 'batches'
>;

/** What a run added to the counters it started from. */
export function runPart(now: Counters, start: Counters): RunPart {
  return {
    lines: now.lines - start.lines,
    sent: now.sent - start.sent,
    added: now.added - start.added,
    foundStored: now.foundStored - start.foundStored,
    unsent: now.unsent - start.unsent,
    uncertain: now.uncertain - start.uncertain,
    batches: now.batches - start.batches,
  };
}

export function summaryOf(
  _ctx: Context,
  opts: { kind: string; id: string },
  c: Counters,
  extra: Pick<
    Summary,
    | 'dryRun'
    | 'durationMs'
    | 'status'
    | 'poolTotal'
    | 'unsentFile'
    | 'uncertainFile'
    | 'journal'
    | 'batchSize'
    | 'resumed'
  > &
    Partial<Pick<Summary, 'wouldSend' | 'notSent' | 'inflight' | 'thisRun'>>,
): Summary {
  return {
    target: { type: opts.kind, id: opts.id },
    status: extra.status,
    dryRun: extra.dryRun,
    resumed: extra.resumed,
    lines: c.lines,
    blank: c.blank,
    rejected: c.rejected,
    duplicates: c.duplicates,
    ...(extra.wouldSend !== undefined ? { wouldSend: extra.wouldSend } : {}),
    sent: c.sent,
    added: c.added,
    foundStored: c.foundStored,
    unsent: c.unsent,
    unsentReasons: { ...c.unsentReasons },
    uncertain: c.uncertain,
    soldDuringReconcile: c.soldDuringReconcile,
    ...(extra.notSent !== undefined ? { notSent: extra.notSent } : {}),
    ...(extra.inflight !== undefined ? { inflight: extra.inflight } : {}),
    poolTotal: extra.poolTotal,
    batches: c.batches,
    batchSize: extra.batchSize,
    unsentFile: extra.unsentFile,
    uncertainFile: extra.uncertainFile,
    journal: extra.journal,
    durationMs: extra.durationMs,
    ...(extra.thisRun ? { thisRun: extra.thisRun } : {}),
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
    if (s.foundStored) {
      rows.push([
        'found stored',
        `${n(s.foundStored)} (answer lost; found in the pool on read-back)`,
      ]);
    }
    rows.push(['unsent', `${n(s.unsent)} (not stored)`]);
    if (s.uncertain) {
      rows.push(['uncertain', `${n(s.uncertain)} (outcome unknown: may be in the pool)`]);
    }
    if (s.notSent) rows.push(['not yet sent', n(s.notSent)]);
    if (s.inflight) rows.push(['in flight', `${n(s.inflight)} (settled by --resume)`]);
    if (s.soldDuringReconcile) rows.push(['sold meanwhile', n(s.soldDuringReconcile)]);
    if (s.poolTotal !== null) rows.push(['pool total', n(s.poolTotal)]);
    if (s.thisRun) {
      const t = s.thisRun;
      rows.push([
        'this run',
        `${n(t.lines)} lines settled: sent ${n(t.sent)}, added ${n(t.added)}, found stored ${n(t.foundStored)}, unsent ${n(t.unsent)}, uncertain ${n(t.uncertain)}`,
      ]);
    }
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun
    ? `dry run: nothing was sent to ${s.target.type} ${s.target.id}`
    : `restock of ${s.target.type} ${s.target.id}: ${s.status}${s.resumed ? ' (resumed; counts include the earlier run, "this run" is its own part)' : ''}`;
  ctx.io.stderr.write(`${head}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
}
