// The unsent file: serials that were not stored, one per line, mode 0600.
// The same class keeps the uncertain file beside it (serials whose outcome is
// unknown: they may be in the pool). Created only when there is something to
// write. Its first `settled` bytes
// are final (the journal records that length); a resume cuts off anything
// after them, which is the "not yet sent" tail a stopped run wrote.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { CliError, ExitCode } from '../errors.js';

/** The settled part lists serials the stopped run did not store: a resume must not write past its loss. */
function lostUnsent(path: string, what: string, label: string): CliError {
  const listed =
    label === 'uncertain' ? 'serials whose outcome is unknown' : 'serials that were not stored';
  return new CliError(
    `the ${label} file ${path} of the interrupted restock ${what}: it listed ${listed}; refusing to resume`,
    ExitCode.failure,
    { hint: 'put the file back as it was, then run --resume again' },
  );
}

export class UnsentFile {
  private fd: number | undefined;
  /** Bytes written (settled part plus any tail). */
  bytes: number;
  lines = 0;

  constructor(
    readonly path: string,
    settledBytes: number,
    /** 'unsent' or 'uncertain', for messages. */
    readonly label = 'unsent',
  ) {
    this.bytes = settledBytes;
    if (settledBytes > 0 || existsSync(path)) {
      // Resume: keep the settled part, drop the tail of the stopped run.
      try {
        this.fd = openSync(path, 'r+', 0o600);
      } catch (error) {
        if (settledBytes > 0 && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw lostUnsent(path, 'is gone', label);
        }
        throw error;
      }
      const size = fstatSync(this.fd).size;
      if (size < settledBytes) {
        closeSync(this.fd);
        this.fd = undefined;
        throw lostUnsent(path, 'is shorter than the journal says', label);
      }
      if (size > settledBytes) ftruncateSync(this.fd, settledBytes);
    }
  }

  get exists(): boolean {
    return this.fd !== undefined;
  }

  write(serials: readonly string[]): void {
    if (serials.length === 0) return;
    this.fd ??= openSync(this.path, existsSync(this.path) ? 'r+' : 'w', 0o600);
    const buf = Buffer.from(`${serials.join('\n')}\n`);
    let off = 0;
    while (off < buf.length)
      off += writeSync(this.fd, buf, off, buf.length - off, this.bytes + off);
    this.bytes += buf.length;
    this.lines += serials.length;
  }

  /** Drops what was written after `bytes` (a write of the same unit that failed later). */
  rewind(bytes: number, lines: number): void {
    if (this.fd !== undefined && bytes < this.bytes) ftruncateSync(this.fd, bytes);
    this.bytes = Math.min(this.bytes, bytes);
    this.lines = Math.min(this.lines, lines);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
