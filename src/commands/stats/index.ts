// `astrosell stats`: its flags and help; the code is in run.ts, loaded when it runs.
import { type Verb, verb } from '../define.js';
import { PERIODS } from './aggregate.js';

export const stats: Verb = verb({
  name: 'stats',
  description:
    'orders and revenue per day, week or month, by product, gateway and status, refund rate (over the local history, else the newest 200 orders)',
  flags: {
    by: { value: 'period', description: 'day (default), week or month', choices: PERIODS },
    since: {
      value: 'date',
      description: 'from this date or time ago (default: 30 days, 12 weeks or 12 months back)',
    },
    until: { value: 'date', description: 'up to (a bare date counts whole, UTC; default now)' },
    db: {
      value: 'file',
      description: 'the history file (default: the one `orders sync` writes)',
    },
    format: {
      value: 'format',
      description: 'table (a terminal), tsv (piped), csv or json',
      choices: ['table', 'tsv', 'csv', 'json'] as const,
    },
  },
  examples: [
    'astrosell stats',
    'astrosell stats --by week --since 2026-09-01',
    'astrosell stats --by month --format csv > months.csv',
    'astrosell stats --json | jq .refunds',
  ],
  load: () => import('./run.js'),
});
