// `astrosell sandbox`: its flags and help; the code is in serve.ts, loaded
// when it runs. The parsers here only turn text into numbers: what the
// values may be is checked in one place, src/sandbox/command.ts.
import { collect, intArg, type Verb, verb } from '../define.js';

export const sandbox: Verb = verb({
  name: 'sandbox',
  description: 'serve a local AstroSell-compatible API with a demo shop',
  flags: {
    port: {
      value: 'n',
      description: 'port (0 = any free port)',
      parse: intArg('--port', 0, 65535),
      default: 4010,
    },
    host: {
      value: 'host',
      description: 'address to bind (other than loopback only with --key)',
      default: '127.0.0.1',
    },
    key: {
      value: 'key',
      description:
        'accept this API key (repeatable); none: the fixed public sandbox key (printed at start), loopback only',
      parse: collect,
    },
    data: { value: 'file', description: 'keep the shop in this JSON file across restarts' },
    empty: { description: 'start with an empty shop instead of the demo one' },
    maxLines: {
      value: 'n',
      description: 'lines accepted per stock add (more → truncated; default 100000)',
      parse: intArg('--max-lines', 1),
    },
    maxPool: {
      value: 'n',
      description: 'maximum pool size (more → capped; default 5000000)',
      parse: intArg('--max-pool', 1),
    },
    rateLimit: { value: 'rate', description: 'per-key limit, e.g. 10/s or 600/min' },
    latency: {
      value: 'ms',
      description: 'added latency per request',
      parse: intArg('--latency', 0),
    },
    errorRate: {
      value: 'share',
      description: 'share of requests answered 5xx, 0–1',
      parse: Number.parseFloat,
    },
    dropRate: {
      value: 'share',
      description: 'share of requests processed then dropped, 0–1',
      parse: Number.parseFloat,
    },
    seed: { value: 'n', description: 'seed for fault injection', parse: intArg('--seed', 0) },
  },
  examples: [
    'astrosell sandbox',
    'astrosell sandbox --port 0 --empty --key nsk_test_ci',
    'astrosell sandbox --data shop.json --rate-limit 5/s --drop-rate 0.05 --seed 7',
  ],
  load: () => import('./serve.js'),
});
