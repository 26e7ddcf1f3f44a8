// The 11 endpoints of the reference, plus the sandbox-only purchase. A
// handler returns the JSON body of a 200 answer or throws an HttpError.
import { HttpError } from './errors.js';
import {
  CURRENCIES,
  type NewProduct,
  PRODUCT_TYPES,
  type Product,
  type Store,
  VISIBILITIES,
} from './store.js';
import {
  type Body,
  limitParam,
  optionalBool,
  optionalCount,
  optionalEnum,
  optionalString,
  parseBody,
  price,
  requiredText,
  stockText,
} from './validate.js';
import { newestFirst, orderJson, productJson, warehouseJson } from './views.js';

export interface RouteContext {
  store: Store;
  /** Decoded path parameters, in order. */
  params: string[];
  query: URLSearchParams;
  /** The raw request body, already bounded by maxBodyBytes. */
  rawBody: string;
}

type Handler = (ctx: RouteContext) => unknown;

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const body = (ctx: RouteContext): Body => parseBody(ctx.rawBody);
const p0 = (ctx: RouteContext): string => ctx.params[0] ?? '';

function createProduct(ctx: RouteContext): unknown {
  const b = body(ctx);
  const input: NewProduct = {
    title: requiredText(b, 'title'),
    price: price(b),
    type: optionalEnum(b, 'type', PRODUCT_TYPES, 'serials'),
    currency: optionalEnum(b, 'currency', CURRENCIES, 'USD'),
    visibility: optionalEnum(b, 'visibility', VISIBILITIES, 'public'),
    purchaseNote: b.purchaseNote === null ? null : (optionalString(b, 'purchaseNote') ?? null),
  };
  const stock = optionalString(b, 'stock');
  const warehouseId = optionalString(b, 'warehouseId');
  if (stock !== undefined && warehouseId !== undefined) {
    throw new HttpError(400, 'Pass either stock or warehouseId, not both');
  }
  if (input.type !== 'serials' && (stock !== undefined || warehouseId !== undefined)) {
    throw new HttpError(
      400,
      `stock and warehouseId apply only to serials products, not ${input.type}`,
    );
  }
  if (stock !== undefined) input.stock = stock;
  if (warehouseId !== undefined) input.warehouseId = warehouseId;
  return productJson(ctx.store, ctx.store.createProduct(input));
}

function addProductStock(ctx: RouteContext): unknown {
  const p: Product = ctx.store.product(p0(ctx));
  const b = body(ctx);
  const stock = stockText(b);
  const dedup = optionalBool(b, 'removeDuplicates');
  const pool = ctx.store.poolOf(p);
  if (!pool) {
    throw new HttpError(400, `Stock can only be added to serials products; this one is ${p.type}`);
  }
  // A linked product defaults to its warehouse's setting; a legacy one to true.
  const w = p.warehouseId ? ctx.store.warehouses.get(p.warehouseId) : undefined;
  return ctx.store.addStock(pool, stock, dedup ?? w?.removeDuplicates ?? true);
}

function createWarehouse(ctx: RouteContext): unknown {
  const b = body(ctx);
  const w = ctx.store.createWarehouse({
    name: requiredText(b, 'name'),
    stock: optionalString(b, 'stock'),
    removeDuplicates: optionalBool(b, 'removeDuplicates') ?? true,
    removeSold: optionalBool(b, 'removeSold') ?? true,
    lowStockThreshold: optionalCount(b, 'lowStockThreshold') ?? null,
  });
  return warehouseJson(w);
}

function addWarehouseStock(ctx: RouteContext): unknown {
  const w = ctx.store.warehouse(p0(ctx));
  const b = body(ctx);
  const stock = stockText(b);
  const dedup = optionalBool(b, 'removeDuplicates') ?? w.removeDuplicates;
  return ctx.store.addStock(w.pool, stock, dedup);
}

function listOrders(ctx: RouteContext): unknown {
  const limit = limitParam(ctx.query.get('limit'));
  const status = ctx.query.get('status');
  if (status !== null && status.trim() === '') throw new HttpError(400, 'status must not be empty');
  let orders = newestFirst(ctx.store.orders.values());
  if (status !== null) orders = orders.filter((o) => o.status === status);
  return orders.slice(0, limit).map((o) => orderJson(o));
}

function purchase(ctx: RouteContext): unknown {
  const b = body(ctx);
  const productId = requiredText(b, 'productId');
  const q = b.quantity ?? 1;
  if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > 10_000) {
    throw new HttpError(400, 'quantity must be an integer from 1 to 10000');
  }
  const email = optionalString(b, 'email') ?? 'buyer@example.com';
  return orderJson(ctx.store.purchase(productId, q, email), true);
}

const SEG = '([^/]+)';
export const routes: Route[] = [
  {
    pattern: /^\/products$/,
    methods: {
      GET: (c) => newestFirst(c.store.products.values()).map((p) => productJson(c.store, p)),
      POST: createProduct,
    },
  },
  {
    pattern: new RegExp(`^/products/${SEG}$`),
    methods: { GET: (c) => productJson(c.store, c.store.product(p0(c)), true) },
  },
  { pattern: new RegExp(`^/products/${SEG}/stock$`), methods: { POST: addProductStock } },
  {
    pattern: /^\/warehouses$/,
    methods: {
      GET: (c) => newestFirst(c.store.warehouses.values()).map((w) => warehouseJson(w)),
      POST: createWarehouse,
    },
  },
  {
    pattern: new RegExp(`^/warehouses/${SEG}$`),
    methods: { GET: (c) => warehouseJson(c.store.warehouse(p0(c)), true) },
  },
  { pattern: new RegExp(`^/warehouses/${SEG}/stock$`), methods: { POST: addWarehouseStock } },
  { pattern: /^\/orders$/, methods: { GET: listOrders } },
  {
    pattern: new RegExp(`^/orders/${SEG}$`),
    methods: { GET: (c) => orderJson(c.store.order(p0(c)), true) },
  },
  { pattern: /^\/coupons$/, methods: { GET: (c) => c.store.coupons.map((x) => ({ ...x })) } },
  { pattern: /^\/sandbox\/purchase$/, methods: { POST: purchase } },
];

/** Finds the handler for `path` (relative to /api/v1): 404 unknown route, 405 wrong method. */
export function resolve(method: string, path: string): { handler: Handler; params: string[] } {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const handler = r.methods[method];
    if (!handler) {
      throw new HttpError(405, `Method ${method} not allowed on this path`, {
        allow: Object.keys(r.methods).join(', '),
      });
    }
    const params = m.slice(1).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new HttpError(400, 'Malformed path');
      }
    });
    return { handler, params };
  }
  throw new HttpError(404, 'Not found');
}
