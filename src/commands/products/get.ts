import type { Context } from '../../context.js';
import { PRODUCT_DETAIL } from '../../records/product.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';
import { idFirst } from '../resolve.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [ref] = options.args;
  const shop = await ctx.shop();
  return idFirst(shop, 'product', ref, (id) =>
    print(ctx, PRODUCT_DETAIL, (s) => s.products.reads.get(id), options),
  );
}
