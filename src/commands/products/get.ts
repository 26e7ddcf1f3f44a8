import type { Context } from '../../context.js';
import { PRODUCT_DETAIL } from '../../records/product.js';
import { type DetailFlags, shortOnTerminal } from '../detail.js';
import { print } from '../print.js';
import { idFirst } from '../resolve.js';

export async function run(ctx: Context, options: DetailFlags): Promise<number> {
  const [ref] = options.args;
  const shop = await ctx.shop();
  const short = shortOnTerminal(ctx, options);
  return idFirst(shop, 'product', ref, (id) =>
    print(ctx, PRODUCT_DETAIL, (s) => s.products.get(id), { ...options, short }),
  );
}
