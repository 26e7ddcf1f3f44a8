// Ctrl-C typed at a real terminal must interrupt a restock. A kill -INT
// cannot show this: the bug it guards against (the spinner putting the
// terminal in raw mode, so ^C is no longer turned into SIGINT) only shows
// when the terminal's line discipline sees the ^C byte. `script` gives the
// CLI a pseudo-terminal, and we type ^C into it.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { type Shop, shop } from './e2e.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

let s: Shop;
beforeAll(async () => {
  s = await shop({ faults: { latencyMs: 40 } });
});
afterAll(() => s.close());

describe.skipIf(!hasScript)('Ctrl-C on a terminal', () => {
  it('typed ^C stops a restock with exit 130 and a resume hint, part of the input stored', async () => {
    const id = s.warehouse();
    const lines = Array.from({ length: 40_000 }, (_, i) => `TTY-${i}`).join('\n');
    const file = s.file('tty.txt', lines);
    // A size, so the CLI shows its spinner (a 0x0 pseudo-terminal gets plain lines).
    const cmd = `stty cols 100 rows 40; ${process.execPath} ${BIN} warehouses restock ${id} ${file} --batch-size 200`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      env: cleanEnv({ ...s.env, TERM: 'xterm', COLUMNS: '100' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const exited = new Promise<number>((resolve) =>
      child.on('close', (code) => resolve(code ?? -1)),
    );
    // Wait until some serials are stored, then type Ctrl-C.
    const deadline = Date.now() + 15_000;
    while (s.items(id).length < 1000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s.items(id).length).toBeGreaterThan(0);
    child.stdin.write('\u0003');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code, out).toBe(130);
    expect(out).toMatch(/--resume/);
    expect(s.items(id).length).toBeLessThan(40_000);
  });
});
