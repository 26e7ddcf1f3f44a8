// `restocks abandon` while a stock add of the stopped run is still held by
// something between the CLI and the service: the request may land after the
// abandon. What abandon says about the uncertain file must hold then too. A
// pool check made now proves nothing (the held serials are absent, and in a
// pool that keeps duplicates presence proves nothing either); restocking the
// absent ones and then seeing the late landing stores them twice. So abandon
// must say what the run itself says: wait until no request can still land,
// then list the missing ones with `warehouses diff` and restock only those.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { expectExactlyOnce, readUnsent, serials, shop, startRestock } from './e2e.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

it('abandon with a request still held: it says the uncertain serials may still land and how to settle them, never "check the pool now"', async () => {
  const s = await shop();
  open.push(s);
  const w = s.warehouse({ removeDuplicates: false, removeSold: false });
  let kill = () => {};
  // The second stock add is held; the run is killed meanwhile; it lands only at finish().
  const proxy: FaultProxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: (n) =>
      n === 1 ? { kind: 'hold', release: 'end', onHeld: () => kill() } : { kind: 'ok' },
  });
  open.push(proxy);
  const input = serials(15, 'AB');
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url };
  const run = startRestock({ ...s, env }, [
    'warehouses',
    'restock',
    w,
    file,
    '--batch-size',
    '5',
    '--timeout',
    '30',
    '--unsent-file',
    unsentPath,
  ]);
  kill = () => run.child.kill('SIGKILL');
  await run.done;
  const [stopped] = JSON.parse((await runBin(['restocks', 'list', '--json'], { env })).stdout);

  const abandoned = await runBin(['restocks', 'abandon', stopped.key], { env });
  expect(abandoned.code, abandoned.stderr).toBe(0);
  const uncertainPath = `${unsentPath}.uncertain`;
  const line = abandoned.stderr.split('\n').find((l) => l.includes(`${uncertainPath} lists`));
  expect(line).toContain('5 serials that may be stored');
  expect(line).toMatch(/still land/);
  expect(line).toContain(`astrosell warehouses diff ${w} ${uncertainPath} --show missing`);
  expect(line).not.toMatch(/check them against the pool/);

  // Settled as said, once the held request has landed: nothing lost, nothing twice.
  await proxy.finish();
  await proxy.idle();
  const missing = await runBin(['warehouses', 'diff', w, uncertainPath, '--show', 'missing'], {
    env: s.env,
  });
  expect(missing.stdout.trim()).toBe('');
  expectExactlyOnce(input, s.items(w), readUnsent(unsentPath), [], readUnsent(uncertainPath));
});
