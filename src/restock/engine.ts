// The restock engine behind `warehouses restock` and `products restock` (and
// the large-file path of the create commands). One request at a time, in
// input order; the journal, the unsent file (known not stored) and the
// uncertain file (outcome unknown) keep the promise that every serial ends up
// stored once or listed in one of those two files (see journal.ts,
// reconcile.ts and the README's "Restocking" section).
//
// This file checks the input and dispatches: a dry run counts here; a real
// run is upload.ts (set-up) → drive.ts (the loop) → send-unit.ts (one unit,
// and the policy for uncertain answers) → finish.ts (summary, exit, resume).
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { HashSet128 } from './hashset.js';
import { type PreparedInput, prepareInput } from './input.js';
import { emptyCounters, journalDir } from './journal.js';
import { DEFAULT_BATCH_SIZE } from './run.js';
import { SerialSource } from './source.js';
import { type Summary, summaryOf, writeSummary } from './summary.js';
import type { TargetKind } from './target.js';
import { upload } from './upload.js';

export { DEFAULT_BATCH_SIZE };

export interface RestockOptions {
  kind: TargetKind;
  id: string;
  files: string[];
  batchSize?: number;
  removeDuplicates?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  unsentFile?: string;
  /** Already checked input (create commands). */
  prepared?: PreparedInput;
  /** Print the summary on stderr only, even with --json (create prints its own JSON). */
  summaryToStderr?: boolean;
}

export async function runRestock(ctx: Context, opts: RestockOptions): Promise<number> {
  const configDir = configDirFrom(ctx.env).dir;
  const dir = journalDir(configDir);
  const started = ctx.clock.now();
  const prepared =
    opts.prepared ??
    (await prepareInput(opts.files, {
      stdin: ctx.io.stdin,
      spoolDir: dir,
      stopAtFirstBad: !opts.dryRun,
      signal: ctx.signal,
      onStdinTTY: () =>
        ctx.io.stderr.write('reading serials from standard input (end with Ctrl-D)…\n'),
    }));
  try {
    if (prepared.firstBad && !opts.dryRun) {
      const b = prepared.firstBad;
      throw new UsageError(`${b.file}, line ${b.line}: ${b.reason}; nothing was sent`, {
        hint: 'fix or remove that line; serials are one per line, printable UTF-8',
      });
    }
    if (opts.dryRun) return await dryRun(ctx, opts, prepared, started);
    return await upload(ctx, opts, prepared, dir, started);
  } finally {
    prepared.cleanup();
  }
}

async function dryRun(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  started: number,
): Promise<number> {
  const c = emptyCounters();
  const source = new SerialSource(
    prepared.files,
    opts.removeDuplicates ? new HashSet128() : undefined,
  );
  let wouldSend = 0;
  for (let u = await source.next(100_000); u; u = await source.next(100_000)) {
    c.lines += u.toLine - u.fromLine;
    c.blank += u.blank;
    c.rejected += u.rejected;
    c.duplicates += u.duplicates;
    wouldSend += u.count;
  }
  const summary = summaryOf(ctx, opts, c, {
    dryRun: true,
    wouldSend,
    durationMs: ctx.clock.now() - started,
    status: c.rejected ? 'invalid' : 'complete',
    poolTotal: null,
    unsentFile: null,
    uncertainFile: null,
    journal: null,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    resumed: false,
  });
  writeSummary(ctx, summary, Boolean(opts.summaryToStderr));
  if (prepared.firstBad) {
    const b = prepared.firstBad;
    throw new UsageError(
      `${b.file}, line ${b.line}: ${b.reason} (${c.rejected} such lines in all)`,
    );
  }
  return ExitCode.ok;
}

export type { Summary };
