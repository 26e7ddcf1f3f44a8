import type { Context } from '../../context.js';
import { date, money, text } from '../../render/format.js';
import type { RecordFlags } from '../../render/formats.js';
import { ORDER_VIEW } from '../columns.js';
import { show } from '../show.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [invoiceId] = options.args;
  return show(
    ctx,
    (shop) => shop.orders.reads.get(invoiceId),
    (o, r) => {
      r.detail([
        ['invoice', text(o.invoiceId)],
        ['product', text(o.productTitle)],
        ['total', money(o.total, o.currency, ctx.io.stdoutIsTTY)],
        ['status', text(o.status)],
        ['gateway', text(o.gateway)],
        ['customer', text(o.customerEmail)],
        ['created', date(o.createdAt, ctx.io.stdoutIsTTY, ctx.clock.now())],
      ]);
      if (Array.isArray(o.deliveredItems)) {
        r.section(`Delivered items (${o.deliveredItems.length})`, o.deliveredItems.map(text));
      }
    },
    { ...options, view: ORDER_VIEW, one: true },
  );
}
