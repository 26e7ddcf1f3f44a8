import type { Context } from '../../context.js';
import { warehouseColumns } from '../columns.js';
import { show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(
    ctx,
    (shop) => shop.warehouses.reads.list(),
    (warehouses, r) => {
      r.list(warehouses, warehouseColumns(), {
        empty: 'No warehouses yet. Create one with `astrosell warehouses create`.',
      });
    },
  );
}
