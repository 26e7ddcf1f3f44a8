// `astrosell orders …`: the verbs, their flags and help. Each verb's code is
// in the file beside this one and is loaded only when it runs.
import { intArg, type Noun, verb } from '../define.js';

export const orders: Noun = {
  name: 'orders',
  description: 'read orders',
  examples: ['astrosell orders list --status pending', 'astrosell orders get AS-7KD2P9'],
  verbs: [
    verb({
      name: 'list',
      description: 'list orders, newest first',
      flags: {
        status: {
          value: 'status',
          description: 'only this status (completed, pending, processing, expired, refunded, …)',
        },
        limit: {
          value: 'n',
          description: 'how many, 1–200 (service default 50)',
          parse: intArg('--limit', 1, 200),
        },
      },
      examples: [
        'astrosell orders list --status completed --limit 20',
        'astrosell orders list --json',
      ],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'get',
      description: 'show one order with its delivered items',
      args: [{ name: '<invoiceId>', description: 'invoice id, e.g. AS-7KD2P9' }],
      examples: ['astrosell orders get AS-7KD2P9'],
      load: () => import('./get.js'),
    }),
  ],
};
