import type { Context } from '../../context.js';
import type { RecordFlags } from '../../render/formats.js';
import { WAREHOUSE_VIEW, warehouseColumns } from '../columns.js';
import { show } from '../show.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  return show(
    ctx,
    (shop) => shop.warehouses.reads.list(),
    (warehouses, r) => {
      r.list(warehouses, warehouseColumns(), {
        empty: 'No warehouses yet. Create one with `astrosell warehouses create`.',
      });
    },
    { ...options, view: WAREHOUSE_VIEW, empty: 'No warehouses yet.' },
  );
}
