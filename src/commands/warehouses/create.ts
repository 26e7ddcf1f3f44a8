// `warehouses create`: a shared serial pool; on a terminal, what is missing
// is asked. A seed file larger than one batch is streamed in afterwards.
import type { WarehouseCreate } from '../../api/resources/warehouses.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { missingValue, typedPath } from '../../prompt.js';
import { WAREHOUSE_DETAIL } from '../../records/warehouse.js';
import { createSeeded } from '../create-seeded.js';
import { print } from '../print.js';

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
    if (!ctx.io.canPrompt) throw missingValue('--name', 'warehouse name');
    const p = await ctx.prompter();
    name = (await p.input('Name', { validate: (v) => (v.trim() ? true : 'required') })).trim();
    if (stockFile === undefined) {
      const f = (
        await p.input('File of serials to seed it with (blank for none)', { required: false })
      ).trim();
      if (f) stockFile = typedPath(f, ctx.env);
    }
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
