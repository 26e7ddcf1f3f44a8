// GET /coupons.

import { COUPON, type Coupon } from '../../records/coupon.js';
import { checkList } from '../../records/define.js';
import type { ApiClient } from '../client.js';
import { type Read, type ReadOptions, read } from './answer.js';

export type { Coupon };

export const parseCoupons = (v: unknown): Coupon[] => checkList(COUPON, v);

export function coupons(api: ApiClient) {
  return {
    list: (o?: ReadOptions): Read<Coupon[]> => read(api, '/coupons', undefined, parseCoupons, o),
  };
}
export type CouponsResource = ReturnType<typeof coupons>;
