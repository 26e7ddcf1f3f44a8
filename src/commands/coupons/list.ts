import type { Context } from '../../context.js';
import { couponColumns } from '../columns.js';
import { asArray, show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(ctx, '/coupons', undefined, (data, r) => {
    r.list(asArray(data, 'coupons'), couponColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
      empty: 'No coupons.',
    });
  });
}
