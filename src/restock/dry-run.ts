// `restock --dry-run`: the input read and checked as a real run would, and
// nothing sent. Unless `--offline`, the target is read too, so a dry run is a
// pre-flight for CI: an unknown id fails as the real run would (exit 4), and
// a pool that drops duplicates says how many of the input's serials it
// already holds (the pool streamed against a set of the input's hashes, as
// `warehouses diff` does; never held whole).
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { HashSet128 } from './hashset.js';
import type { PreparedInput } from './input.js';
import { emptyCounters } from './journal.js';
import type { RestockOptions, RestockResult } from './options.js';
import { UnitReader } from './read.js';
import { firstSizing } from './start.js';
import { summaryOf } from './summary.js';
import { describeTarget, scanPool, type Target } from './target.js';

const UNIT = 10_000;

export async function dryRun(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  started: number,
): Promise<RestockResult> {
  const flagDedup = Boolean(opts.removeDuplicates);
  let target: Target | undefined;
  if (!opts.offline) {
    const shop = await ctx.shop();
    target = await describeTarget(shop, opts.kind, opts.id, flagDedup);
    opts = { ...opts, id: target.id };
  }
  const c = emptyCounters();
  // The input's distinct serials, when a repeat is dropped or the pool is to be compared.
  const distinct = flagDedup || target?.dedup ? new HashSet128() : undefined;
  const reader = new UnitReader(prepared.files, flagDedup ? distinct : undefined);
  let wouldSend = 0;
  try {
    for (let u = await reader.next(UNIT); u; u = await reader.next(UNIT)) {
      c.lines += u.toLine - u.fromLine;
      c.blank += u.blank;
      c.rejected += u.rejected;
      c.duplicates += u.duplicates;
      wouldSend += u.serials.length;
      if (distinct && !flagDedup) for (const s of u.serials) distinct.add(s);
    }
  } finally {
    reader.close();
  }
  let inPool: number | undefined;
  let poolTotal: number | null = target?.size ?? null;
  if (target?.dedup && distinct && c.rejected === 0) {
    const shop = await ctx.shop();
    // A body read again after a cut (the client's retry) only adds what the set has.
    const found = new HashSet128();
    const scan = await scanPool(shop, target, [], 0, ctx.signal, (item) => {
      if (distinct.has(item)) found.add(item);
    });
    inPool = found.size;
    poolTotal = scan.size;
  }
  const summary = summaryOf(opts, c, {
    dryRun: true,
    wouldSend,
    ...(inPool === undefined ? {} : { alreadyInPool: inPool }),
    poolTotal,
    durationMs: ctx.clock.now() - started,
    status: c.rejected ? 'invalid' : 'complete',
    batchSize: firstSizing(opts).size,
    target,
  });
  const b = prepared.firstBad;
  if (!b) return { summary };
  return {
    summary,
    error: new UsageError(
      `${b.file}, line ${b.line}: ${b.reason} (${c.rejected} such lines in all)`,
    ),
  };
}
