// GET /coupons.
import type { ApiClient } from '../client.js';
import { type Answer, answer, type CallOptions, type Extra, list } from './answer.js';

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
  return {
    async list(o: CallOptions = {}): Promise<Answer<Coupon[]>> {
      const res = await api.request({ method: 'GET', path: '/coupons', signal: o.signal });
      return answer(res, '/coupons', parseCoupons);
    },
  };
}
export type CouponsResource = ReturnType<typeof coupons>;
