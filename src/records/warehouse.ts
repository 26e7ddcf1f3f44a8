// A warehouse (a shared serial pool): in a list, and by id with every serial it holds.
import { defineRecord, type RecordOf } from './define.js';

// `count`: serials in the pool now; removeDuplicates: drop serials the pool
// already holds (default true); removeSold: delivered serials leave the pool
// (default true).
const schema = {
  id: 'string!',
  name: 'string',
  count: 'number',
  lowStockThreshold: 'number',
  removeDuplicates: 'boolean',
  removeSold: 'boolean',
  createdAt: 'string',
} as const;

/** At or below its low-stock threshold. */
export function isLow(w: Warehouse): boolean {
  return (
    typeof w.lowStockThreshold === 'number' &&
    typeof w.count === 'number' &&
    w.count <= w.lowStockThreshold
  );
}
const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : '');

export const WAREHOUSE = defineRecord({
  name: 'warehouse',
  plural: 'warehouses',
  schema,
  fields: Object.keys(schema),
  columns: [
    { label: 'id', field: 'id' },
    { label: 'name', field: 'name', shrink: true },
    {
      label: 'count',
      field: 'count',
      align: 'right',
      tone: (w) => (isLow(w) ? (w.count === 0 ? 'bad' : 'warn') : 'plain'),
    },
    { label: 'low at', field: 'lowStockThreshold', align: 'right' },
    { label: 'dedup', show: (w) => yesNo(w.removeDuplicates) },
    { label: 'remove sold', show: (w) => yesNo(w.removeSold) },
  ],
  empty: 'No warehouses.',
});
export type Warehouse = RecordOf<typeof schema>;

export const WAREHOUSE_DETAIL = defineRecord({
  ...WAREHOUSE,
  schema: { ...schema, items: 'strings' },
  columns: undefined,
  rows: [
    { label: 'id', field: 'id' },
    { label: 'name', field: 'name' },
    { label: 'count', field: 'count', tone: (w) => (isLow(w) ? 'warn' : 'plain') },
    { label: 'low stock at', field: 'lowStockThreshold' },
    { label: 'remove duplicates', field: 'removeDuplicates' },
    { label: 'remove sold', field: 'removeSold' },
    { label: 'created', field: 'createdAt' },
  ],
  section: { field: 'items', title: 'Items' },
});
/** A warehouse by id: adds every serial it holds. */
export type WarehouseDetail = RecordOf<typeof WAREHOUSE_DETAIL.schema>;
