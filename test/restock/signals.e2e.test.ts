// Signals during a restock. A hang-up (the terminal closed) stops a run as
// gracefully as Ctrl-C: the lists are written, the journal kept, and the
// process exits 129; writes to a terminal that is gone (EIO) do not crash it
// first. Ctrl-C while the client waits to resend a stock add the service
// answered 429 (not processed) lists the batch as unsent, not uncertain.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runMain, startBin, startMain, tempDir } from '../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../helpers/fake-service.js';
import {
  expectExactlyOnce,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
  slowTest,
} from './e2e.js';

const open: Shop[] = [];
const dirs: Array<{ cleanup(): void }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await closeAll();
  for (const d of dirs.splice(0)) d.cleanup();
});
async function slowShop(): Promise<Shop> {
  const s = await shop({ faults: { latencyMs: 25 } });
  open.push(s);
  return s;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Journals and locks in a config folder's restock folder. */
const restockFiles = (s: Shop) => readdirSync(join(s.env.ASTROSELL_CONFIG_DIR!, 'restock'));

/** The restock, resumed to the end: every serial of the input in the pool once. */
async function resumeToTheEnd(s: Shop, args: string[], input: string[], w: string) {
  s.sandbox.setFaults({ latencyMs: 0 });
  const resumed = await runMain([...args, '--resume', '--json'], { env: s.env, timeoutMs: 60_000 });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(restockSummary(resumed)).toMatchObject({ resumed: true, unsent: 0, uncertain: 0 });
  expectExactlyOnce(input, s.items(w), []);
}

describe('a hang-up (SIGHUP) during a restock', () => {
  it(
    'stops it gracefully: exit 129, the lists written, the journal kept; --resume completes',
    async () => {
      const s = await slowShop();
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, 'HUP');
      const f = s.file('hup.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'hup-unsent.txt');
      const args = [
        'warehouses',
        'restock',
        w,
        f,
        '--batch-size',
        '20',
        '--unsent-file',
        unsentPath,
      ];
      const { child, exited, stderr } = startBin(args, { env: s.env });
      while (s.items(w).length < 200) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGHUP');
      expect(await exited, stderr()).toBe(129);
      expect(stderr()).toMatch(/--resume/);
      const stored = s.items(w);
      expect(stored.length).toBeLessThan(input.length);
      // Stopped at a unit boundary: the rest is listed as not sent, nothing is uncertain.
      const tail = readUnsent(unsentPath);
      expect(tail.length).toBeGreaterThan(0);
      expectExactlyOnce(input, stored, tail);
      expect(readUnsent(`${unsentPath}.uncertain`)).toEqual([]);
      expect(restockFiles(s).some((n) => n.endsWith('.json'))).toBe(true);
      await resumeToTheEnd(s, args, input, w);
    },
    slowTest(90_000),
  );

  // The terminal itself goes away: the CLI runs in a pseudo-terminal whose
  // other end is closed (`script` killed). It gets the hang-up, and every
  // write to the terminal fails (EIO) from then on, its spinner's included.
  it.skipIf(!hasScript)(
    'from a terminal that closed, whose writes fail: the lists are still written; --resume completes',
    async () => {
      const s = await slowShop();
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, 'TTY');
      const f = s.file('tty.txt', input.join('\n'));
      const unsentPath = join(s.dir, 'tty-unsent.txt');
      const args = [
        'warehouses',
        'restock',
        w,
        f,
        '--batch-size',
        '20',
        '--unsent-file',
        unsentPath,
      ];
      // exec: the CLI leads the terminal's session, as a command typed at a shell prompt would.
      const cmd = `stty cols 100 rows 40; exec ${process.execPath} ${BIN} ${args.join(' ')}`;
      const term = spawn('script', ['-qfec', cmd, '/dev/null'], {
        env: cleanEnv({ ...s.env, TERM: 'xterm', COLUMNS: '100' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      term.stdout.resume();
      term.stderr.resume();
      const termExited = new Promise((r) => term.on('close', r));
      while (s.items(w).length < 200) await new Promise((r) => setTimeout(r, 20));
      const children = readFileSync(`/proc/${term.pid}/task/${term.pid}/children`, 'utf8');
      const cli = Number(children.trim().split(/\s+/)[0]);
      expect(cli).toBeGreaterThan(0);
      term.kill('SIGKILL');
      await termExited;
      const running = () => {
        try {
          process.kill(cli, 0);
          return true;
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 20_000;
      while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(running(), 'the CLI stopped after the hang-up').toBe(false);
      const stored = s.items(w);
      expect(stored.length).toBeLessThan(input.length);
      expect(existsSync(unsentPath), 'the unsent list was written').toBe(true);
      expectExactlyOnce(input, stored, [
        ...readUnsent(unsentPath),
        ...readUnsent(`${unsentPath}.uncertain`),
      ]);
      // Ended by its own hand: the journal kept, its lock released.
      expect(restockFiles(s).some((n) => n.endsWith('.json'))).toBe(true);
      expect(restockFiles(s).some((n) => n.endsWith('.lock'))).toBe(false);
      await resumeToTheEnd(s, args, input, w);
    },
    slowTest(90_000),
  );
});

describe('Ctrl-C while waiting out a Retry-After', () => {
  it('lists the batch as unsent (known not stored), nothing as uncertain, and stops at once', async () => {
    let adds = 0;
    const svc = await fakeService((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/api/v1/warehouses')) {
        sendJson(res, 200, [
          { id: 'w1', name: 'Pool', count: 0, removeDuplicates: false, removeSold: false },
        ]);
      } else if (req.method === 'POST' && req.url === '/api/v1/warehouses/w1/stock') {
        adds++;
        sendJson(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': '5' });
      } else if (req.method === 'GET' && req.url?.startsWith('/api/v1/products')) {
        sendJson(res, 200, []);
      } else sendJson(res, 404, { error: 'no such thing' });
    });
    const cfg = tempDir();
    dirs.push(cfg);
    const input = serials(30, 'WAIT');
    const f = join(cfg.dir, 'wait.txt');
    writeFileSync(f, input.join('\n'));
    const unsentPath = join(cfg.dir, 'wait-unsent.txt');
    const env = { ...serviceEnv(svc), ASTROSELL_CONFIG_DIR: join(cfg.dir, 'config') };
    const run = startMain(['warehouses', 'restock', 'w1', f, '--unsent-file', unsentPath], {
      env,
    });
    await run.stderrMatches(/retrying in 5\.0s/);
    const ctrlC = Date.now();
    const r = await run.stop();
    expect(Date.now() - ctrlC, 'stopped without waiting out the 5 s').toBeLessThan(4000);
    expect(r.code, r.stderr).toBe(130);
    expect(adds).toBe(1);
    expect(readUnsent(unsentPath)).toEqual(input);
    expect(readUnsent(`${unsentPath}.uncertain`)).toEqual([]);
    expect(r.stderr).not.toMatch(/in flight/);
  });
});
