import type { Context } from '../../context.js';
import { date, text } from '../../render/format.js';
import type { RecordFlags } from '../../render/formats.js';
import { isLow, WAREHOUSE_VIEW } from '../columns.js';
import { show } from '../show.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [id] = options.args;
  return show(
    ctx,
    (shop) => shop.warehouses.reads.get(id),
    (w, r) => {
      r.detail([
        ['id', text(w.id)],
        ['name', text(w.name)],
        ['count', text(w.count), isLow(w) ? 'warn' : 'plain'],
        ['low stock at', text(w.lowStockThreshold)],
        ['remove duplicates', text(w.removeDuplicates)],
        ['remove sold', text(w.removeSold)],
        ['created', date(w.createdAt, ctx.io.stdoutIsTTY, ctx.clock.now())],
      ]);
      if (Array.isArray(w.items)) r.section(`Items (${w.items.length})`, w.items.map(text));
    },
    { ...options, view: WAREHOUSE_VIEW, one: true },
  );
}
