// A stopped run lists every serial not proven stored, however long the input:
// the not-yet-sent tail spans many read chunks (256 KiB each), and it is
// written before the run's files and lock are let go.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { readUnsent, type Shop, serials, shop, slowTest } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

it(
  'Ctrl-C mid-way: the pool and the unsent file together hold the whole input, once',
  async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: false });
    const input = serials(40_000, 'LONGTAIL'); // about 800 KiB: several read chunks
    const file = s.file('in.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'unsent.txt');
    const abort = new AbortController();
    const proxy = await startFaultProxy({
      upstream: s.sandbox.url,
      plan: () => ({ kind: 'ok' }),
      onStock: (n) => {
        if (n === 3) abort.abort();
      },
    });
    open.push(proxy);
    const { code, stdout, stderr } = await runMain(
      [
        'warehouses',
        'restock',
        w,
        file,
        '--batch-size',
        '1000',
        '--unsent-file',
        unsentPath,
        '--json',
      ],
      { env: { ...s.env, ASTROSELL_BASE_URL: proxy.url }, signal: abort.signal },
    );
    expect(code, stderr).toBe(130);
    const pool = s.items(w);
    const unsent = readUnsent(unsentPath);
    expect(pool.length).toBeGreaterThan(0);
    expect([...pool, ...unsent]).toEqual(input);
    const sum = JSON.parse(stdout) as { sent: number; notSent: number };
    expect(sum.notSent).toBe(unsent.length);
    expect(sum.sent + sum.notSent).toBe(input.length);
  },
  slowTest(60_000),
);
