import type { Context } from '../../context.js';
import { warehouseColumns } from '../columns.js';
import { asArray, show } from '../shared.js';

export async function run(ctx: Context): Promise<number> {
  return show(ctx, '/warehouses', undefined, (data, r) => {
    r.list(asArray(data, 'warehouses'), warehouseColumns(), {
      empty: 'No warehouses yet. Create one with `astrosell warehouses create`.',
    });
  });
}
