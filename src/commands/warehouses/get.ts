import type { Context } from '../../context.js';
import { WAREHOUSE_DETAIL } from '../../records/warehouse.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(
  ctx: Context,
  options: RecordFlags & { args: [string] },
): Promise<number> {
  const [id] = options.args;
  return print(ctx, WAREHOUSE_DETAIL, (shop) => shop.warehouses.reads.get(id), options);
}
