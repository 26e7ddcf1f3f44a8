// `products restock <id> [file…]` and `warehouses restock <id> [file…]`: one
// engine (src/restock/engine.ts) behind both.
import type { Context } from '../context.js';
import { runRestock } from '../restock/engine.js';
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
  return (ctx: Context, options: RestockFlags): Promise<number> => {
    const [id, files] = options.args;
    return runRestock(ctx, {
      kind,
      id,
      files: files ?? [],
      batchSize: options.batchSize,
      removeDuplicates: Boolean(options.removeDuplicates),
      dryRun: Boolean(options.dryRun),
      resume: Boolean(options.resume),
      unsentFile: options.unsentFile,
    });
  };
}

export const runProduct = run('product');
export const runWarehouse = run('warehouse');
