// The one write path of the restock's files (the journal and the two lists):
// a write counts only when every byte was written and synced. A short write
// (a full disk, a file size limit) is retried for the rest; one that stores
// nothing, or fails, throws. A failure names the file, as a FileWriteError.
import { closeSync, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { platform } from 'node:os';
import { CliError } from '../errors.js';

/** What the restock writes, as its messages name it. */
export type RestockFile = 'restock journal' | 'unsent file' | 'uncertain file';

/** `EFBIG (file too large)` for a Node file-system error, the message otherwise. */
export function describeCause(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(error);
  if (typeof e?.code !== 'string') return message;
  // Node's own form: "EFBIG: file too large, write" (then maybe " 'path'").
  const m = /^([A-Z0-9_]+): (.+?), [a-z_]+(?: '.*)?$/s.exec(message);
  return m && m[1] === e.code ? `${e.code} (${m[2]})` : `${e.code} (${message})`;
}

/** A restock file could not be written (or synced): names it, and why. */
export class FileWriteError extends CliError {
  /** Why, e.g. `ENOSPC (no space left on device)`. */
  readonly reason: string;
  constructor(
    readonly file: RestockFile,
    readonly path: string,
    cause: unknown,
  ) {
    const reason = describeCause(cause);
    super(`cannot write the ${file} ${path}: ${reason}`, 'failure', { cause });
    this.reason = reason;
  }
}

type Write = (fd: number, buf: Buffer, offset: number, length: number, position: number) => number;

/**
 * Writes all of `buf` at `position`: a short write is continued with the
 * rest; a write that stores nothing throws (the next one would not either).
 */
export function writeAllSync(
  fd: number,
  buf: Buffer,
  position: number,
  write: Write = writeSync,
): void {
  let done = 0;
  while (done < buf.length) {
    const n = write(fd, buf, done, buf.length - done, position + done);
    if (!(n > 0)) throw new Error(`short write: ${done} of ${buf.length} bytes written`);
    done += n;
  }
}

/** The file's data on disk (and its size: what a reader needs). */
export function syncFile(fd: number): void {
  fdatasyncSync(fd);
}

/** A rename or a new file in `dir` on disk. (Windows cannot open a folder: it has nothing to do.) */
export function syncDir(dir: string): void {
  if (platform() === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
