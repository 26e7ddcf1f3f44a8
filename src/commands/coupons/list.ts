import type { Context } from '../../context.js';
import { COUPON } from '../../records/coupon.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return print(ctx, COUPON, (shop) => shop.coupons.list(), options);
}
