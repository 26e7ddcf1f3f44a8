// A stored profile, as `keys list` shows it: computed from the config file,
// its key always masked before it gets here (a key is never printed whole).
import { defineRecord, type RecordOf } from './define.js';

const schema = {
  name: 'string!',
  /** Masked: its prefix and last four characters. */
  key: 'string',
  /** null: the default base URL. */
  baseUrl: 'string',
  default: 'boolean',
} as const;

export type Profile = RecordOf<typeof schema>;

/**
 * The definition, given the base URL a profile without one uses (the
 * config's, named in the table; the record itself says null).
 */
export function profileRecord(defaultBaseUrl: string) {
  return defineRecord({
    name: 'profile',
    plural: 'profiles',
    schema,
    fields: Object.keys(schema),
    columns: [
      { label: 'default', show: (p) => (p.default ? '*' : '') },
      { label: 'name', field: 'name' },
      { label: 'key', field: 'key' },
      {
        label: 'base url',
        show: (p) => p.baseUrl ?? `${defaultBaseUrl} (default)`,
        shrink: true,
      },
    ],
    empty: 'No profiles. Add one with `astrosell keys add <name>`.',
  });
}
