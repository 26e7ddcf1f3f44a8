import type { Context } from '../../context.js';
import { ORDER_DETAIL } from '../../records/order.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [invoiceId] = options.args;
  return print(ctx, ORDER_DETAIL, (shop) => shop.orders.get(invoiceId), options);
}
