// `restocks abandon <key>`: gives up an interrupted restock once its lists
// hold every serial it did not store (src/restock/interrupted.ts), and says
// what each file holds: on stderr, or one JSON object on stdout with --json.
import { configDirFrom } from '../../config/store.js';
import type { Context } from '../../context.js';
import { writeJsonValue } from '../../render/output.js';
import { type AbandonReport, abandon, displayName, usableJournalDir } from '../../restock/index.js';

const n = (v: number) => v.toLocaleString('en-US');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export async function run(ctx: Context, options: { args: [string] }): Promise<number> {
  const [key] = options.args;
  const report = await abandon(usableJournalDir(configDirFrom(ctx.env).dir), key, ctx.io.stdin);
  if (ctx.globals.json) writeJsonValue(ctx.io, report);
  else ctx.io.stderr.write(describe(report));
  return 0;
}

/** Input lines [from, to] (1-based), named by file when there is one input. */
function lines(r: AbandonReport, from: number, to: number | null): string {
  const range = to === null ? `${n(from)} on` : from === to ? n(from) : `${n(from)}–${n(to)}`;
  const single = r.inputs.length === 1;
  return single
    ? `line${from === to ? '' : 's'} ${range} of ${displayName(r.inputs[0]!)}`
    : `input lines ${range} (counted across ${r.inputs.map(displayName).join(', ')})`;
}

export function describe(r: AbandonReport): string {
  const { kind, id, baseUrl } = r.target;
  const out = [`Abandoned the restock of ${kind} ${id} at ${baseUrl} (${r.key}).`];
  if (r.unsent.serials) {
    const parts: string[] = [];
    if (r.inFlight && r.inFlightNotStored) {
      parts.push(
        `${n(r.inFlightNotStored)} of the ${lines(r, r.inFlight.fromLine, r.inFlight.toLine)}, answered as not stored or never sent`,
      );
    }
    if (r.notSent?.serials) {
      parts.push(
        `${n(r.notSent.serials)} never sent: the serials of ${lines(r, r.notSent.fromLine, r.notSent.toLine)}`,
      );
    }
    const fresh = parts.length ? ` (${parts.join('; ')})` : '';
    out.push(
      `  ${r.unsent.path} lists ${n(r.unsent.serials)} serials not stored${fresh}: restock it as is.`,
    );
  } else {
    out.push('  No serial is listed as not stored.');
  }
  if (r.uncertain.serials) {
    const flight =
      r.inFlight && r.inFlightSerials
        ? ` (${n(r.inFlightSerials)} of them sent when it stopped: ${lines(r, r.inFlight.fromLine, r.inFlight.toLine)})`
        : '';
    out.push(
      `  ${r.uncertain.path} lists ${n(r.uncertain.serials)} serials that may be stored${flight}, or be stored later by a request of that run that may still land: once none can, list those missing from the pool (astrosell warehouses diff ${kind === 'warehouse' ? id : '<its warehouse>'} ${r.uncertain.path} --show missing) and restock only those, never this file as is.`,
    );
  } else if (!r.inFlightNotListed) {
    out.push('  No serial is of unknown outcome.');
  }
  const lost = r.inFlightNotListed;
  if (lost) {
    out.push(
      `  The serials of ${lines(r, lost.fromLine, lost.toLine)} were sent when it stopped and may be stored; they could not be listed (${lost.reason}): put them from the original input in a file and, once no request of that run can still land, restock only those missing from the pool (astrosell warehouses diff ${kind === 'warehouse' ? id : '<its warehouse>'} <that file> --show missing), never all of them.`,
    );
  }
  const gap = r.notListed;
  if (gap?.listedByStop) {
    out.push(
      `  ${cap(lines(r, gap.fromLine, gap.toLine))} were not sent; the stopped run listed ${n(gap.listedByStop)} serials of them in the unsent file, which could not be checked now (${gap.reason}): compare them with the original input.`,
    );
  } else if (gap) {
    out.push(
      `  The serials of ${lines(r, gap.fromLine, gap.toLine)} were not sent and could not be listed (${gap.reason}): restock them from the original input.`,
    );
  }
  if (r.keptSpool) out.push(`  The saved copy of standard input is kept as ${r.keptSpool}.`);
  out.push(
    r.spool && !r.keptSpool
      ? '  Removed its journal and its saved copy of standard input.'
      : '  Removed its journal.',
  );
  return `${out.join('\n')}\n`;
}
