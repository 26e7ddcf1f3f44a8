// Ctrl-C, a double Ctrl-C and SIGKILL of a real restock process, then
// --resume: nothing lost, nothing doubled; a changed input is refused.
// The stopped runs are child processes; mutation testing leaves this file
// out (it sees the same resume in-process in resume.test.ts).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT, runMain, startBin } from '../helpers/cli.js';
import { readUnsent, restockSummary, type Shop, serials, shop, startStdinRestock } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function faultyShop(...args: Parameters<typeof shop>): Promise<Shop> {
  const s = await shop(...args);
  open.push(s);
  return s;
}

describe('Ctrl-C and --resume', () => {
  it('SIGINT mid-way exits 130 with a journal; --resume completes with no doubles; changed input is refused', async () => {
    const s = await faultyShop({ faults: { seed: 3, latencyMs: 25, dropRate: 0.05 } });
    const w = s.warehouse({ removeDuplicates: false });
    const input = serials(4000, 'INT');
    const f = s.file('int.txt', `${input.join('\n')}\n`);
    const unsentPath = join(s.dir, 'int-unsent.txt');
    const args = ['warehouses', 'restock', w, f, '--batch-size', '40', '--unsent-file', unsentPath];
    const { child, exited, stderr } = startBin(args, { env: s.env });
    while (s.items(w).length < 400) await new Promise((r) => setTimeout(r, 20));
    // A second run on the same journal is refused while the first holds it:
    // with --resume, so that only the lock stops it (an unlocked --resume
    // would go ahead and send the same batches as the live run).
    const concurrent = await runMain([...args, '--resume'], { env: s.env });
    expect(concurrent.code, concurrent.stderr).toBe(1);
    expect(concurrent.stderr.split('\n')[0]).toBe(
      `error: another restock of the same target and input is running (pid ${child.pid})`,
    );
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr()).toBe(130);
    expect(stderr()).toMatch(/interrupted; [\d,]+ serials not yet sent are listed in/);
    expect(stderr()).toMatch(/--resume/);
    const stored = s.items(w).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(4000);
    const journals = readdirSync(join(s.env.ASTROSELL_CONFIG_DIR!, 'restock'));
    expect(journals.some((n) => n.endsWith('.json'))).toBe(true);
    expect(journals.some((n) => n.endsWith('.lock'))).toBe(false);
    // The tail lists exactly what was not stored (the in-flight batch, if any, is left to --resume).
    const tail = readUnsent(unsentPath);
    const pool = new Set(s.items(w));
    expect(tail.filter((x) => pool.has(x))).toEqual([]);

    // Without --resume: refused, nothing sent.
    const plain = await runMain(args, { env: s.env });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/was not finished.*journal/);
    expect(s.items(w).length).toBe(stored);

    s.sandbox.setFaults({ seed: 4, latencyMs: 0, dropRate: 0.05 });
    const resumed = await runMain([...args, '--resume', '--json'], {
      env: s.env,
      timeoutMs: 50_000,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = restockSummary(resumed);
    expect(summary).toMatchObject({ resumed: true, lines: 4000, sent: 4000, unsent: 0 });
    expect(s.items(w)).toEqual(input);
    expect(readUnsent(unsentPath)).toEqual([]);
    const left = readdirSync(join(s.env.ASTROSELL_CONFIG_DIR!, 'restock'));
    expect(left.filter((n) => n.endsWith('.json') || n.endsWith('.lock'))).toEqual([]);
  }, 60_000);

  for (const how of ['SIGKILL', 'double SIGINT'] as const) {
    it(`a ${how} mid-way leaves a journal that --resume completes with no doubles`, async () => {
      const s = await faultyShop({ faults: { seed: 8, latencyMs: 15 } });
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, how === 'SIGKILL' ? 'KIL' : 'DBL');
      const f = s.file('kill.txt', `${input.join('\n')}\n`);
      const args = ['warehouses', 'restock', w, f, '--batch-size', '25'];
      const child = spawn(process.execPath, [BIN, ...args], {
        env: cleanEnv(s.env),
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      while (s.items(w).length < 500) await new Promise((r) => setTimeout(r, 10));
      if (how === 'SIGKILL') child.kill('SIGKILL');
      else {
        child.kill('SIGINT');
        child.kill('SIGINT');
      }
      const code = await exited;
      if (how === 'double SIGINT') expect(code).toBe(130);
      const stored = s.items(w).length;
      expect(stored).toBeLessThan(3000);
      s.sandbox.setFaults({ latencyMs: 0 });
      const r = await runMain([...args, '--resume', '--json'], { env: s.env, timeoutMs: 30_000 });
      // The pool keeps duplicates and the killed run's last request may still
      // have been processed: its batch is found stored, or (never resent
      // blindly) listed as uncertain. Nothing else is left out or doubled.
      expect([0, 7], r.stderr).toContain(r.code);
      const sum = restockSummary(r);
      const uncertain = readUnsent(sum.uncertainFile);
      expect(sum).toMatchObject({ lines: 3000, sent: 3000 - uncertain.length, unsent: 0 });
      expect(uncertain.length).toBeLessThanOrEqual(25);
      expect(s.items(w)).toEqual(input.filter((x) => !uncertain.includes(x)));
    }, 30_000);
  }

  it('refuses to resume when the input changed', async () => {
    const s = await faultyShop({ faults: { seed: 1, latencyMs: 30 } });
    const w = s.warehouse();
    const input = serials(3000, 'CHG');
    const f = s.file('chg.txt', input.join('\n'));
    const args = ['warehouses', 'restock', w, f, '--batch-size', '50'];
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(s.env),
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    while (s.items(w).length < 100) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    s.file('chg.txt', [...input.slice(0, 10), 'CHANGED', ...input.slice(11)].join('\n'));
    const r = await runMain([...args, '--resume'], { env: s.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changed since the interrupted restock/);
    const none = await runMain(
      ['warehouses', 'restock', w, s.file('other.txt', 'x\n'), '--resume'],
      {
        env: s.env,
      },
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to resume/);
  }, 30_000);

  it('resumes a stdin restock from its saved copy; what is piped again is not read', async () => {
    const s = await faultyShop({ faults: { seed: 2, latencyMs: 30 } });
    const w = s.warehouse({ removeDuplicates: false });
    const input = serials(2000, 'STD');
    const text = input.join('\n');
    const args = ['warehouses', 'restock', w, '--batch-size', '40'];
    const { child, exited } = await startStdinRestock(s, w, args, text);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    s.sandbox.setFaults({ latencyMs: 0 });
    const r = await runMain([...args, '--resume', '--json'], { env: s.env, input: text });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/saved copy of standard input .*standard input is not read/);
    expect(restockSummary(r)).toMatchObject({ resumed: true, lines: 2000, sent: 2000 });
    expect(s.items(w)).toEqual(input);
    // The spool is gone.
    const left = readdirSync(join(s.env.ASTROSELL_CONFIG_DIR!, 'restock'));
    expect(left.filter((n) => n.endsWith('.spool'))).toEqual([]);
  }, 30_000);
});
