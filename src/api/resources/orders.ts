// GET /orders (status, limit) and GET /orders/:invoiceId.
import { check, checkList } from '../../records/define.js';
import { ORDER, ORDER_DETAIL, type Order, type OrderStatus } from '../../records/order.js';
import type { ApiClient } from '../client.js';
import { idPath, type Read, type ReadOptions, read } from './answer.js';

export type { Order, OrderStatus };

export interface OrdersQuery extends ReadOptions {
  status?: OrderStatus;
  /** Page size, 1–200; the service's default is 50. */
  limit?: number;
}

export const parseOrder = (v: unknown): Order => check(ORDER_DETAIL, v);
export const parseOrders = (v: unknown): Order[] => checkList(ORDER, v);

export function orders(api: ApiClient) {
  return {
    list: (q: OrdersQuery = {}): Read<Order[]> =>
      read(api, '/orders', { status: q.status, limit: q.limit }, parseOrders, q),
    get: (invoiceId: string, o?: ReadOptions): Read<Order> =>
      read(api, () => idPath('/orders', invoiceId), undefined, parseOrder, o),
  };
}
export type OrdersResource = ReturnType<typeof orders>;
