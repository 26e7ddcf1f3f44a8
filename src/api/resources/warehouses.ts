// GET /warehouses, GET /warehouses/:id, POST /warehouses (stock adds: stock.ts).
import { check, checkList } from '../../records/define.js';
import {
  WAREHOUSE,
  WAREHOUSE_DETAIL,
  type Warehouse,
  type WarehouseDetail,
} from '../../records/warehouse.js';
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

export type { Warehouse, WarehouseDetail };

export interface WarehouseCreate {
  name: string;
  /** Newline-separated serials to seed it with. */
  stock?: string;
  removeDuplicates?: boolean;
  removeSold?: boolean;
  lowStockThreshold?: number;
}

export const parseWarehouse = (v: unknown): WarehouseDetail => check(WAREHOUSE_DETAIL, v);
export const parseWarehouses = (v: unknown): Warehouse[] => checkList(WAREHOUSE, v);

export function warehouses(api: ApiClient) {
  return {
    list: (o?: ReadOptions): Read<Warehouse[]> =>
      read(api, '/warehouses', undefined, parseWarehouses, o),
    get: (id: string, o?: ReadOptions): Read<WarehouseDetail> =>
      read(api, () => idPath('/warehouses', id), undefined, parseWarehouse, o),
    create: (body: WarehouseCreate, o?: CallOptions): Promise<Answer<Warehouse>> =>
      create(api, '/warehouses', body, parseWarehouse, o),
  };
}
export type WarehousesResource = ReturnType<typeof warehouses>;
