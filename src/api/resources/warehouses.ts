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
  answer,
  type CallOptions,
  fetched,
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
  /** The reads unsent, for a caller that may stream the body instead (piped --json). */
  const reads = {
    list: (o?: ReadOptions): Read<Warehouse[]> =>
      read(api, '/warehouses', undefined, parseWarehouses, o),
    get: (id: string, o?: ReadOptions): Read<WarehouseDetail> =>
      read(api, idPath('/warehouses', id), undefined, parseWarehouse, o),
  };
  return {
    reads,
    ...fetched(reads),
    /** Not retried once it may have reached the service: a second pool would be created. */
    async create(body: WarehouseCreate, o: CallOptions = {}): Promise<Answer<Warehouse>> {
      const res = await api.request({
        method: 'POST',
        path: '/warehouses',
        body,
        idempotent: false,
        signal: o.signal,
      });
      return answer(res, '/warehouses', parseWarehouse);
    },
  };
}
export type WarehousesResource = ReturnType<typeof warehouses>;
