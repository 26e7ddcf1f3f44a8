// GET /warehouses, GET /warehouses/:id, POST /warehouses (stock adds: stock.ts).
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

/** A shared serial pool as the list shows it. */
export interface Warehouse extends Extra {
  id: string;
  name?: string | null;
  /** Serials in the pool now. */
  count?: number | null;
  /** Drop serials the pool already holds (default true). */
  removeDuplicates?: boolean | null;
  /** Delivered serials leave the pool (default true). */
  removeSold?: boolean | null;
  lowStockThreshold?: number | null;
  createdAt?: string | null;
}

/** A warehouse by id: adds every serial it holds. */
export interface WarehouseDetail extends Warehouse {
  items?: string[] | null;
}

export interface WarehouseCreate {
  name: string;
  /** Newline-separated serials to seed it with. */
  stock?: string;
  removeDuplicates?: boolean;
  removeSold?: boolean;
  lowStockThreshold?: number;
}

const SCHEMA = {
  id: 'string!',
  name: 'string',
  count: 'number',
  removeDuplicates: 'boolean',
  removeSold: 'boolean',
  lowStockThreshold: 'number',
  createdAt: 'string',
  items: 'strings',
} as const;

export const parseWarehouse = (v: unknown): WarehouseDetail => record(v, SCHEMA, 'warehouse');
export const parseWarehouses = (v: unknown): Warehouse[] => list(v, SCHEMA, 'warehouses');

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
