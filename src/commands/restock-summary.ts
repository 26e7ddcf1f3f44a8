// The restock summary as the user sees it: one JSON object on stdout with
// --json (create commands print it on stderr, their stdout holds the created
// resource), else a short report on stderr, every line of which adds up (see
// restock/summary.ts).
import type { Context } from '../context.js';
import { writeJsonValue } from '../render/output.js';
import type { Summary } from '../restock/index.js';

const n = (v: number) => v.toLocaleString('en-US');

/** Where a stopped run's serials are: in their list, or (a list that could not be written) only in the journal. */
function listed(count: number, unlisted = 0, list: 'unsent' | 'uncertain'): string {
  if (unlisted === 0) return `listed in the ${list} file`;
  if (unlisted >= count) return 'could not be listed; the journal keeps them';
  return `${n(count - unlisted)} listed in the ${list} file, ${n(unlisted)} could not be; the journal keeps them`;
}

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
  if (s.dryRun) {
    rows.push(['would send', n(s.wouldSend ?? 0)]);
    if (s.alreadyInPool !== undefined) {
      rows.push([
        'already in the pool',
        `${n(s.alreadyInPool)} (the pool would drop them as present)`,
      ]);
    }
    if (s.poolTotal !== null) rows.push(['pool total', n(s.poolTotal)]);
  } else {
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
        `${n(s.foundStored)} (no answer said so; found in the pool on read-back)`,
      ]);
    }
    if (s.soldDuringReconcile)
      rows.push(['sold meanwhile', `${n(s.soldDuringReconcile)} (of found stored)`]);
    rows.push(['unsent', `${n(s.unsent)} (not stored)`]);
    if (s.uncertain)
      rows.push(['uncertain', `${n(s.uncertain)} (outcome unknown: may be in the pool)`]);
    if (s.notSent) {
      rows.push([
        'not yet sent',
        `${n(s.notSent)} (${listed(s.notSent, s.unlisted?.notSent, 'unsent')})`,
      ]);
    }
    if (s.inflight) {
      const where = listed(s.inflight, s.unlisted?.inflight, 'uncertain');
      rows.push(['in flight', `${n(s.inflight)} (${where}; --resume settles them)`]);
    }
    if (s.batchSizes) {
      const b = s.batchSizes;
      const sizes =
        b.smallest === b.largest
          ? `${n(b.largest)} serials a request`
          : `${n(b.smallest)} to ${n(b.largest)} serials a request (last ${n(b.last)})`;
      // --verbose also says when no limit was met (the sizes then only grew to our own bounds).
      const limit = s.batchCeiling
        ? `; the service takes at most ${n(s.batchCeiling)}`
        : ctx.globals.verbose
          ? '; no limit of the service met'
          : '';
      rows.push(['batch size', `${sizes}${limit}`]);
    }
    if (s.poolTotal !== null) rows.push(['pool total', n(s.poolTotal)]);
    if (s.otherWriter) {
      rows.push([
        'other writer',
        'the pool changed in ways this run and its sales cannot explain; serials that depended on it are uncertain',
      ]);
    }
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
