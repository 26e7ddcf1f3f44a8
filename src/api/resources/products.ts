// GET /products, GET /products/:id, POST /products (stock adds: stock.ts).
import { check, checkList } from '../../records/define.js';
import {
  CURRENCIES,
  PRODUCT,
  PRODUCT_DETAIL,
  PRODUCT_TYPES,
  type Product,
  type ProductDetail,
  VISIBILITIES,
} from '../../records/product.js';
import type { ApiClient } from '../client.js';
import {
  type Answer,
  answer,
  type CallOptions,
  fetched,
  idPath,
  type Read,
  type ReadOptions,
  read,
} from './answer.js';

export type ProductType = (typeof PRODUCT_TYPES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export { CURRENCIES, PRODUCT_TYPES, type Product, type ProductDetail, VISIBILITIES };

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

export const parseProduct = (v: unknown): ProductDetail => check(PRODUCT_DETAIL, v);
export const parseProducts = (v: unknown): Product[] => checkList(PRODUCT, v);

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
