// The engine's rules across a stop and its --resume, in-process against the
// sandbox behind the suite's fault proxy (test/helpers/fault-proxy.ts): what
// a resume takes over from the stopped run beyond the unit in flight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hurriedClock, runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import { lostAnswerProxy, readUnsent, restockSummary, type Shop, shop, slowTest } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** A shop behind a fault proxy that stops the run (Ctrl-C) when stock add `at` arrives. */
async function stoppingShop(at: number, plan: (n: number) => StockFault) {
  const s = await shop();
  open.push(s);
  const abort = new AbortController();
  const proxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan,
    onStock: (n) => {
      if (n === at) abort.abort();
    },
  });
  open.push(proxy);
  return { s, proxy, abort, env: { ...s.env, ASTROSELL_BASE_URL: proxy.url } };
}

describe('what a resume takes over from the stopped run', () => {
  it(
    'dropping duplicates with sold keys leaving, a key the stopped run left uncertain is not sent again from a later line',
    async () => {
      // A0, A1: a gateway's 502, the request never lands; B0, B1 stored, Ctrl-C as they go.
      const { s, proxy, abort, env } = await stoppingShop(1, (n) =>
        n === 0 ? { kind: 'gateway', status: 502, release: 'never' } : { kind: 'ok' },
      );
      const w = s.warehouse({ removeDuplicates: true, removeSold: true });
      const f = s.file('in.txt', 'A0\nA1\nB0\nB1\nA0\nC0\n');
      const unsent = join(s.dir, 'u.txt');
      const args = ['warehouses', 'restock', w, f, '--batch-size', '2'];
      const stopped = await runMain([...args, '--unsent-file', unsent, '--json'], {
        env,
        signal: abort.signal,
        clock: hurriedClock,
      });
      expect(stopped.code, stopped.stderr).toBe(130);
      expect(restockSummary(stopped).uncertain).toBe(2);

      proxy.setRun(2);
      const resumed = await runMain([...args, '--resume', '--json'], { env, clock: hurriedClock });
      // Were A0 sent now and its first request landed after a sale, the key would be sold twice.
      const carried = proxy.records.stock.filter((r) => r.run === 2).flatMap((r) => r.serials);
      expect(carried).toEqual(['C0']);
      expect(resumed.code, resumed.stderr).toBe(7);
      expect(restockSummary(resumed)).toMatchObject({ uncertain: 3 });
      expect(readUnsent(`${unsent}.uncertain`)).toEqual(['A0', 'A1', 'A0']);
      expect(s.items(w)).toEqual(['B0', 'B1', 'C0']);
    },
    slowTest(30_000),
  );

  it(
    'keeping duplicates, the stopped run’s own request landing during the resume is not taken for another writer',
    async () => {
      // S2, S3 held unanswered when Ctrl-C came; they land during the resume, just after its
      // first stock add (S4, S5: processed, answered 500) and before its read-back.
      const { s, proxy, abort, env } = await stoppingShop(1, (n) =>
        n === 1
          ? { kind: 'hold', release: 'after-stock' }
          : n === 2
            ? { kind: '5xx-after' }
            : { kind: 'ok' },
      );
      const w = s.warehouse({ removeDuplicates: false, removeSold: false });
      const f = s.file('in.txt', 'S0\nS1\nS2\nS3\nS4\nS5\n');
      const args = ['warehouses', 'restock', w, f, '--batch-size', '2', '--json'];
      const stopped = await runMain(args, { env, signal: abort.signal, clock: hurriedClock });
      expect(stopped.code, stopped.stderr).toBe(130);
      proxy.setRun(2);
      const resumed = await runMain([...args, '--resume'], { env, clock: hurriedClock });
      expect(proxy.records.stock.find((r) => r.n === 1)?.landedAt).toBeDefined();
      expect(restockSummary(resumed)).toMatchObject({ resumed: true, otherWriter: false });
    },
    slowTest(30_000),
  );

  it(
    'a fresh run, with no request of an earlier run open, reports another writer that changed the pool',
    async () => {
      const s = await shop();
      open.push(s);
      const w = s.warehouse({ removeDuplicates: false, removeSold: false });
      // The first answer is lost; before the read-back someone else adds a key.
      const proxy = await lostAnswerProxy(s, () => {
        s.sandbox.store.warehouses.get(w)!.pool.add(['OTHER'], false, 1_000_000);
      });
      open.push(proxy);
      const f = s.file('in.txt', 'S0\nS1\n');
      const r = await runMain(['warehouses', 'restock', w, f, '--json'], {
        env: { ...s.env, ASTROSELL_BASE_URL: proxy.url },
        clock: hurriedClock,
      });
      expect(restockSummary(r)).toMatchObject({ resumed: false, otherWriter: true });
    },
    slowTest(30_000),
  );
});

describe('a run that fails before it has a journal', () => {
  it('keeps the serials read from standard input in a plain file, and says where', async () => {
    const s = await shop();
    open.push(s);
    const r = await runMain(['warehouses', 'restock', 'NO-SUCH-POOL', '-'], {
      env: s.env,
      input: 'S0\nS1\n',
    });
    expect(r.code).not.toBe(0);
    const kept =
      /the serials read from standard input are kept in (\S+stdin-kept-[0-9T-]+Z-?\.txt)\n/.exec(
        r.stderr,
      )?.[1];
    expect(kept, r.stderr).toBeDefined();
    expect(readFileSync(kept!, 'utf8')).toBe('S0\nS1\n');
    expect(r.stderr).toContain(`hint: restock that file once the cause is dealt with`);
    expect(r.stderr).toContain(kept!);
  });
});
