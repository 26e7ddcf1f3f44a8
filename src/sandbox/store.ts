// The shop's state: warehouses (serial pools), products, orders, coupons.
// Mutations go through this class so that every change reaches `onChange`
// (the debounced save) and every limit is applied in one place.
import { randomBytes } from 'node:crypto';
import { HttpError } from './errors.js';
import { type AddResult, parseStock, SerialPool } from './pool.js';

export const PRODUCT_TYPES = ['serials', 'service', 'file', 'dynamic'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'] as const;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];

export interface Warehouse {
  id: string;
  name: string;
  pool: SerialPool;
  removeDuplicates: boolean;
  removeSold: boolean;
  lowStockThreshold: number | null;
  createdAt: string;
}

export interface Product {
  id: string;
  title: string;
  slug: string;
  price: number;
  currency: Currency;
  type: ProductType;
  visibility: Visibility;
  salesCount: number;
  purchaseNote: string | null;
  /** Set for serials products drawing from a warehouse. */
  warehouseId: string | null;
  /** Inline stock of a legacy serials product (no warehouse). */
  inline: SerialPool | null;
  createdAt: string;
}

export interface Order {
  invoiceId: string;
  productId: string;
  productTitle: string;
  quantity: number;
  total: number;
  currency: Currency;
  status: string;
  gateway: string;
  customerEmail: string;
  createdAt: string;
  deliveredItems: string[];
}

export interface Coupon {
  code: string;
  type: 'percent' | 'fixed';
  value: number;
  uses: number;
  maxUses: number | null;
  expiresAt: string | null;
}

export interface Limits {
  /** Non-blank serial lines considered per stock add; more → `truncated`. */
  maxLines: number;
  /** Most serials one pool (warehouse or legacy product) holds; more → `capped`. */
  maxPool: number;
}

export interface StockAddResult {
  added: number;
  total: number;
  truncated: boolean;
  capped: boolean;
}

export interface NewProduct {
  title: string;
  price: number;
  type: ProductType;
  currency: Currency;
  visibility: Visibility;
  purchaseNote: string | null;
  stock?: string;
  warehouseId?: string;
}

export interface NewWarehouse {
  name: string;
  stock?: string;
  removeDuplicates: boolean;
  removeSold: boolean;
  lowStockThreshold: number | null;
}

export function newId(): string {
  return randomBytes(12).toString('hex');
}

const INVOICE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export class Store {
  readonly warehouses = new Map<string, Warehouse>();
  readonly products = new Map<string, Product>();
  readonly orders = new Map<string, Order>();
  readonly coupons: Coupon[] = [];
  limits: Limits;
  /** Called after every change (the persister hooks its debounced save here). */
  onChange: () => void = () => {};
  private last: number | undefined;

  constructor(limits: Limits) {
    this.limits = limits;
  }

  /**
   * Creation time for a new record: now, but always after every existing
   * record, so "newest first" holds even when the clock is behind the demo dates.
   */
  stamp(): Date {
    if (this.last === undefined) {
      this.last = 0;
      const all = [...this.warehouses.values(), ...this.products.values(), ...this.orders.values()];
      for (const r of all) this.last = Math.max(this.last, Date.parse(r.createdAt) || 0);
    }
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last);
  }

  /** The pool a serials product sells from; undefined for unlimited products. */
  poolOf(p: Product): SerialPool | undefined {
    if (p.type !== 'serials') return undefined;
    if (p.inline) return p.inline;
    return p.warehouseId ? this.warehouses.get(p.warehouseId)?.pool : undefined;
  }

  product(id: string): Product {
    const p = this.products.get(id);
    if (!p) throw new HttpError(404, 'Product not found');
    return p;
  }

  warehouse(id: string): Warehouse {
    const w = this.warehouses.get(id);
    if (!w) throw new HttpError(404, 'Warehouse not found');
    return w;
  }

  order(invoiceId: string): Order {
    const o = this.orders.get(invoiceId);
    if (!o) throw new HttpError(404, 'Order not found');
    return o;
  }

  createWarehouse(input: NewWarehouse, now = this.stamp()): Warehouse {
    const pool = this.seedPool(input.stock, input.removeDuplicates);
    const w: Warehouse = {
      id: newId(),
      name: input.name,
      pool,
      removeDuplicates: input.removeDuplicates,
      removeSold: input.removeSold,
      lowStockThreshold: input.lowStockThreshold,
      createdAt: now.toISOString(),
    };
    this.warehouses.set(w.id, w);
    this.onChange();
    return w;
  }

  /**
   * Serials products get a dedicated warehouse named after them (seeded from
   * `stock`, or empty when neither `stock` nor `warehouseId` is given), or
   * link the shared warehouse `warehouseId`.
   */
  createProduct(input: NewProduct, now = this.stamp()): Product {
    let warehouseId: string | null = null;
    if (input.type === 'serials') {
      if (input.warehouseId !== undefined) {
        if (!this.warehouses.has(input.warehouseId)) {
          throw new HttpError(400, 'warehouseId does not name an existing warehouse');
        }
        warehouseId = input.warehouseId;
      } else {
        const w = this.createWarehouse(
          {
            name: input.title,
            stock: input.stock,
            removeDuplicates: true,
            removeSold: true,
            lowStockThreshold: null,
          },
          now,
        );
        warehouseId = w.id;
      }
    }
    const p: Product = {
      id: newId(),
      title: input.title,
      slug: this.uniqueSlug(input.title),
      price: input.price,
      currency: input.currency,
      type: input.type,
      visibility: input.visibility,
      salesCount: 0,
      purchaseNote: input.purchaseNote,
      warehouseId,
      inline: null,
      createdAt: now.toISOString(),
    };
    this.products.set(p.id, p);
    this.onChange();
    return p;
  }

  /** POST /warehouses/:id/stock and POST /products/:id/stock land here. */
  addStock(pool: SerialPool, stock: string, dedup: boolean): StockAddResult {
    const { serials, truncated } = parseStock(stock, this.limits.maxLines);
    if (serials.length === 0) throw new HttpError(400, 'stock is empty: send at least one serial');
    const r: AddResult = pool.add(serials, dedup, this.limits.maxPool);
    if (r.added > 0) this.onChange();
    return { added: r.added, total: pool.size, truncated, capped: r.capped };
  }

  /** Sandbox-only: a buyer completes a purchase, served from the front of the pool. */
  purchase(productId: string, quantity: number, email: string, now = this.stamp()): Order {
    const p = this.product(productId);
    const pool = this.poolOf(p);
    let delivered: string[] = [];
    if (pool) {
      if (pool.size < quantity) {
        throw new HttpError(400, `Not enough stock: ${pool.size} available, ${quantity} requested`);
      }
      const w = p.warehouseId ? this.warehouses.get(p.warehouseId) : undefined;
      delivered = pool.take(quantity, w ? w.removeSold : true);
    }
    p.salesCount += quantity;
    const order: Order = {
      invoiceId: this.newInvoiceId(),
      productId: p.id,
      productTitle: p.title,
      quantity,
      total: Math.round(p.price * quantity * 100) / 100,
      currency: p.currency,
      status: 'completed',
      gateway: 'sandbox',
      customerEmail: email,
      createdAt: now.toISOString(),
      deliveredItems: delivered,
    };
    this.orders.set(order.invoiceId, order);
    this.onChange();
    return order;
  }

  /** Stock on create must fit in one request: nothing is created otherwise. */
  private seedPool(stock: string | undefined, dedup: boolean): SerialPool {
    const pool = new SerialPool();
    if (stock === undefined) return pool;
    const { serials, truncated } = parseStock(stock, this.limits.maxLines);
    if (truncated) {
      throw new HttpError(
        400,
        `stock has more than ${this.limits.maxLines} serials; create with fewer and add the rest with a stock add`,
      );
    }
    if (pool.add(serials, dedup, this.limits.maxPool).capped) {
      throw new HttpError(400, `stock has more than ${this.limits.maxPool} serials (pool maximum)`);
    }
    return pool;
  }

  uniqueSlug(title: string): string {
    const base =
      title
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'product';
    const taken = new Set<string>();
    for (const p of this.products.values()) taken.add(p.slug);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    return slug;
  }

  private newInvoiceId(): string {
    for (;;) {
      const bytes = randomBytes(6);
      let id = 'AS-';
      for (const b of bytes) id += INVOICE_CHARS[b % INVOICE_CHARS.length];
      if (!this.orders.has(id)) return id;
    }
  }
}
