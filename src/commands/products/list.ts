import type { Context } from '../../context.js';
import { productColumns } from '../columns.js';
import { asArray, show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(ctx, '/products', undefined, (data, r) => {
    r.list(asArray(data, 'products'), productColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
      empty: 'No products yet. Create one with `astrosell products create`.',
    });
  });
}
