// GET /orders (status, limit) and GET /orders/:invoiceId.
import { check, checkList, isObject } from '../../records/define.js';
import { ORDER, ORDER_DETAIL, type Order, type OrderStatus } from '../../records/order.js';
import type { ApiClient } from '../client.js';
import { idPath, type Read, type ReadOptions, read } from './answer.js';

export type { Order, OrderStatus };

/** The most orders the service returns in one page (it has no paging). */
export const ORDERS_PAGE_MAX = 200;

export interface OrdersQuery extends ReadOptions {
  status?: OrderStatus;
  /** Page size, 1–200; the service's default is 50. */
  limit?: number;
}

export const parseOrder = (v: unknown): Order => check(ORDER_DETAIL, v);
export const parseOrders = (v: unknown): Order[] => checkList(ORDER, v);

/**
 * One order read leniently: undefined for an entry that is not an object or
 * has no string invoiceId (an order that cannot be told from another);
 * otherwise checked as ORDER (a field of the wrong type left out, unknown
 * fields kept).
 */
export function orderIn(v: unknown): Order | undefined {
  return isObject(v) && typeof v.invoiceId === 'string' ? check(ORDER, v) : undefined;
}

/** The newest page, read leniently: what must go on past one odd entry. */
export interface NewestPage {
  /** The orders in it, odd entries skipped. */
  orders: Order[];
  /**
   * The service sent a whole page (odd entries counted): older orders may
   * exist that it did not list.
   */
  full: boolean;
}

/**
 * A page read leniently, for sync, watch, stats, status and stock horizons:
 * odd entries skipped; a body that is not a list holds none.
 */
export function pageIn(v: unknown): NewestPage {
  if (!Array.isArray(v)) return { orders: [], full: false };
  const orders = v.map(orderIn).filter((o): o is Order => o !== undefined);
  return { orders, full: v.length >= ORDERS_PAGE_MAX };
}

export type NewestQuery = Omit<OrdersQuery, 'limit'>;

export function orders(api: ApiClient) {
  return {
    list: (q: OrdersQuery = {}): Read<Order[]> =>
      read(api, '/orders', { status: q.status, limit: q.limit }, parseOrders, q),
    /** The newest page (the most the service lists), read leniently (`pageIn`). */
    newest: (q: NewestQuery = {}): Read<NewestPage> =>
      read(api, '/orders', { status: q.status, limit: ORDERS_PAGE_MAX }, pageIn, q),
    get: (invoiceId: string, o?: ReadOptions): Read<Order> =>
      read(api, () => idPath('/orders', invoiceId), undefined, parseOrder, o),
    /** One order read leniently (`orderIn`): undefined for an answer that is not one. */
    find: (invoiceId: string, o?: ReadOptions): Read<Order | undefined> =>
      read(api, () => idPath('/orders', invoiceId), undefined, orderIn, o),
  };
}
export type OrdersResource = ReturnType<typeof orders>;
