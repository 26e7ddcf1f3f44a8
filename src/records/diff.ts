// What `warehouses diff` finds: a file of serials against a pool.
import { defineRecord, type RecordOf } from './define.js';

const schema = {
  warehouse: 'string!',
  file: 'string!',
  fileSerials: 'count!',
  present: 'count!',
  missing: 'count!',
  extra: 'count!',
  poolItems: 'count!',
  blankLines: 'count!',
  repeated: 'count!',
} as const;

export const DIFF = defineRecord({
  name: 'diff',
  plural: 'diffs',
  // fileSerials: distinct serials in the file; present/missing: of those, in
  // the pool or not; extra: pool items not in the file; blankLines and
  // repeated: lines of the file that were blank, serials it repeats.
  schema,
  fields: Object.keys(schema),
  rows: [
    { label: 'file serials', field: 'fileSerials' },
    { label: 'present', field: 'present', tone: () => 'good' },
    { label: 'missing', field: 'missing', tone: (r) => (r.missing > 0 ? 'bad' : 'plain') },
    { label: 'extra', field: 'extra' },
    { label: 'pool items', field: 'poolItems' },
  ],
});
export type DiffResult = RecordOf<typeof schema>;
