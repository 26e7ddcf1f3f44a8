// `astrosell orders …`: the verbs, their flags and help. Each verb's code is
// in the file beside this one and is loaded only when it runs.
import { intArg, type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';
import { ORDER_STATUSES as STATUSES } from './statuses.js';

export const orders: Noun = {
  name: 'orders',
  description: "your shop's orders",
  examples: ['astrosell orders list --status pending', 'astrosell orders get AS-7KD2P9'],
  verbs: [
    verb({
      name: 'list',
      description: 'list orders, newest first',
      flags: {
        status: {
          value: 'status',
          description: `only this status (${STATUSES.join(', ')}, …); one that no order has is warned of`,
          complete: STATUSES,
        },
        limit: {
          value: 'n',
          description: 'how many, 1–200 (service default 50; any number with --history)',
          parse: intArg('--limit', 1),
        },
        since: {
          value: 'date',
          description:
            'created at or after: 2026-06-01, a date-time, or 24h / 7d ago. This, --until, --email and --product filter here, over the newest 200 orders (the most the service returns); stderr says when that cut the search',
        },
        until: { value: 'date', description: 'created before (a bare date counts whole, UTC)' },
        email: {
          value: 'addr',
          description: "the buyer's email (fetches each remaining order: the list omits it)",
        },
        product: {
          value: 'product',
          names: 'product',
          description: 'orders of this product (its id, slug or exact title)',
        },
        history: {
          description:
            'read the local order history (`orders sync`) instead of the service: no 200 cap',
        },
        db: { value: 'file', description: 'the history file (with --history)' },
        ...recordFlags('invoiceId,total,currency'),
      },
      examples: [
        'astrosell orders list --status completed --limit 20',
        'astrosell orders list --json',
        'astrosell orders list --since 2026-06-01 --until 2026-06-30 --format csv > june.csv',
        'astrosell orders list --email buyer@example.com --product netflix-premium-1-month',
        'astrosell orders list --history --since 2026-06-01 --until 2026-07-01 --format csv > june.csv',
      ],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'get',
      description: 'show one order with its delivered items',
      args: [{ name: '<invoiceId>', description: 'invoice id, e.g. AS-7KD2P9' }],
      flags: recordFlags('status,deliveredItems'),
      examples: [
        'astrosell orders get AS-7KD2P9',
        'astrosell orders get AS-7KD2P9 --fields status,customerEmail --format tsv',
      ],
      load: () => import('./get.js'),
    }),
    verb({
      name: 'watch',
      description:
        'print each new order once as it arrives (from now, or --since), until Ctrl-C (exit 130) or --max-orders; backs off on 429 and errors',
      flags: {
        status: {
          value: 'status',
          description: 'only orders with this status',
          complete: STATUSES,
        },
        interval: { value: 'time', description: 'time between polls: 10s (default), 500ms, 2m' },
        since: {
          value: 'date',
          description: 'first print the orders created since then (2026-06-01, 1h)',
        },
        maxOrders: {
          value: 'n',
          description: 'stop (exit 0) after printing this many',
          parse: intArg('--max-orders', 1),
        },
        ...recordFlags('invoiceId,total'),
      },
      examples: [
        'astrosell orders watch',
        'astrosell orders watch --status completed --interval 30s',
        'astrosell orders watch --json | jq -r .invoiceId',
        'astrosell orders watch --since 1h --max-orders 5 --format tsv',
      ],
      load: () => import('./watch.js'),
    }),
    verb({
      name: 'sync',
      description:
        'copy the newest orders (and late refunds, and open orders) into the local history; run from cron',
      flags: {
        db: {
          value: 'file',
          description: 'the history file (default: one per profile or base URL)',
        },
      },
      examples: ['astrosell orders sync', 'astrosell orders sync --db shop.sqlite --json'],
      load: () => import('./sync.js'),
    }),
  ],
};
