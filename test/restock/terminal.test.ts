// On a terminal: progress on stderr (ora), the summary, nothing on stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminal } from '../helpers/cli.js';
import { type Shop, serials, shop } from './e2e.js';

let s: Shop;
beforeAll(async () => {
  s = await shop({ faults: { latencyMs: 40 } });
});
afterAll(async () => {
  await s.close();
});

describe('restock on a terminal', () => {
  it('shows progress and the summary on stderr, never a serial', async () => {
    const w = s.warehouse();
    const input = serials(300, 'TTY');
    const f = s.file('tty.txt', input.join('\n'));
    const r = await runTerminal(['warehouses', 'restock', w, f, '--batch-size', '20'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/restock of warehouse .*: complete/);
    expect(r.stderr).toMatch(/serials sent/);
    expect(r.stderr).not.toMatch(/TTY-\d/);
    expect(s.items(w)).toEqual(input);
  });

  it('products create on a terminal with --no-input still names the missing flag', async () => {
    const r = await runTerminal(['products', 'create', '--no-input', '--price', '1'], {
      env: s.env,
      stdinTTY: true,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pass --title/);
  });
});
