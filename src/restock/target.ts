// The restock target seen through the API: a warehouse, or a product's pool
// (its warehouse, or its own legacy stock). Settings come from the list
// endpoints, which carry no items, so a large pool is read only when a batch
// must be reconciled.
import type { ApiClient } from '../api/client.js';
import { ServerError, UsageError } from '../errors.js';
import type { Batch } from './batch.js';
import { ORDERS_PAGE, type OrdersWindow, ordersWindow } from './reconcile.js';

export type TargetKind = 'warehouse' | 'product';

export interface Target {
  kind: TargetKind;
  id: string;
  /** What the pool does with a serial it already holds, when the request does not say. */
  poolRemoveDuplicates: boolean;
  /** Delivered serials leave the pool. */
  removeSold: boolean;
}

export interface StockResult {
  added: number;
  total: number | null;
  truncated: boolean;
  capped: boolean;
}

type Obj = Record<string, unknown>;

function enc(id: string): string {
  return encodeURIComponent(id);
}

async function getJson<T>(
  api: ApiClient,
  path: string,
  signal?: AbortSignal,
  query?: Obj,
): Promise<T> {
  const res = await api.request({
    method: 'GET',
    path,
    signal,
    query: query as Record<string, string | number | undefined>,
  });
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new ServerError(`the service answered ${path} with a body that is not JSON`);
  }
}

function findById(list: unknown, id: string): Obj | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find((x): x is Obj => typeof x === 'object' && x !== null && (x as Obj).id === id);
}

export async function describeTarget(
  api: ApiClient,
  kind: TargetKind,
  id: string,
): Promise<Target> {
  const warehouses = await getJson<unknown>(api, '/warehouses');
  if (kind === 'warehouse') {
    // Not in the list: the detail (with its items) answers, or 404s for an unknown id.
    const w = findById(warehouses, id) ?? (await getJson<Obj>(api, `/warehouses/${enc(id)}`));
    return {
      kind,
      id,
      poolRemoveDuplicates: w.removeDuplicates !== false,
      removeSold: w.removeSold !== false,
    };
  }
  const products = await getJson<unknown>(api, '/products');
  const p = findById(products, id) ?? (await getJson<Obj>(api, `/products/${enc(id)}`));
  if (p.type !== undefined && p.type !== 'serials') {
    throw new UsageError(
      `product ${id} is a ${String(p.type)} product; only serials products have stock to restock`,
    );
  }
  const w = typeof p.warehouseId === 'string' ? findById(warehouses, p.warehouseId) : undefined;
  return {
    kind,
    id,
    // A product without a (known) warehouse keeps legacy stock: the service dedupes and removes sold keys.
    poolRemoveDuplicates: w ? w.removeDuplicates !== false : true,
    removeSold: w ? w.removeSold !== false : true,
  };
}

export function stockPath(t: Pick<Target, 'kind' | 'id'>): string {
  return `${t.kind === 'warehouse' ? '/warehouses' : '/products'}/${enc(t.id)}/stock`;
}

export async function sendStock(
  api: ApiClient,
  t: Target,
  batch: Pick<Batch, 'body'>,
  removeDuplicates: boolean | undefined,
  signal: AbortSignal,
): Promise<StockResult> {
  const res = await api.request({
    method: 'POST',
    path: stockPath(t),
    rawBody: batch.body(removeDuplicates),
    idempotent: false,
    signal,
  });
  let data: Obj;
  try {
    data = JSON.parse(res.text) as Obj;
  } catch {
    // Answered 2xx but unreadable: the outcome is unknown, reconcile.
    throw new ServerError('the service answered a stock add with a body that is not JSON', {
      status: res.status,
    });
  }
  return {
    added: typeof data.added === 'number' ? data.added : 0,
    total: typeof data.total === 'number' ? data.total : null,
    truncated: data.truncated === true,
    capped: data.capped === true,
  };
}

/** Every serial the pool holds now. O(pool): used only to reconcile. */
export async function readPool(api: ApiClient, t: Target, signal: AbortSignal): Promise<string[]> {
  const path = `${t.kind === 'warehouse' ? '/warehouses' : '/products'}/${enc(t.id)}`;
  const data = await getJson<Obj>(api, path, signal);
  const items = t.kind === 'warehouse' ? data.items : data.stockItems;
  if (!Array.isArray(items)) {
    throw new ServerError(`the service did not list the pool's items on ${path}`);
  }
  return items.filter((x): x is string => typeof x === 'string');
}

/** Recent orders' delivered items (GET /orders?limit=200, newest first). */
export async function readOrders(
  api: ApiClient,
  sentAtMs: number,
  signal: AbortSignal,
): Promise<OrdersWindow | undefined> {
  const orders = await getJson<unknown>(api, '/orders', signal, { limit: ORDERS_PAGE });
  return Array.isArray(orders) ? ordersWindow(orders, sentAtMs) : undefined;
}
