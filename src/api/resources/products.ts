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
  type CallOptions,
  create,
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
  return {
    list: (o?: ReadOptions): Read<Product[]> => read(api, '/products', undefined, parseProducts, o),
    get: (id: string, o?: ReadOptions): Read<ProductDetail> =>
      read(api, () => idPath('/products', id), undefined, parseProduct, o),
    create: (body: ProductCreate, o?: CallOptions): Promise<Answer<Product>> =>
      create(api, '/products', body, parseProduct, o),
  };
}
export type ProductsResource = ReturnType<typeof products>;
