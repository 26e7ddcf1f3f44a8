// Orders read from the history for `orders list --history` (and stats):
// the file is held only while it is read.
import type { Context } from '../context.js';
import type { OrderQuery } from './db.js';
import { historyFile, openHistory } from './open.js';

export async function readHistory(
  ctx: Context,
  db: string | undefined,
  query: OrderQuery,
): Promise<Record<string, unknown>[]> {
  const h = await openHistory(ctx, await historyFile(ctx, db), false, 'reading the history');
  try {
    return h.orders(query);
  } finally {
    h.close();
  }
}
