// The service's resources, typed, on top of one ApiClient (../client.ts).
import type { ApiClient } from '../client.js';
import { coupons } from './coupons.js';
import { orders } from './orders.js';
import { products } from './products.js';
import { stock } from './stock.js';
import { warehouses } from './warehouses.js';

export function resources(api: ApiClient) {
  return {
    products: products(api),
    warehouses: warehouses(api),
    orders: orders(api),
    coupons: coupons(api),
    stock: stock(api),
  };
}
export type Resources = ReturnType<typeof resources>;

export type { Answer, CallOptions, Read, ReadOptions } from './answer.js';
export type { Coupon } from './coupons.js';
export type { NewestPage, Order, OrderStatus, OrdersQuery } from './orders.js';
export type {
  Currency,
  Product,
  ProductCreate,
  ProductDetail,
  ProductType,
  Visibility,
} from './products.js';
export type { PoolKind, StockAdd, StockAddResult } from './stock.js';
export type { Warehouse, WarehouseCreate, WarehouseDetail } from './warehouses.js';
