// POST /products/:id/stock and POST /warehouses/:id/stock: serials into a
// pool. The answer decides what the restock engine records as stored, so it
// is parsed strictly: a 2xx answer that is not exactly
// {added, total, truncated, capped} is a ServerError, and the caller treats
// the outcome as unknown (and reconciles) rather than guessing.
import { ServerError } from '../../errors.js';
import { check } from '../../records/define.js';
import { STOCK_ANSWER, type StockAnswer } from '../../records/stock.js';
import type { ApiClient } from '../client.js';
import { type Answer, answer, type CallOptions, idPath } from './answer.js';

export type PoolKind = 'product' | 'warehouse';

export interface StockAdd {
  /** Newline-separated serials. */
  stock: string;
  /** Drop serials the pool already holds and repeats in this batch; default: the pool's setting. */
  removeDuplicates?: boolean;
}

export type StockAddResult = StockAnswer;

export function stockPath(kind: PoolKind, id: string): string {
  return `${idPath(kind === 'warehouse' ? '/warehouses' : '/products', id)}/stock`;
}

export function parseStockAddResult(v: unknown): StockAddResult {
  let a: StockAnswer;
  try {
    a = check(STOCK_ANSWER, v);
  } catch {
    throw new ServerError(
      'the service answered a stock add without {added, total, truncated, capped}',
    );
  }
  return { added: a.added, total: a.total, truncated: a.truncated, capped: a.capped };
}

export function stock(api: ApiClient) {
  return {
    /**
     * Sent once, never retried here: a resend could store the serials twice.
     * `body` may be the JSON already serialised (the restock engine builds
     * large batches straight into a buffer).
     */
    async add(
      kind: PoolKind,
      id: string,
      body: StockAdd | string | Uint8Array,
      o: CallOptions = {},
    ): Promise<Answer<StockAddResult>> {
      const res = await api.request({
        method: 'POST',
        path: stockPath(kind, id),
        ...(typeof body === 'string' || body instanceof Uint8Array ? { rawBody: body } : { body }),
        idempotent: false,
        signal: o.signal,
      });
      try {
        return answer(res, 'a stock add', parseStockAddResult, { strict: true });
      } catch (error) {
        // Which answer it was matters to the caller: a 202 is not the end of the request.
        if (error instanceof ServerError && error.status === undefined) {
          throw new ServerError(error.message, { status: res.status });
        }
        throw error;
      }
    },
  };
}
export type StockResource = ReturnType<typeof stock>;
