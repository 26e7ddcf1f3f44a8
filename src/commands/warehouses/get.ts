import type { Context } from '../../context.js';
import { WAREHOUSE_DETAIL } from '../../records/warehouse.js';
import { type DetailFlags, shortOnTerminal } from '../detail.js';
import { print } from '../print.js';
import { idFirst } from '../resolve.js';

export async function run(ctx: Context, options: DetailFlags): Promise<number> {
  const [ref] = options.args;
  const shop = await ctx.shop();
  const short = shortOnTerminal(ctx, options);
  return idFirst(shop, 'warehouse', ref, (id) =>
    print(ctx, WAREHOUSE_DETAIL, (s) => s.warehouses.get(id), { ...options, short }),
  );
}
