// `warehouses create`: a shared serial pool; on a terminal, what is missing
// is asked. A seed file larger than one batch is streamed in afterwards.
import type { WarehouseCreate } from '../../api/resources/warehouses.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { missingValues, typedPath } from '../../prompt.js';
import { WAREHOUSE_DETAIL } from '../../records/warehouse.js';
import { createSeeded } from '../create-seeded.js';
import { print } from '../print.js';
import { readableFile, review } from '../review.js';

export interface CreateWarehouseFlags {
  name?: string;
  stockFile?: string;
  removeDuplicates?: boolean;
  removeSold?: boolean;
  lowStockThreshold?: number;
}

export async function run(ctx: Context, flags: CreateWarehouseFlags): Promise<number> {
  let name = flags.name?.trim();
  if (flags.name !== undefined && !name) throw new UsageError('--name must not be empty');
  let stockFile = flags.stockFile;
  if (!name) {
    if (!ctx.io.canPrompt) throw missingValues([['--name', 'warehouse name']]);
    const p = await ctx.prompter();
    name = (await p.input('Name', { validate: (v) => (v.trim() ? true : 'required') })).trim();
    if (stockFile === undefined) {
      // Checked as typed: a wrong path asks again, keeping the name.
      const f = (
        await p.input('File of serials to seed it with (blank for none)', {
          required: false,
          validate: (v) => !v.trim() || readableFile(typedPath(v, ctx.env)),
        })
      ).trim();
      if (f) stockFile = typedPath(f, ctx.env);
    }
    await review(ctx, p, 'warehouse', [
      'warehouses',
      'create',
      '--name',
      name,
      ...(stockFile ? ['--stock-file', stockFile] : []),
      ...(flags.removeDuplicates === false ? ['--no-remove-duplicates'] : []),
      ...(flags.removeSold === false ? ['--no-remove-sold'] : []),
      ...(flags.lowStockThreshold !== undefined
        ? ['--low-stock-threshold', String(flags.lowStockThreshold)]
        : []),
    ]);
  }
  const body: WarehouseCreate = {
    name,
    removeDuplicates: flags.removeDuplicates !== false,
    removeSold: flags.removeSold !== false,
  };
  if (flags.lowStockThreshold !== undefined) body.lowStockThreshold = flags.lowStockThreshold;
  const created = await createSeeded(ctx, {
    kind: 'warehouse',
    create: (shop, stock) =>
      shop.warehouses.create(stock === undefined ? body : { ...body, stock }),
    list: (shop) => shop.warehouses.list(),
    stockFile,
  });
  return print(ctx, WAREHOUSE_DETAIL, created);
}
