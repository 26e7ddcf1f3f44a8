import type { Context } from '../../context.js';
import { couponColumns } from '../columns.js';
import { show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(
    ctx,
    (shop) => shop.coupons.reads.list(),
    (coupons, r) => {
      r.list(coupons, couponColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
        empty: 'No coupons.',
      });
    },
  );
}
