// --resume after a stop, all in-process (what mutation testing sees): a run
// stopped by Ctrl-C at a known stock add, then resumed, stores every serial
// once and its summary adds up; a changed input or no journal is refused.
// Real processes killed by signals, and the lock a live run holds (pids
// differ only between processes): faults-resume.e2e.test.ts and
// resume-counts.e2e.test.ts.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type FaultProxy, type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';
import {
  expectExactlyOnce,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
  slowTest,
} from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** A shop behind a proxy that aborts the run when it sees stock add number `at`. */
async function stoppingShop(at: number, plan: (n: number) => StockFault = () => ({ kind: 'ok' })) {
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
  return { s, abort, env: { ...s.env, ASTROSELL_BASE_URL: proxy.url } };
}

/** The stdin spools in the config folder. */
function spools(env: Record<string, string>): string[] {
  const dir = join(env.ASTROSELL_CONFIG_DIR!, 'restock');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.spool'))
    .map((n) => join(dir, n));
}

describe('--resume in-process', () => {
  for (const removeDuplicates of [false, true]) {
    it(
      `after Ctrl-C: every serial stored once, the resumed summary adds up (removeDuplicates ${removeDuplicates})`,
      async () => {
        const { s, abort, env } = await stoppingShop(3);
        const w = s.warehouse({ removeDuplicates });
        const input = serials(500, `RES${removeDuplicates}`);
        const f = s.file('in.txt', `${input.join('\n')}\n`);
        const args = ['warehouses', 'restock', w, f, '--batch-size', '50', '--json'];
        const stopped = await runMain(args, { env, signal: abort.signal });
        expect(stopped.code, stopped.stderr).toBe(130);
        expect(stopped.stderr).toMatch(/--resume/);
        const first = restockSummary(stopped);
        expect(first.sent).toBeGreaterThan(0);
        expect(first.sent).toBeLessThan(input.length);
        expect(s.items(w).length).toBeGreaterThanOrEqual(first.added);

        const resumed = await runMain([...args, '--resume'], { env });
        expect(resumed.code, resumed.stderr).toBe(0);
        const sum = restockSummary(resumed);
        expect(sum).toMatchObject({ resumed: true, lines: input.length, unsent: 0, uncertain: 0 });
        expect(sum.added + sum.droppedByPool + sum.foundStored).toBe(sum.sent);
        expectExactlyOnce(input, s.items(w), []);
        // Nothing left to resume.
        const again = await runMain([...args, '--resume'], { env });
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/nothing to resume/);
      },
      slowTest(30_000),
    );
  }

  it(
    'a batch whose answer was lost when the run stopped is settled by the resume, not resent blindly',
    async () => {
      // Stock add 2 is processed but its answer dropped; Ctrl-C comes with it.
      const { s, abort, env } = await stoppingShop(2, (n) =>
        n === 2 ? { kind: 'drop-after' } : { kind: 'ok' },
      );
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(300, 'LOST');
      const f = s.file('in.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'unsent.txt');
      const args = [
        'warehouses',
        'restock',
        w,
        f,
        '--batch-size',
        '50',
        '--unsent-file',
        unsentPath,
      ];
      const stopped = await runMain([...args, '--json'], { env, signal: abort.signal });
      expect(stopped.code, stopped.stderr).toBe(130);
      const resumed = await runMain([...args, '--resume', '--json'], { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      const sum = restockSummary(resumed);
      // The lost batch was found in the pool: counted as found stored, not sent twice.
      expect(sum.foundStored).toBeGreaterThanOrEqual(50);
      expectExactlyOnce(input, s.items(w), readUnsent(`${unsentPath}.uncertain`));
    },
    slowTest(30_000),
  );

  it(
    'a changed input, or a file never stopped, has nothing to resume',
    async () => {
      const { s, abort, env } = await stoppingShop(2);
      const w = s.warehouse();
      const input = serials(300, 'CHG');
      const f = s.file('chg.txt', input.join('\n'));
      const args = ['warehouses', 'restock', w, f, '--batch-size', '50'];
      expect((await runMain(args, { env, signal: abort.signal })).code).toBe(130);
      s.file('chg.txt', [...input.slice(0, 10), 'CHANGED', ...input.slice(11)].join('\n'));
      const r = await runMain([...args, '--resume'], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: .*changed since the interrupted restock/m);
      const none = await runMain(
        ['warehouses', 'restock', w, s.file('other.txt', 'x\n'), '--resume'],
        {
          env: s.env,
        },
      );
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/nothing to resume/);
    },
    slowTest(30_000),
  );

  it(
    'stdin: --resume reads the saved copy, not what is piped, and removes it once complete',
    async () => {
      const { s, abort, env } = await stoppingShop(3);
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(400, 'PIPE');
      const text = `${input.join('\n')}\n`;
      const args = ['warehouses', 'restock', w, '-', '--batch-size', '50', '--json'];
      const stopped = await runMain(args, { env, input: text, signal: abort.signal });
      expect(stopped.code, stopped.stderr).toBe(130);
      const resumed = await runMain([...args, '--resume'], { env, input: `X\n${text}` });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(
        /^warning: resuming from the saved copy of standard input \(\S+\.spool\); standard input is not read$/m,
      );
      expect(restockSummary(resumed)).toMatchObject({ resumed: true, lines: input.length });
      expect(s.items(w)).toEqual(input);
      expect(spools(env)).toEqual([]);
    },
    slowTest(30_000),
  );

  it(
    'stdin whose saved copy is gone: the same bytes piped again resume, other bytes are refused',
    async () => {
      const { s, abort, env } = await stoppingShop(3);
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(400, 'PIPE');
      const text = `${input.join('\n')}\n`;
      const args = ['warehouses', 'restock', w, '-', '--batch-size', '50', '--json'];
      const stopped = await runMain(args, { env, input: text, signal: abort.signal });
      expect(stopped.code, stopped.stderr).toBe(130);
      for (const f of spools(env)) rmSync(f);
      const other = await runMain([...args, '--resume'], { env, input: `X\n${text}` });
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/^error: standard input changed since the interrupted restock/);
      const resumed = await runMain([...args, '--resume'], { env, input: text });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(restockSummary(resumed)).toMatchObject({ resumed: true, lines: input.length });
      expect(s.items(w)).toEqual(input);
      expect(spools(env)).toEqual([]);
    },
    slowTest(30_000),
  );
});
