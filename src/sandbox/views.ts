// The JSON shapes the API answers with, built from the store's records.
import type { Order, Product, Store, Warehouse } from './store.js';

export function productJson(store: Store, p: Product, detail = false): Record<string, unknown> {
  const pool = store.poolOf(p);
  const out: Record<string, unknown> = {
    id: p.id,
    title: p.title,
    slug: p.slug,
    price: p.price,
    currency: p.currency,
    type: p.type,
    stock: pool ? pool.size : null,
    unlimitedStock: p.type !== 'serials',
    visibility: p.visibility,
    salesCount: p.salesCount,
    purchaseNote: p.purchaseNote,
  };
  if (p.warehouseId) out.warehouseId = p.warehouseId;
  out.createdAt = p.createdAt;
  if (detail) out.stockItems = pool ? pool.list() : [];
  return out;
}

export function warehouseJson(w: Warehouse, detail = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: w.id,
    name: w.name,
    count: w.pool.size,
    removeDuplicates: w.removeDuplicates,
    removeSold: w.removeSold,
    lowStockThreshold: w.lowStockThreshold,
    createdAt: w.createdAt,
  };
  if (detail) out.items = w.pool.list();
  return out;
}

/** A listed order omits `customerEmail`; a single order adds it (as in the reference). */
export function orderJson(o: Order, detail = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    invoiceId: o.invoiceId,
    productId: o.productId,
    productTitle: o.productTitle,
    quantity: o.quantity,
    total: o.total,
    currency: o.currency,
    status: o.status,
    gateway: o.gateway,
  };
  if (detail) out.customerEmail = o.customerEmail;
  out.createdAt = o.createdAt;
  out.deliveredItems = o.deliveredItems;
  return out;
}

/** Newest first; ties keep the later-inserted record first. */
export function newestFirst<T extends { createdAt: string }>(items: Iterable<T>): T[] {
  return [...items]
    .reverse()
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
