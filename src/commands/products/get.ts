import type { Context } from '../../context.js';
import { date, money, text } from '../../render/format.js';
import { stockText } from '../columns.js';
import { show } from '../shared.js';

export async function run(ctx: Context, options: { args: [string] }): Promise<number> {
  const [id] = options.args;
  return show(
    ctx,
    (shop) => shop.products.reads.get(id),
    (p, r) => {
      const tty = ctx.io.stdoutIsTTY;
      r.detail([
        ['id', text(p.id)],
        ['title', text(p.title)],
        ['price', money(p.price, p.currency)],
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
  );
}
