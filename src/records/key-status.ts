// `keys status`'s report: which profile, key and base URL are in force, where
// each came from (flag, env, profile, default, none), and whether the key
// worked. One record: rows on a terminal, one object in JSON.
import { defineRecord, type RecordOf } from './define.js';

const schema = {
  profile: 'string',
  profileSource: 'string',
  /** Masked. */
  key: 'string',
  keySource: 'string',
  baseUrl: 'string!',
  baseUrlSource: 'string',
  /** null: not known (no key, or the service could not be asked). */
  verified: 'boolean',
  /** Only when the key could not be verified: why. */
  error: 'string',
} as const;

/** `  (from env)`; nothing when there is no source. */
const from = (source: unknown) => (source === 'none' ? '' : `  (from ${source})`);

export const KEY_STATUS = defineRecord({
  name: 'key status',
  plural: 'key statuses',
  schema,
  fields: Object.keys(schema),
  rows: [
    { label: 'profile', show: (r) => `${r.profile ?? '(none)'}${from(r.profileSource)}` },
    { label: 'key', show: (r) => `${r.key ?? '(none)'}${from(r.keySource)}` },
    { label: 'base url', show: (r) => `${r.baseUrl}${from(r.baseUrlSource)}` },
    {
      label: 'status',
      show: (r) =>
        r.verified === true
          ? 'OK — the key works'
          : r.verified === false
            ? `invalid or revoked (${r.error ?? ''})`
            : `unknown: ${r.error ?? ''}`,
      tone: (r) => (r.verified === true ? 'good' : 'bad'),
    },
  ],
});
export type KeyStatus = RecordOf<typeof schema>;
