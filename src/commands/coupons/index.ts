// `astrosell coupons …`: the verbs and their help. Each verb's code is in the
// file beside this one and is loaded only when it runs.
import { type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';

export const coupons: Noun = {
  name: 'coupons',
  description: "your shop's coupons",
  examples: ['astrosell coupons list'],
  verbs: [
    verb({
      name: 'list',
      description: 'list coupons with usage and expiry',
      flags: recordFlags('code,uses,expiresAt'),
      examples: ['astrosell coupons list', 'astrosell coupons list --format csv > coupons.csv'],
      load: () => import('./list.js'),
    }),
  ],
};
