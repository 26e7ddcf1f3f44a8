// Restock progress on stderr: nothing but warnings when piped (a CI log), a
// plain line at most every 2 s on a terminal that cannot move the cursor,
// and a spinner that notes never overwrite on a real terminal. The line says
// serials sent, the rate, the share of input lines settled and an ETA.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import type { IO } from '../../src/io.js';
import { createProgress } from '../../src/render/progress.js';

/** A stderr that records what is written, and cursor moves where it can make them. */
function stderr(o: { tty: boolean; cursor?: boolean; columns?: number }) {
  const out: string[] = [];
  const s: Record<string, unknown> = {
    isTTY: o.tty,
    columns: o.columns ?? 80,
    write: (c: string | Uint8Array) => out.push(String(c)) > 0,
    on: () => s,
    once: () => s,
    removeListener: () => s,
  };
  if (o.cursor) {
    s.cursorTo = () => true;
    s.clearLine = () => true;
    s.moveCursor = () => true;
  }
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: s,
    stdoutIsTTY: false,
    stderrIsTTY: o.tty,
    stdinIsTTY: false,
    color: false,
    columns: 80,
    canPrompt: false,
  } as unknown as IO;
  return { io, text: () => out.join('') };
}

function clock(t = 0): Clock & { t: number } {
  const c = { t, now: () => c.t, sleep: () => Promise.resolve() };
  return c;
}

describe('restock progress', () => {
  it('piped: no progress lines, but notes (warnings) are written whole', async () => {
    const e = stderr({ tty: false });
    const p = await createProgress(e.io, 100, clock(), 'restocking warehouse W');
    p.update(50, 50);
    p.note('warning: a 502; checking what the pool received…');
    p.stop();
    expect(e.text()).toBe('warning: a 502; checking what the pool received…\n');
  });

  it('a terminal that cannot move the cursor: a plain line at most every 2 s, with rate, share and ETA', async () => {
    const e = stderr({ tty: true, cursor: false });
    const c = clock(0);
    const p = await createProgress(e.io, 1000, c, 'restocking W');
    c.t = 1000;
    p.update(100, 100); // the first line: 100 serials in 1 s, 10% of the lines, 900 to go at 100/s
    c.t = 1500;
    p.update(150, 150); // within 2 s of the last line: not written
    c.t = 3100;
    p.update(310, 310);
    expect(e.text().split('\n')).toEqual([
      'restocking W: 100 serials sent · 100/s · 10% · ETA 9s',
      'restocking W: 310 serials sent · 100/s · 31% · ETA 7s',
      '',
    ]);
  });

  it('the ETA reads in minutes and hours when it is long', async () => {
    const e = stderr({ tty: true, cursor: false });
    const c = clock(0);
    const p = await createProgress(e.io, 10_000_000, c, 'r');
    c.t = 10_000;
    p.update(1000, 1000); // 100 lines/s: 9,999,000 to go
    const minutes = await createProgress(e.io, 70_000, c, 'm');
    c.t = 20_000;
    minutes.update(2000, 2000); // 200 lines/s since it began at 10 s: 68,000 to go
    expect(e.text()).toContain('r: 1,000 serials sent · 100/s · 0% · ETA 27h46m');
    expect(e.text()).toContain('m: 2,000 serials sent · 200/s · 2% · ETA 5m40s');
  });

  it('a resumed run: the share counts every line, the pace only this run’s', async () => {
    const e = stderr({ tty: true, cursor: false });
    const c = clock(0);
    // 600 of 1,000 lines were settled by the stopped run.
    const p = await createProgress(e.io, 1000, c, 'r', 600);
    c.t = 2000;
    p.update(200, 800);
    expect(e.text()).toBe('r: 200 serials sent · 100/s · 80% · ETA 2s\n');
  });

  // (ora draws its spinner only outside CI, where it follows the count; in CI it prints the label once.)
  it('a real terminal: a spinner with the label, and notes on lines of their own', async () => {
    const e = stderr({ tty: true, cursor: true });
    const c = clock(0);
    const p = await createProgress(e.io, 100, c, 'restocking W');
    c.t = 1000;
    p.update(40, 40);
    p.note('warning: slow answer');
    p.stop();
    const text = e.text();
    expect(text).toContain('restocking W');
    expect(text).toContain('warning: slow answer\n');
  });
});
