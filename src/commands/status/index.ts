// `astrosell status`: its flags and help; the code is in run.ts, loaded when it runs.
import { type Verb, verb } from '../define.js';

export const status: Verb = verb({
  name: 'status',
  description:
    "the morning's screen: today's and yesterday's orders and revenue, 14 days at a glance, stock running out, open orders",
  flags: {
    db: {
      value: 'file',
      description: 'the history file (default: the one `orders sync` writes)',
    },
  },
  examples: ['astrosell status', 'astrosell status --json | jq .today'],
  load: () => import('./run.js'),
});
