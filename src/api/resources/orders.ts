// GET /orders (status, limit) and GET /orders/:invoiceId.
import { check, checkList } from '../../records/define.js';
import { ORDER, ORDER_DETAIL, type Order, type OrderStatus } from '../../records/order.js';
import type { ApiClient } from '../client.js';
import { type Answer, idPath, type Read, type ReadOptions, read } from './answer.js';

export type { Order, OrderStatus };

export interface OrdersQuery extends ReadOptions {
  status?: OrderStatus;
  /** Page size, 1–200; the service's default is 50. */
  limit?: number;
}

export const parseOrder = (v: unknown): Order => check(ORDER_DETAIL, v);
export const parseOrders = (v: unknown): Order[] => checkList(ORDER, v);

export function orders(api: ApiClient) {
  /** The reads unsent, for a caller that may stream the body instead (piped --json). */
  const reads = {
    list: (q: Pick<OrdersQuery, 'status' | 'limit'> = {}): Read<Order[]> =>
      read(api, '/orders', { status: q.status, limit: q.limit }, parseOrders),
    get: (invoiceId: string): Read<Order> =>
      read(api, idPath('/orders', invoiceId), undefined, parseOrder),
  };
  return {
    reads,
    async list(q: OrdersQuery = {}): Promise<Answer<Order[]>> {
      return reads.list(q).fetch(q);
    },
    async get(invoiceId: string, o: ReadOptions = {}): Promise<Answer<Order>> {
      return reads.get(invoiceId).fetch(o);
    },
  };
}
export type OrdersResource = ReturnType<typeof orders>;
