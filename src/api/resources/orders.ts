// GET /orders (status, limit) and GET /orders/:invoiceId.
import type { ApiClient } from '../client.js';
import {
  type Extra,
  fetched,
  idPath,
  list,
  type Read,
  type ReadOptions,
  read,
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

export interface OrdersQuery extends ReadOptions {
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
  /** The reads unsent, for a caller that may stream the body instead (piped --json). */
  const reads = {
    list: (q: OrdersQuery = {}): Read<Order[]> =>
      read(api, '/orders', { status: q.status, limit: q.limit }, parseOrders, q),
    get: (invoiceId: string, o?: ReadOptions): Read<Order> =>
      read(api, idPath('/orders', invoiceId), undefined, parseOrder, o),
  };
  return { reads, ...fetched(reads) };
}
export type OrdersResource = ReturnType<typeof orders>;
