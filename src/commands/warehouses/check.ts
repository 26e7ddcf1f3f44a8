// `warehouses check`: 0 when every warehouse is above its threshold, 8 when
// any is at or below it — for cron jobs and CI gates. `--min N` also checks
// each serials product's own stock against N; `--days N` is horizon.ts.
// One description of what is low, the LOW record: the rows of every format,
// and the `low` list of the --json object.
import type { Product } from '../../api/resources/index.js';
import type { Context } from '../../context.js';
import { EXIT_CODES } from '../../errors.js';
import { LOW, type Low } from '../../records/low.js';
import { countsStock } from '../../records/product.js';
import { isLow } from '../../records/warehouse.js';
import type { Format, RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat } from '../../render/records.js';
import { print } from '../print.js';

export interface CheckOptions extends RecordFlags {
  min?: number;
  /** Days of stock left from the sales in the order history (horizon.ts). */
  days?: number;
  db?: string;
}

export async function run(ctx: Context, options: CheckOptions): Promise<number> {
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  const { code, summary } =
    options.days === undefined
      ? await check(ctx, format, options)
      : await (await import('./horizon.js')).runHorizon(ctx, format, {
          ...options,
          days: options.days,
        });
  // The summary is for people; csv, ndjson and json are for programs.
  if (format === 'table' || format === 'tsv') ctx.io.stderr.write(summary);
  return code;
}

async function check(
  ctx: Context,
  format: Format,
  options: CheckOptions,
): Promise<{ code: number; summary: string }> {
  const shop = await ctx.shop();
  const min = options.min;
  const [all, products] = await Promise.all([
    shop.warehouses.list().then((a) => a.data),
    min === undefined ? Promise.resolve([]) : shop.products.list().then((a) => a.data),
  ]);
  const low = all.filter(isLow);
  const lowProducts = products.filter((p) => countsStock(p) && p.stock <= min!);
  const anyLow = low.length > 0 || lowProducts.length > 0;
  const code = EXIT_CODES[anyLow ? 'lowStock' : 'ok'];
  const records: Low[] = [
    ...low.map(
      (w): Low => ({
        kind: 'warehouse',
        id: w.id,
        name: w.name ?? null,
        count: w.count ?? null,
        threshold: w.lowStockThreshold ?? null,
      }),
    ),
    ...lowProducts.map(
      (p): Low => ({
        kind: 'product',
        id: p.id,
        name: p.title ?? null,
        count: p.stock ?? null,
        threshold: min ?? null,
        warehouseId: p.warehouseId ?? null,
      }),
    ),
  ];

  // --json: one object, as a computed result is: the counts, and the same
  // low records every other format prints (--fields picks from those).
  if (format === 'json' && !options.fields) {
    writeJsonValue(ctx.io, {
      ok: !anyLow,
      checked: all.length,
      low: records,
      ...(min === undefined ? {} : { min, checkedProducts: products.filter(countsStock).length }),
    });
  } else {
    // One record per low pool or product in every other format (a kind column first).
    await print(ctx, LOW, records, options);
  }
  return { code, summary: summary(all.length, low.length, min, products, lowProducts.length) };
}

function summary(
  pools: number,
  lowPools: number,
  min: number | undefined,
  products: readonly Product[],
  lowProducts: number,
): string {
  let line =
    lowPools === 0
      ? pools === 1
        ? 'The warehouse is above its low-stock threshold.'
        : `All ${pools} warehouses are above their low-stock threshold.`
      : `${lowPools} of ${pools} warehouse${pools === 1 ? '' : 's'} at or below the low-stock threshold.`;
  if (min !== undefined) {
    const counted = products.filter(countsStock).length;
    line +=
      lowProducts === 0
        ? ` All ${counted} serials products have more than ${min} in stock.`
        : ` ${lowProducts} of ${counted} serials product${counted === 1 ? '' : 's'} at or under ${min} in stock.`;
  }
  return `${line}\n`;
}
