// GET /coupons.
import type { ApiClient } from '../client.js';
import { type Extra, fetched, list, type Read, type ReadOptions, read } from './answer.js';

export interface Coupon extends Extra {
  code?: string | null;
  /** 'percent', or a fixed amount in `currency`. */
  type?: 'percent' | (string & {}) | null;
  value?: number | null;
  currency?: string | null;
  uses?: number | null;
  /** null: no limit. */
  maxUses?: number | null;
  /** null: never expires. */
  expiresAt?: string | null;
}

const SCHEMA = {
  code: 'string',
  type: 'string',
  value: 'number',
  currency: 'string',
  uses: 'number',
  maxUses: 'number',
  expiresAt: 'string',
} as const;

export const parseCoupons = (v: unknown): Coupon[] => list(v, SCHEMA, 'coupons');

export function coupons(api: ApiClient) {
  /** The reads unsent, for a caller that may stream the body instead (piped --json). */
  const reads = {
    list: (o?: ReadOptions): Read<Coupon[]> => read(api, '/coupons', undefined, parseCoupons, o),
  };
  return { reads, ...fetched(reads) };
}
export type CouponsResource = ReturnType<typeof coupons>;
