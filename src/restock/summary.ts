// The restock summary: one object (--json on stdout) or a short report on
// stderr. Every input line is counted once: blank, rejected, duplicate, sent
// (accepted by the service) or unsent.
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
  added: number;
  unsent: number;
  unsentReasons: Record<string, number>;
  soldDuringReconcile: number;
  /** Stopped runs: serials not yet sent (in the unsent file's tail) and in the batch in flight. */
  notSent?: number;
  inflight?: number;
  poolTotal: number | null;
  batches: number;
  batchSize: number;
  unsentFile: string | null;
  journal: string | null;
  durationMs: number;
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
    | 'journal'
    | 'batchSize'
    | 'resumed'
  > &
    Partial<Pick<Summary, 'wouldSend' | 'notSent' | 'inflight'>>,
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
    unsent: c.unsent,
    unsentReasons: { ...c.unsentReasons },
    soldDuringReconcile: c.soldDuringReconcile,
    ...(extra.notSent !== undefined ? { notSent: extra.notSent } : {}),
    ...(extra.inflight !== undefined ? { inflight: extra.inflight } : {}),
    poolTotal: extra.poolTotal,
    batches: c.batches,
    batchSize: extra.batchSize,
    unsentFile: extra.unsentFile,
    journal: extra.journal,
    durationMs: extra.durationMs,
  };
}

const n = (v: number) => v.toLocaleString('en-US');

export function writeSummary(ctx: Context, s: Summary, stderrOnly: boolean): void {
  if (ctx.globals.json && !stderrOnly) {
    writeJsonValue(ctx.io, s);
    return;
  }
  const secs = s.durationMs / 1000;
  const rate = secs > 0 ? Math.round(s.sent / secs) : 0;
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
      ['unsent', n(s.unsent)],
    );
    if (s.notSent) rows.push(['not yet sent', n(s.notSent)]);
    if (s.inflight) rows.push(['in flight', `${n(s.inflight)} (settled by --resume)`]);
    if (s.soldDuringReconcile) rows.push(['sold meanwhile', n(s.soldDuringReconcile)]);
    if (s.poolTotal !== null) rows.push(['pool total', n(s.poolTotal)]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun
    ? `dry run: nothing was sent to ${s.target.type} ${s.target.id}`
    : `restock of ${s.target.type} ${s.target.id}: ${s.status}${s.resumed ? ' (resumed)' : ''}`;
  ctx.io.stderr.write(`${head}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
}
