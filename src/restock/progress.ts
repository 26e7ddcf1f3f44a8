// Progress on stderr, only when it is a terminal: serials sent, rate, and the
// share of input read with an ETA (input sizes are known: stdin is spooled).
// ora is loaded only here, so piped runs never pay for it.
import type { Clock, IO } from '../context.js';

export interface Progress {
  update(sent: number, bytesRead: number): void;
  /** A line that must not be overwritten by the spinner. */
  note(line: string): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, note() {}, stop() {} };

export async function createProgress(
  io: IO,
  totalBytes: number,
  clock: Clock,
  label: string,
): Promise<Progress> {
  if (!io.stderrIsTTY) return SILENT;
  const tty = io.stderr as NodeJS.WritableStream & { cursorTo?: unknown; clearLine?: unknown };
  if (typeof tty.cursorTo !== 'function' || typeof tty.clearLine !== 'function') {
    // A terminal-like stream that cannot move the cursor: a plain line now and then.
    return plainProgress(io, totalBytes, clock, label);
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: io.stderr as NodeJS.WritableStream, text: label, color: 'cyan' });
  spinner.start();
  const started = clock.now();
  let last = 0;
  return {
    update(sent, bytesRead) {
      const now = clock.now();
      if (now - last < 150) return;
      last = now;
      spinner.text = progressText(label, sent, bytesRead, totalBytes, now - started);
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
  bytesRead: number,
  totalBytes: number,
  elapsedMs: number,
): string {
  const secs = Math.max(0.001, elapsedMs / 1000);
  const rate = Math.round(sent / secs);
  let text = `${label}: ${sent.toLocaleString('en-US')} serials sent · ${rate.toLocaleString('en-US')}/s`;
  if (totalBytes > 0 && bytesRead > 0) {
    const share = Math.min(1, bytesRead / totalBytes);
    const eta = share > 0 ? Math.max(0, secs / share - secs) : 0;
    text += ` · ${Math.floor(share * 100)}% read · ETA ${formatEta(eta)}`;
  }
  return text;
}

function plainProgress(io: IO, totalBytes: number, clock: Clock, label: string): Progress {
  const started = clock.now();
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(sent, bytesRead) {
      const now = clock.now();
      if (now - last < 2000) return;
      last = now;
      io.stderr.write(`${progressText(label, sent, bytesRead, totalBytes, now - started)}\n`);
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
