import type { Context } from '../../context.js';
import { productColumns } from '../columns.js';
import { show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(
    ctx,
    (shop) => shop.products.reads.list(),
    (products, r) => {
      r.list(products, productColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
        empty: 'No products yet. Create one with `astrosell products create`.',
      });
    },
  );
}
