// `products restock <id> [file…]` and `warehouses restock <id> [file…]`: one
// engine (src/restock/) behind both; the verb renders its result.
import type { Context } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { createProgress } from '../render/progress.js';
import { type RestockOptions, restock, type TargetKind } from '../restock/index.js';
import { notFound } from './resolve.js';
import { writeSummary } from './restock-summary.js';

/** The restock flags are the engine's options of the same names. */
export type RestockFlags = Pick<
  RestockOptions,
  'batchSize' | 'maxBatchSize' | 'removeDuplicates' | 'dryRun' | 'offline' | 'resume' | 'unsentFile'
> & { args: [string, string[]?] };

function start(kind: TargetKind) {
  return async (ctx: Context, options: RestockFlags): Promise<number> => {
    const [ref, files] = options.args;
    if (options.offline && !options.dryRun) {
      throw new UsageError('--offline goes with --dry-run only', {
        hint: 'a restock sends serials: it cannot be offline',
      });
    }
    // A name is resolved by the engine once the input is safe (read, stdin spooled).
    const result = await restock(ctx, {
      kind,
      id: ref,
      files: files ?? [],
      batchSize: options.batchSize,
      maxBatchSize: options.maxBatchSize,
      removeDuplicates: Boolean(options.removeDuplicates),
      dryRun: Boolean(options.dryRun),
      offline: Boolean(options.offline),
      resume: Boolean(options.resume),
      unsentFile: options.unsentFile,
      progress: (label, total) => createProgress(ctx.io, total, ctx.clock, label),
    });
    writeSummary(ctx, result.summary, false);
    if (result.error) throw result.error;
    return 0;
  };
}

/** The restock, with a 404 for the target said in the user's words. */
function run(kind: TargetKind) {
  const go = start(kind);
  return async (ctx: Context, options: RestockFlags): Promise<number> => {
    try {
      return await go(ctx, options);
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound(kind, options.args[0]);
      throw error;
    }
  };
}

export const runProduct = run('product');
export const runWarehouse = run('warehouse');
