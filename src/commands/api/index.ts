// `astrosell api METHOD PATH`: its arguments, flags and help; the code is in
// request.ts, loaded when it runs.
import { collect, type Verb, verb } from '../define.js';

export const api: Verb = verb({
  name: 'api',
  description:
    'send an authenticated request to any path under the base URL and print the body as received, keys in it masked',
  args: [
    { name: '<method>', description: 'GET, POST, …' },
    { name: '<path>', description: 'path under the base URL, e.g. /products' },
  ],
  flags: {
    rawField: {
      short: 'f',
      value: 'key=value',
      description: 'add a string body field (repeatable)',
      parse: collect,
    },
    field: {
      short: 'F',
      value: 'key=value',
      description:
        'add a typed body field: numbers, true, false and null are converted (repeatable)',
      parse: collect,
    },
    input: { value: 'file', description: 'request body from a file, or - for stdin' },
  },
  examples: [
    'astrosell api GET /products',
    'astrosell api POST /warehouses -f name="Netflix pool" -F lowStockThreshold=20',
    'astrosell api GET /orders -F limit=5 -f status=completed   # fields become the query on GET',
    'astrosell api POST /warehouses/ID/stock --input body.json',
  ],
  load: () => import('./request.js'),
});
