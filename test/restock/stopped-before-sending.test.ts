// Ctrl-C while a restock is starting, before its first serial went out:
// nothing was sent, so there is nothing to resume and nothing to list. It
// exits 130 and leaves no journal and no list behind; serials read from
// standard input, which exist nowhere else, are kept in a file it names.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hurriedClock, runMain } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Shop, serials, shop, slowTest } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** A restock of 30 serials stopped by Ctrl-C once the reads before its first stock add are answered. */
async function stoppedBeforeSending(stdin: boolean, afterReads: number) {
  const s = await shop();
  open.push(s);
  const abort = new AbortController();
  let served = 0;
  const proxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: () => ({ kind: 'ok' }),
    onServed: () => {
      if (++served === afterReads) abort.abort();
    },
  });
  open.push(proxy);
  const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url };
  const w = s.warehouse();
  const text = `${serials(30, 'EARLY').join('\n')}\n`;
  const file = stdin ? '-' : s.file('in.txt', text);
  const r = await runMain(['warehouses', 'restock', w, file, '--batch-size', '10'], {
    env,
    signal: abort.signal,
    clock: hurriedClock,
    input: stdin ? text : undefined,
  });
  const listed = JSON.parse((await runMain(['restocks', 'list', '--json'], { env })).stdout);
  return { s, proxy, r, text, listed: listed as Array<{ spool: string | null }> };
}

// The reads a restock makes before its first stock add: the target (pools,
// products), the orders (its sales window), the target again.
const READS_BEFORE_SENDING = 7;

describe('stopped before anything was sent', () => {
  it(
    'at any step before the first stock add: exit 130, no serial sent, no journal and no list left behind',
    async () => {
      for (let k = 1; k <= READS_BEFORE_SENDING; k++) {
        const { s, proxy, r, listed } = await stoppedBeforeSending(false, k);
        expect(proxy.stockRequests, `after read ${k}`).toBe(0);
        expect(r.code, `after read ${k}`).toBe(130);
        expect(r.stderr).toMatch(/^error: interrupted/);
        expect(listed, `after read ${k}`).toEqual([]);
        expect(readdirSync(s.dir)).toEqual(['in.txt']);
      }
    },
    slowTest(60_000),
  );

  it(
    'from standard input: the serials are kept in a file the error names, with how to restock it',
    async () => {
      for (const k of [1, READS_BEFORE_SENDING]) {
        const { proxy, r, listed, text } = await stoppedBeforeSending(true, k);
        expect(proxy.stockRequests).toBe(0);
        expect(r.code).toBe(130);
        const kept =
          /^error: interrupted; nothing was sent, and the serials read from standard input are kept in (\S+)$/m.exec(
            r.stderr,
          )?.[1];
        expect(kept, r.stderr).toBeDefined();
        expect(readFileSync(kept!, 'utf8')).toBe(text);
        expect(r.stderr).toContain(`hint: restock that file once the cause is dealt with`);
        expect(listed).toEqual([]);
      }
    },
    slowTest(60_000),
  );
});
