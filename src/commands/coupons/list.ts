import type { Context } from '../../context.js';
import type { RecordFlags } from '../../render/formats.js';
import { COUPON_VIEW, couponColumns } from '../columns.js';
import { show } from '../show.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return show(
    ctx,
    (shop) => shop.coupons.reads.list(),
    (coupons, r) => {
      r.list(coupons, couponColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
        empty: 'No coupons.',
      });
    },
    { ...options, view: COUPON_VIEW, empty: 'No coupons.' },
  );
}
