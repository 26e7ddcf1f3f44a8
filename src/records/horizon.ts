// What `warehouses check --days N` reports: per pool (and per product with
// stock of its own) the stock, the pace of sales, and the days left at it.
import { defineRecord, type RecordOf } from './define.js';

export const HORIZON = defineRecord({
  name: 'stock horizon',
  plural: 'stock horizons',
  schema: {
    kind: 'string!',
    id: 'string!',
    name: 'string',
    count: 'number',
    threshold: 'number',
    perDay: 'number',
    daysLeft: 'number',
    runsOut: 'boolean',
    low: 'boolean',
  },
  fields: ['kind', 'id', 'name', 'count', 'perDay', 'daysLeft', 'runsOut', 'low'],
  columns: [
    { label: 'kind', field: 'kind' },
    { label: 'id', field: 'id' },
    { label: 'name', field: 'name', shrink: true },
    { label: 'count', field: 'count', align: 'right' },
    { label: 'sold/day', field: 'perDay', align: 'right' },
    {
      label: 'days left',
      show: (r) => (typeof r.daysLeft === 'number' ? String(r.daysLeft) : '—'),
      align: 'right',
      tone: (r) => (r.runsOut ? 'warn' : 'plain'),
    },
    {
      label: 'flag',
      show: (r) => [r.low ? 'low' : '', r.runsOut ? 'runs out' : ''].filter(Boolean).join(', '),
    },
  ],
  empty: 'No pools.',
});
export type HorizonRecord = RecordOf<typeof HORIZON.schema>;
