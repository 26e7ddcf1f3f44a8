// Progress on stderr, only when it is a terminal: serials sent, rate, and the
// share of input lines settled with an ETA (the line count is known from the
// check before sending; stdin is spooled first).
// ora is loaded only here, so piped runs never pay for it.
import type { Clock } from '../clock.js';
import type { IO } from '../io.js';

export interface Progress {
  /** `done`: input lines settled so far (of the total given at creation). */
  update(sent: number, done: number): void;
  /** A line that must not be overwritten by the spinner. */
  note(line: string): void;
  stop(): void;
}

export async function createProgress(
  io: IO,
  totalLines: number,
  clock: Clock,
  label: string,
  startLine = 0,
): Promise<Progress> {
  // Piped (a CI log): no progress, but warnings still say what happened.
  if (!io.stderrIsTTY) {
    return { update() {}, note: (line) => void io.stderr.write(`${line}\n`), stop() {} };
  }
  const tty = io.stderr as NodeJS.WritableStream & {
    cursorTo?: unknown;
    clearLine?: unknown;
    columns?: number;
  };
  // A spinner needs to move the cursor and know the width (a pty without a size reports 0).
  if (
    typeof tty.cursorTo !== 'function' ||
    typeof tty.clearLine !== 'function' ||
    !(Number(tty.columns) > 0)
  ) {
    // A terminal-like stream that cannot move the cursor: a plain line now and then.
    return plainProgress(io, totalLines, clock, label, startLine);
  }
  const { default: ora } = await import('ora');
  // discardStdin would put a terminal in raw mode for the spinner's life, so
  // Ctrl-C would stop being SIGINT and the restock could not be interrupted.
  const spinner = ora({
    stream: io.stderr as NodeJS.WritableStream,
    text: label,
    color: 'cyan',
    discardStdin: false,
  });
  spinner.start();
  const started = clock.now();
  let last = 0;
  return {
    update(sent, done) {
      const now = clock.now();
      if (now - last < 150) return;
      last = now;
      spinner.text = progressText(label, sent, done, totalLines, startLine, now - started);
    },
    note(line) {
      spinner.clear();
      io.stderr.write(`${line}\n`);
      spinner.render();
    },
    stop() {
      spinner.stop();
    },
  };
}

function progressText(
  label: string,
  sent: number,
  done: number,
  total: number,
  startLine: number,
  elapsedMs: number,
): string {
  const secs = Math.max(0.001, elapsedMs / 1000);
  const rate = Math.round(sent / secs);
  let text = `${label}: ${sent.toLocaleString('en-US')} serials sent · ${rate.toLocaleString('en-US')}/s`;
  if (total > 0) {
    const share = Math.min(1, done / total);
    const perSec = (done - startLine) / secs;
    text += ` · ${Math.floor(share * 100)}%`;
    if (perSec > 0) text += ` · ETA ${formatEta(Math.max(0, (total - done) / perSec))}`;
  }
  return text;
}

function plainProgress(
  io: IO,
  totalLines: number,
  clock: Clock,
  label: string,
  startLine: number,
): Progress {
  const started = clock.now();
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(sent, done) {
      const now = clock.now();
      if (now - last < 2000) return;
      last = now;
      io.stderr.write(`${progressText(label, sent, done, totalLines, startLine, now - started)}\n`);
    },
    note(line) {
      io.stderr.write(`${line}\n`);
    },
    stop() {},
  };
}

function formatEta(secs: number): string {
  if (secs < 60) return `${Math.ceil(secs)}s`;
  const m = Math.floor(secs / 60);
  if (m < 60) return `${m}m${String(Math.round(secs % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
