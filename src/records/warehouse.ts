// A warehouse (a shared serial pool): in a list, and by id with every serial it holds.
import { defineRecord, type RecordOf, type Tone } from './define.js';

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
/** An empty pool at its threshold is bad, a low one a warning: in the list and the detail alike. */
const countTone = (w: Warehouse): Tone => (isLow(w) ? (w.count === 0 ? 'bad' : 'warn') : 'plain');

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
      tone: countTone,
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
    { label: 'count', field: 'count', tone: countTone },
    { label: 'low stock at', field: 'lowStockThreshold' },
    { label: 'remove duplicates', field: 'removeDuplicates' },
    { label: 'remove sold', field: 'removeSold' },
    { label: 'created', field: 'createdAt' },
  ],
  section: { field: 'items', title: 'Items' },
});
/** A warehouse by id: adds every serial it holds. */
export type WarehouseDetail = RecordOf<typeof WAREHOUSE_DETAIL.schema>;
