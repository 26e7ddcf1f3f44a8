import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { orderColumns } from '../columns.js';
import { show } from '../shared.js';

export async function run(
  ctx: Context,
  options: { status?: string; limit?: number },
): Promise<number> {
  if (options.status !== undefined && options.status.trim() === '') {
    throw new UsageError('--status must not be empty');
  }
  return show(
    ctx,
    (shop) => shop.orders.reads.list({ status: options.status, limit: options.limit }),
    (orders, r) => {
      r.list(orders, orderColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
        empty: options.status ? `No ${options.status} orders.` : 'No orders yet.',
      });
    },
  );
}
