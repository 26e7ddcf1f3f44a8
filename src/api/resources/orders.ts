// GET /orders (status, limit) and GET /orders/:invoiceId.
import type { ApiClient } from '../client.js';
import {
  type Answer,
  answer,
  type CallOptions,
  type Extra,
  idPath,
  list,
  record,
} from './answer.js';

/** Known statuses; the service may send others. */
export type OrderStatus =
  | 'completed'
  | 'pending'
  | 'processing'
  | 'expired'
  | 'refunded'
  | (string & {});

export interface Order extends Extra {
  invoiceId: string;
  productTitle?: string | null;
  total?: number | null;
  currency?: string | null;
  status?: OrderStatus | null;
  gateway?: string | null;
  createdAt?: string | null;
  /** The serials delivered, once completed. */
  deliveredItems?: string[] | null;
  /** Only on an order fetched by id. */
  customerEmail?: string | null;
}

export interface OrdersQuery extends CallOptions {
  status?: OrderStatus;
  /** Page size, 1–200; the service's default is 50. */
  limit?: number;
}

const SCHEMA = {
  invoiceId: 'string!',
  productTitle: 'string',
  total: 'number',
  currency: 'string',
  status: 'string',
  gateway: 'string',
  createdAt: 'string',
  deliveredItems: 'strings',
  customerEmail: 'string',
} as const;

export const parseOrder = (v: unknown): Order => record(v, SCHEMA, 'order');
export const parseOrders = (v: unknown): Order[] => list(v, SCHEMA, 'orders');

export function orders(api: ApiClient) {
  return {
    async list(q: OrdersQuery = {}): Promise<Answer<Order[]>> {
      const res = await api.request({
        method: 'GET',
        path: '/orders',
        query: { status: q.status, limit: q.limit },
        signal: q.signal,
      });
      return answer(res, '/orders', parseOrders);
    },
    async get(invoiceId: string, o: CallOptions = {}): Promise<Answer<Order>> {
      const path = idPath('/orders', invoiceId);
      const res = await api.request({ method: 'GET', path, signal: o.signal });
      return answer(res, path, parseOrder);
    },
  };
}
export type OrdersResource = ReturnType<typeof orders>;
