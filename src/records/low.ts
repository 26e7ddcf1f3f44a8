// What `warehouses check` reports: a warehouse at or below its low-stock
// threshold, or (with --min) a serials product at or under the minimum.
import { defineRecord, type RecordOf } from './define.js';

export const LOW = defineRecord({
  name: 'low pool',
  plural: 'low pools',
  schema: {
    kind: 'string!',
    id: 'string!',
    name: 'string',
    count: 'number',
    threshold: 'number',
    warehouseId: 'string',
  },
  fields: ['kind', 'id', 'name', 'count', 'threshold'],
  columns: [
    { label: 'kind', field: 'kind' },
    { label: 'id', field: 'id' },
    { label: 'name', field: 'name', shrink: true },
    { label: 'count', field: 'count', align: 'right', tone: () => 'warn' },
    { label: 'low at', field: 'threshold', align: 'right' },
  ],
  // The summary on stderr says that nothing is low.
  empty: '',
});
export type Low = RecordOf<typeof LOW.schema>;
