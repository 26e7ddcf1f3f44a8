// GET /products, GET /products/:id, POST /products (stock adds: stock.ts).
import type { ApiClient } from '../client.js';
import {
  type Answer,
  answer,
  type CallOptions,
  type Extra,
  fetched,
  idPath,
  list,
  type Read,
  type ReadOptions,
  read,
  record,
} from './answer.js';

export const PRODUCT_TYPES = ['serials', 'service', 'file', 'dynamic'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'] as const;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];

/** A product as the list shows it. Enum-like fields stay strings: the service may add values. */
export interface Product extends Extra {
  id: string;
  title?: string | null;
  slug?: string | null;
  price?: number | null;
  currency?: string | null;
  type?: string | null;
  /** Live count of the linked pool; not meaningful when `unlimitedStock`. */
  stock?: number | null;
  unlimitedStock?: boolean | null;
  visibility?: string | null;
  salesCount?: number | null;
  createdAt?: string | null;
  purchaseNote?: string | null;
  /** The shared warehouse it draws from; absent for legacy products with stock of their own. */
  warehouseId?: string | null;
}

/** A product by id: adds the serials its pool holds. */
export interface ProductDetail extends Product {
  stockItems?: string[] | null;
}

export interface ProductCreate {
  title: string;
  price: number;
  type?: ProductType;
  /** Newline-separated serials: creates a dedicated warehouse. Not with `warehouseId`. */
  stock?: string;
  warehouseId?: string;
  currency?: Currency;
  purchaseNote?: string;
  visibility?: Visibility;
}

const SCHEMA = {
  id: 'string!',
  title: 'string',
  slug: 'string',
  price: 'number',
  currency: 'string',
  type: 'string',
  stock: 'number',
  unlimitedStock: 'boolean',
  visibility: 'string',
  salesCount: 'number',
  createdAt: 'string',
  purchaseNote: 'string',
  warehouseId: 'string',
  stockItems: 'strings',
} as const;

export const parseProduct = (v: unknown): ProductDetail => record(v, SCHEMA, 'product');
export const parseProducts = (v: unknown): Product[] => list(v, SCHEMA, 'products');

export function products(api: ApiClient) {
  /** The reads unsent, for a caller that may stream the body instead (piped --json). */
  const reads = {
    list: (o?: ReadOptions): Read<Product[]> => read(api, '/products', undefined, parseProducts, o),
    get: (id: string, o?: ReadOptions): Read<ProductDetail> =>
      read(api, idPath('/products', id), undefined, parseProduct, o),
  };
  return {
    reads,
    ...fetched(reads),
    /** Not retried once it may have reached the service: a second product would be created. */
    async create(body: ProductCreate, o: CallOptions = {}): Promise<Answer<Product>> {
      const res = await api.request({
        method: 'POST',
        path: '/products',
        body,
        idempotent: false,
        signal: o.signal,
      });
      return answer(res, '/products', parseProduct);
    },
  };
}
export type ProductsResource = ReturnType<typeof products>;
