// `warehouses check`: 0 when every warehouse is above its threshold, 8 when
// any is at or below it — for cron jobs and CI gates.
import type { Context } from '../../context.js';
import { EXIT_CODES } from '../../errors.js';
import { text } from '../../render/format.js';
import { createRenderer, writeJsonValue } from '../../render/output.js';
import { isLow } from '../columns.js';

export async function run(ctx: Context): Promise<number> {
  const shop = await ctx.shop();
  const all = (await shop.warehouses.list()).data;
  const low = all.filter(isLow);
  const code = EXIT_CODES[low.length > 0 ? 'lowStock' : 'ok'];
  if (ctx.globals.json) {
    writeJsonValue(ctx.io, {
      ok: low.length === 0,
      checked: all.length,
      low: low.map((w) => ({
        id: w.id,
        name: w.name,
        count: w.count,
        lowStockThreshold: w.lowStockThreshold,
      })),
    });
    return code;
  }
  if (low.length === 0) {
    ctx.io.stderr.write(
      all.length === 1
        ? 'The warehouse is above its low-stock threshold.\n'
        : `All ${all.length} warehouses are above their low-stock threshold.\n`,
    );
    return code;
  }
  const r = await createRenderer(ctx.io);
  r.list(low, [
    { header: 'id', value: (w) => text(w.id) },
    { header: 'name', value: (w) => text(w.name), shrink: true },
    { header: 'count', value: (w) => text(w.count), align: 'right', tone: () => 'warn' },
    { header: 'low at', value: (w) => text(w.lowStockThreshold), align: 'right' },
  ]);
  ctx.io.stderr.write(
    `${low.length} of ${all.length} warehouse${all.length === 1 ? '' : 's'} at or below the low-stock threshold.\n`,
  );
  return code;
}
