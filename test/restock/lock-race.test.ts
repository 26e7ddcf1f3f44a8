// Taking over a stale journal lock: however many runs race for it, exactly
// one wins. Raced for real by child processes, and step by step in-process
// (the interleaving that a real race hits only rarely).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../src/restock/journal.js';
import { childScript, tempDir } from '../helpers/cli.js';

/** Called after each renameSync, to run another "process" at that exact point. */
let afterRename: ((from: string, to: string) => void) | undefined;
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      real.renameSync(from, to);
      afterRename?.(String(from), String(to));
    },
  };
});

const tmp = tempDir('astrosell-lock-race-');
afterAll(() => tmp.cleanup());

/** The pid of a process that has exited: a stale lock's owner. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const RUNNER = `
import { existsSync, writeFileSync } from 'node:fs';
const [mod, dir, key, ready, go, holdMs] = process.argv.slice(2);
const { Journal } = await import(mod);
const j = new Journal(dir, key);
writeFileSync(ready, '');
const nap = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(go)) Atomics.wait(nap, 0, 0, 1);
let out;
try {
  j.lock();
  out = 'won';
} catch (e) {
  out = 'lost ' + e.message;
}
process.stdout.write(out);
if (out === 'won') setTimeout(() => j.unlock(), Number(holdMs));
`;

describe('stale lock raced by child processes', () => {
  let mod = '';
  let runner = '';
  beforeAll(async () => {
    ({ mod, runner } = await childScript(tmp.dir, 'src/restock/journal.ts', RUNNER));
  });

  const N = 8;
  const ROUNDS = 3;
  it(`${N} processes, ${ROUNDS} rounds: exactly one takes the lock`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(tmp.dir, `r${round}`);
      fs.mkdirSync(dir);
      const j = new Journal(dir, 'k');
      fs.writeFileSync(j.lockPath, `${deadPid()} stale\n`);
      const go = join(dir, 'go');
      const kids: Array<{ child: ChildProcess; out: Promise<string> }> = [];
      for (let i = 0; i < N; i++) {
        const child = spawn(
          process.execPath,
          [runner, mod, dir, 'k', join(dir, `ready-${i}`), go, '1000'],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let text = '';
        child.stdout!.on('data', (d) => {
          text += d;
        });
        kids.push({ child, out: new Promise((r) => child.on('exit', () => r(text))) });
      }
      while (!Array.from({ length: N }, (_, i) => join(dir, `ready-${i}`)).every(fs.existsSync)) {
        await new Promise((r) => setTimeout(r, 10));
      }
      fs.writeFileSync(go, '');
      const outs = await Promise.all(kids.map((k) => k.out));
      const won = outs.filter((o) => o === 'won');
      expect(won.length, `round ${round}: ${JSON.stringify(outs)}`).toBe(1);
      for (const o of outs.filter((x) => x !== 'won')) {
        expect(o).toMatch(/^lost another restock .* is running \(pid \d+\)$/);
      }
      // The winner released it; nothing is left behind but the go/ready files.
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('k.'))).toEqual([]);
    }
  }, 60_000);
});

describe('stale lock takeover, interleaved step by step', () => {
  // HOLE (journal.ts:169-182): B judged the lock stale, then A took it over
  // and holds a fresh lock; B renames A's fresh lock aside (to check it),
  // and until B puts it back the lock path is free: C links its own lock
  // there and wins; then B's renameSync(aside, lockPath) overwrites C's lock
  // with A's. A and C both hold the lock, and C's unlock() leaves A's file.
  // Putting the lock back needs link() (fails if taken), not rename().
  it('a run that renames a fresh lock aside and puts it back lets no one else in', () => {
    const dir = join(tmp.dir, 'steps');
    const [a, b, c] = [new Journal(dir, 'k'), new Journal(dir, 'k'), new Journal(dir, 'k')];
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(a.lockPath, `${deadPid()} stale\n`);
    const held: string[] = [];
    const alive = (pid: number) => pid === 1 || pid === 3;
    try {
      expect(() =>
        b.lock(2, (pid) => {
          if (held.length === 0) {
            // B read the stale lock and is judging it; meanwhile A takes it over.
            a.lock(1, alive);
            held.push('A');
            afterRename = (from, to) => {
              if (from !== b.lockPath || !to.includes('.stale-')) return;
              afterRename = undefined;
              // B moved A's lock aside to look at it: C comes in now.
              c.lock(3, alive);
              held.push('C');
            };
          }
          return alive(pid);
        }),
      ).toThrow(/is running/);
    } finally {
      afterRename = undefined;
    }
    expect(held).toEqual(['A']);
  });
});
