// Placeholder until the restock engine lands (issue #4); keeps the build whole.
import type { Context } from '../context.js';

export async function runProduct(_ctx: Context): Promise<number> {
  throw new Error('not implemented yet');
}
export async function runWarehouse(_ctx: Context): Promise<number> {
  throw new Error('not implemented yet');
}
