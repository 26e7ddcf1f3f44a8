// Placeholder until the create command lands (issue #4); keeps the build whole.
import type { Context } from '../../context.js';

export async function run(_ctx: Context): Promise<number> {
  throw new Error('not implemented yet');
}
