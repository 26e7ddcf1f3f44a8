// POST /products/:id/stock and POST /warehouses/:id/stock: serials into a
// pool. The answer decides what the restock engine records as stored, so it
// is parsed strictly: a 2xx answer that is not exactly
// {added, total, truncated, capped} is a ServerError, and the caller treats
// the outcome as unknown (and reconciles) rather than guessing.
import { ServerError } from '../../errors.js';
import type { ApiClient } from '../client.js';
import { type Answer, answer, type CallOptions, idPath } from './answer.js';

export type PoolKind = 'product' | 'warehouse';

export interface StockAdd {
  /** Newline-separated serials. */
  stock: string;
  /** Drop serials the pool already holds and repeats in this batch; default: the pool's setting. */
  removeDuplicates?: boolean;
}

export interface StockAddResult {
  /** Serials stored by this call. */
  added: number;
  /** Serials in the pool after it. */
  total: number;
  /** Lines past the service's per-request limit were NOT stored. */
  truncated: boolean;
  /** The pool reached its maximum size; lines past it were NOT stored. */
  capped: boolean;
}

export function stockPath(kind: PoolKind, id: string): string {
  return `${idPath(kind === 'warehouse' ? '/warehouses' : '/products', id)}/stock`;
}

export function parseStockAddResult(v: unknown): StockAddResult {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const count = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (
    !count(o.added) ||
    !count(o.total) ||
    typeof o.truncated !== 'boolean' ||
    typeof o.capped !== 'boolean'
  ) {
    throw new ServerError(
      'the service answered a stock add without {added, total, truncated, capped}',
    );
  }
  return {
    added: o.added as number,
    total: o.total as number,
    truncated: o.truncated,
    capped: o.capped,
  };
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
      return answer(res, 'a stock add', parseStockAddResult, { strict: true });
    },
  };
}
export type StockResource = ReturnType<typeof stock>;
