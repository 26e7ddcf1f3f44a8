import type { Context } from '../../context.js';
import { WAREHOUSE } from '../../records/warehouse.js';
import type { RecordFlags } from '../../render/formats.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return print(ctx, WAREHOUSE, (shop) => shop.warehouses.list(), options);
}
