// The restock progress on stderr, byte for byte: nothing but notes when piped,
// a plain line every 2 s on a terminal that cannot move the cursor, and an ora
// spinner (cleared, redrawn around notes) on a real terminal.
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import type { IO } from '../../src/io.js';
import { createProgress } from '../../src/render/progress.js';

interface FakeErr {
  isTTY: boolean;
  columns?: number;
  rows?: number;
  ops: string[];
  write(s: string | Uint8Array): boolean;
  cursorTo?: (x: number) => boolean;
  clearLine?: (dir: number) => boolean;
  moveCursor?: (dx: number, dy: number) => boolean;
  once(): void;
  removeListener(): void;
}

function stream(opts: {
  tty: boolean;
  columns?: number;
  cursorTo?: boolean;
  clearLine?: boolean;
}): FakeErr {
  const s: FakeErr = {
    isTTY: opts.tty,
    ops: [],
    write(chunk) {
      s.ops.push(String(chunk));
      return true;
    },
    once() {},
    removeListener() {},
  };
  if (opts.columns !== undefined) s.columns = opts.columns;
  if (opts.cursorTo !== false) {
    s.cursorTo = (x) => {
      s.ops.push(`<cursorTo ${x}>`);
      return true;
    };
  }
  if (opts.clearLine !== false) {
    s.clearLine = (d) => {
      s.ops.push(`<clearLine ${d}>`);
      return true;
    };
  }
  s.moveCursor = (dx, dy) => {
    s.ops.push(`<moveCursor ${dx},${dy}>`);
    return true;
  };
  return s;
}

function ioWith(err: FakeErr): IO {
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: err as unknown as IO['stderr'],
    stdoutIsTTY: false,
    stderrIsTTY: err.isTTY,
    stdinIsTTY: false,
    color: false,
    columns: 80,
    canPrompt: false,
  };
}

class FakeClock implements Clock {
  constructor(public t: number) {}
  now() {
    return this.t;
  }
  sleep() {
    return Promise.resolve();
  }
}

// The spinner draws only on an interactive terminal (no CI, not TERM=dumb).
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved.CI = process.env.CI;
  saved.TERM = process.env.TERM;
  delete process.env.CI;
  process.env.TERM = 'xterm-256color';
});
afterEach(() => {
  for (const k of ['CI', 'TERM'] as const) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** A plain-line progress (a terminal-like stream without cursor control), its first update. */
async function firstLine(
  total: number,
  startLine: number,
  sent: number,
  done: number,
  elapsedMs: number,
): Promise<string> {
  const err = stream({ tty: true, columns: 80, cursorTo: false });
  const clock = new FakeClock(50_000);
  const p = await createProgress(ioWith(err), total, clock, 'restock', startLine);
  clock.t += elapsedMs;
  p.update(sent, done);
  expect(err.ops.length).toBe(1);
  return err.ops[0]!;
}

describe('piped stderr', () => {
  it('prints no progress, only the notes, each on its own line', async () => {
    const err = stream({ tty: false, columns: 80 });
    const clock = new FakeClock(1000);
    const p = await createProgress(ioWith(err), 10, clock, 'restock');
    p.update(5, 5);
    clock.t += 5000;
    p.update(10, 10);
    p.note('warning: slow down');
    p.note('second');
    p.stop();
    expect(err.ops).toEqual(['warning: slow down\n', 'second\n']);
  });
});

describe('a terminal that cannot move the cursor: plain lines', () => {
  it('without cursorTo', async () => {
    const err = stream({ tty: true, columns: 80, cursorTo: false });
    const clock = new FakeClock(0);
    const p = await createProgress(ioWith(err), 0, clock, 'restock');
    p.update(3, 3);
    p.note('a note');
    p.stop();
    expect(err.ops).toEqual(['restock: 3 serials sent · 3,000/s\n', 'a note\n']);
  });
  it('without clearLine', async () => {
    const err = stream({ tty: true, columns: 80, clearLine: false });
    const p = await createProgress(ioWith(err), 0, new FakeClock(0), 'restock');
    p.update(1, 1);
    p.note('n');
    expect(err.ops).toEqual(['restock: 1 serials sent · 1,000/s\n', 'n\n']);
  });
  it('with a width of 0 or none (a pty without a size)', async () => {
    for (const columns of [0, undefined]) {
      const err = stream({ tty: true, ...(columns === undefined ? {} : { columns }) });
      const p = await createProgress(ioWith(err), 0, new FakeClock(0), 'x');
      p.update(2, 2);
      p.stop();
      expect(err.ops).toEqual(['x: 2 serials sent · 2,000/s\n']);
    }
  });
  it('a line at most every 2 s, timed from the clock since the start', async () => {
    const err = stream({ tty: true, columns: 80, cursorTo: false });
    const clock = new FakeClock(100_000);
    const p = await createProgress(ioWith(err), 1000, clock, 'restock', 0);
    clock.t = 102_000;
    p.update(100, 100); // first: always
    clock.t = 103_999;
    p.update(150, 150); // within 2 s: skipped
    clock.t = 104_000;
    p.update(200, 200); // exactly 2 s after: printed
    clock.t = 105_000;
    p.update(250, 250);
    expect(err.ops).toEqual([
      'restock: 100 serials sent · 50/s · 10% · ETA 18s\n',
      'restock: 200 serials sent · 50/s · 20% · ETA 16s\n',
    ]);
  });
  it('rate over the elapsed seconds, grouped counts', async () => {
    expect(await firstLine(0, 0, 1_234_567, 0, 2000)).toBe(
      'restock: 1,234,567 serials sent · 617,284/s\n',
    );
    // No time elapsed: a millisecond, not a division by zero.
    expect(await firstLine(0, 0, 5, 0, 0)).toBe('restock: 5 serials sent · 5,000/s\n');
  });
  it('share of the lines and the ETA from this run’s pace', async () => {
    // 10 s, lines 100→150 this run: 5 lines/s, 850 left → 170 s.
    expect(await firstLine(1000, 100, 40, 150, 10_000)).toBe(
      'restock: 40 serials sent · 4/s · 15% · ETA 2m50s\n',
    );
    // Share capped at 100%, ETA never negative.
    expect(await firstLine(100, 0, 120, 120, 10_000)).toBe(
      'restock: 120 serials sent · 12/s · 100% · ETA 0s\n',
    );
    // 99.9% shows as 99.
    expect(await firstLine(1000, 0, 999, 999, 999_000)).toBe(
      'restock: 999 serials sent · 1/s · 99% · ETA 1s\n',
    );
  });
  it('no ETA before a line is settled this run', async () => {
    expect(await firstLine(1000, 200, 0, 200, 10_000)).toBe(
      'restock: 0 serials sent · 0/s · 20%\n',
    );
  });
  it('ETA in seconds, minutes and hours', async () => {
    // 10 s elapsed, 10 lines done: 1 line/s, so the ETA is total - 10 seconds.
    const eta = async (secs: number) => {
      const line = await firstLine(10 + secs, 0, 10, 10, 10_000);
      return line.slice(line.indexOf('ETA ') + 4, -1);
    };
    expect(await eta(1)).toBe('1s');
    expect(await eta(59)).toBe('59s');
    expect(await eta(60)).toBe('1m00s');
    expect(await eta(65)).toBe('1m05s');
    expect(await eta(754)).toBe('12m34s');
    expect(await eta(3599)).toBe('59m59s');
    expect(await eta(3600)).toBe('1h00m');
    expect(await eta(3600 * 2 + 5 * 60 + 30)).toBe('2h05m');
    expect(await eta(3600 * 25 + 61)).toBe('25h01m');
    // Fractions: seconds rounded up under a minute, to the nearest above.
    // 4 s, 10 done: 2.5 lines/s; 111 left → 44.4 s.
    const a = await firstLine(121, 0, 10, 10, 4000);
    expect(a).toBe('restock: 10 serials sent · 3/s · 8% · ETA 45s\n');
    // 151 left → 60.4 s → 1m00s.
    const b = await firstLine(161, 0, 10, 10, 4000);
    expect(b).toBe('restock: 10 serials sent · 3/s · 6% · ETA 1m00s\n');
  });
});

/** The frames the spinner drew: writes that are not escapes or cursor moves. */
function frames(err: FakeErr): string[] {
  return err.ops
    .filter((o) => !o.startsWith('<'))
    .map((o) => o.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, ''))
    .filter((o) => o !== '')
    .map((o) => o.replace(/^\S /, ''));
}

describe('a terminal: the spinner', () => {
  it('draws the label on the stream given, redraws around a note, clears on stop', async () => {
    const err = stream({ tty: true, columns: 1 });
    const clock = new FakeClock(10_000);
    const p = await createProgress(ioWith(err), 1000, clock, 'restock', 0);
    try {
      // Started: cursor hidden, the first frame drawn.
      expect(err.ops).toContain('\u001b[?25l');
      expect(frames(err)).toEqual(['restock']);
      const first = err.ops.find((o) => o.endsWith(' restock'))!;
      expect(first.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '')).toMatch(/^\S restock$/);
      err.ops.length = 0;
      p.note('warning: a note');
      // Cleared, the note, then the spinner again below it.
      expect(err.ops.indexOf('<cursorTo 0>')).toBeGreaterThanOrEqual(0);
      expect(err.ops.indexOf('<cursorTo 0>')).toBeLessThan(err.ops.indexOf('warning: a note\n'));
      expect(err.ops.indexOf('<clearLine 1>')).toBeLessThan(err.ops.indexOf('warning: a note\n'));
      expect(frames(err).filter((f) => f !== 'restock')).toEqual(['warning: a note\n']);
      expect(frames(err).at(-1)).toBe('restock');
    } finally {
      err.ops.length = 0;
      p.stop();
    }
    // Stopped: line cleared, cursor shown again, nothing drawn.
    expect(err.ops).toContain('<cursorTo 0>');
    expect(err.ops).toContain('<clearLine 1>');
    expect(err.ops).toContain('\u001b[?25h');
    expect(frames(err)).toEqual([]);
  });

  it('updates the text at most every 150 ms (clock), counting from the start', async () => {
    const err = stream({ tty: true, columns: 200 });
    const clock = new FakeClock(0);
    const p = await createProgress(ioWith(err), 1000, clock, 'restock', 0);
    try {
      const shown = () => {
        err.ops.length = 0;
        p.note('-');
        return frames(err).at(-1);
      };
      clock.t = 100;
      p.update(10, 10); // 100 ms after 0: too soon
      expect(shown()).toBe('restock');
      clock.t = 150;
      p.update(30, 30); // 150 ms: shown
      expect(shown()).toBe('restock: 30 serials sent · 200/s · 3% · ETA 5s');
      clock.t = 200;
      p.update(40, 40); // 50 ms after the last: too soon
      expect(shown()).toBe('restock: 30 serials sent · 200/s · 3% · ETA 5s');
      clock.t = 2000;
      p.update(100, 100);
      expect(shown()).toBe('restock: 100 serials sent · 50/s · 10% · ETA 18s');
    } finally {
      p.stop();
    }
  });

  it('elapsed time from the clock at creation', async () => {
    const err = stream({ tty: true, columns: 200 });
    const clock = new FakeClock(1_000_000);
    const p = await createProgress(ioWith(err), 0, clock, 'go', 0);
    try {
      clock.t = 1_004_000;
      p.update(80, 80);
      err.ops.length = 0;
      p.note('.');
      expect(frames(err).at(-1)).toBe('go: 80 serials sent · 20/s');
    } finally {
      p.stop();
    }
  });
});

describe('the spinner and the keyboard', () => {
  it('leaves stdin out of raw mode, so Ctrl-C stays SIGINT', async () => {
    const stdin = process.stdin;
    const had = Object.getOwnPropertyDescriptor(stdin, 'isTTY');
    const hadRaw = Object.getOwnPropertyDescriptor(stdin, 'setRawMode');
    const raw: boolean[] = [];
    Object.defineProperty(stdin, 'isTTY', { value: true, configurable: true, writable: true });
    Object.defineProperty(stdin, 'setRawMode', {
      value: (on: boolean) => {
        raw.push(on);
        return stdin;
      },
      configurable: true,
      writable: true,
    });
    try {
      const err = stream({ tty: true, columns: 80 });
      const p = await createProgress(ioWith(err), 0, new FakeClock(0), 'restock');
      p.stop();
      expect(frames(err)).toEqual(['restock']);
    } finally {
      if (had) Object.defineProperty(stdin, 'isTTY', had);
      else delete (stdin as { isTTY?: boolean }).isTTY;
      if (hadRaw) Object.defineProperty(stdin, 'setRawMode', hadRaw);
      else delete (stdin as { setRawMode?: unknown }).setRawMode;
    }
    expect(raw).toEqual([]);
  });
});
