import type { Context } from '../../context.js';
import { PRODUCT } from '../../records/product.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return print(ctx, PRODUCT, (shop) => shop.products.list(), options);
}
