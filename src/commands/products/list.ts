import type { Context } from '../../context.js';
import type { RecordFlags } from '../../render/formats.js';
import { PRODUCT_VIEW, productColumns } from '../columns.js';
import { show } from '../show.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return show(
    ctx,
    (shop) => shop.products.reads.list(),
    (products, r) => {
      r.list(products, productColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
        empty: 'No products yet. Create one with `astrosell products create`.',
      });
    },
    { ...options, view: PRODUCT_VIEW, empty: 'No products yet.' },
  );
}
