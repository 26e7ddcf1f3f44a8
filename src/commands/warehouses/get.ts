import type { Context } from '../../context.js';
import { WAREHOUSE_DETAIL } from '../../records/warehouse.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';
import { idFirst } from '../resolve.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [ref] = options.args;
  const shop = await ctx.shop();
  return idFirst(shop, 'warehouse', ref, (id) =>
    print(ctx, WAREHOUSE_DETAIL, (s) => s.warehouses.reads.get(id), options),
  );
}
