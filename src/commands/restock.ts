// `products restock <id> [file…]` and `warehouses restock <id> [file…]`: one
// engine (src/restock/engine.ts) behind both; the verb renders its result.
import type { Context } from '../context.js';
import { writeSummary } from '../render/restock-summary.js';
import { restock } from '../restock/engine.js';
import type { TargetKind } from '../restock/target.js';

export interface RestockFlags {
  args: [string, string[]?];
  batchSize?: number;
  removeDuplicates?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  unsentFile?: string;
}

function run(kind: TargetKind) {
  return async (ctx: Context, options: RestockFlags): Promise<number> => {
    const [id, files] = options.args;
    const result = await restock(ctx, {
      kind,
      id,
      files: files ?? [],
      batchSize: options.batchSize,
      removeDuplicates: Boolean(options.removeDuplicates),
      dryRun: Boolean(options.dryRun),
      resume: Boolean(options.resume),
      unsentFile: options.unsentFile,
    });
    writeSummary(ctx, result.summary, false);
    if (result.error) throw result.error;
    return 0;
  };
}

export const runProduct = run('product');
export const runWarehouse = run('warehouse');
