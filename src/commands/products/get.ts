import type { Context } from '../../context.js';
import { date, money, text } from '../../render/format.js';
import type { RecordFlags } from '../../render/formats.js';
import { PRODUCT_VIEW, stockText } from '../columns.js';
import { show } from '../show.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [id] = options.args;
  return show(
    ctx,
    (shop) => shop.products.reads.get(id),
    (p, r) => {
      const tty = ctx.io.stdoutIsTTY;
      r.detail([
        ['id', text(p.id)],
        ['title', text(p.title)],
        ['price', money(p.price, p.currency, tty)],
        ['type', text(p.type)],
        ['stock', stockText(p), stockText(p) === '0' ? 'bad' : 'plain'],
        ['visibility', text(p.visibility)],
        ['warehouse', text(p.warehouseId)],
        ['sales', text(p.salesCount)],
        ['slug', text(p.slug)],
        ['purchase note', text(p.purchaseNote)],
        ['created', date(p.createdAt, tty, ctx.clock.now())],
      ]);
      if (Array.isArray(p.stockItems)) {
        r.section(`Stock items (${p.stockItems.length})`, p.stockItems.map(text));
      }
    },
    { ...options, view: PRODUCT_VIEW, one: true },
  );
}
