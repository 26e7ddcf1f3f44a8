import type { Context } from '../../context.js';
import { PRODUCT_DETAIL } from '../../records/product.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [id] = options.args;
  return print(ctx, PRODUCT_DETAIL, (shop) => shop.products.reads.get(id), options);
}
