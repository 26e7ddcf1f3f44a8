// The unsent file: serials that were not stored, one per line, mode 0600.
// The same class keeps the uncertain file beside it (serials whose outcome is
// unknown: they may be in the pool). Created only when there is something to
// write. Its first `settled` bytes
// are final (the journal records that length); a resume cuts off anything
// after them, which is the "not yet sent" tail a stopped run wrote.
// A write counts only when all of it was written (see durable.ts); one that
// fails is taken back, so the file never ends in a torn line, and throws a
// FileWriteError naming the file. sync() puts the bytes on disk: the ledger
// calls it before the journal records the length.
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import { FileWriteError, syncDir, syncFile, writeAllSync } from './durable.js';
import { HashSet128 } from './hashset.js';
import { type SerialList, Serials } from './serials.js';

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

/** Bytes written at a time. */
const PIECE = 64 * 1024;

export class UnsentFile {
  private fd: number | undefined;
  /** Bytes written (settled part plus any tail). */
  bytes: number;
  lines = 0;
  /** Bytes known on disk (the settled part of a resume was synced by the run that wrote it). */
  private synced: number;
  private buf: Buffer | undefined;
  /** Created by this run: its folder's entry goes to disk with the first sync. */
  private created = false;

  constructor(
    readonly path: string,
    settledBytes: number,
    /** For messages. */
    readonly label: 'unsent' | 'uncertain' = 'unsent',
    /** Where a list deleted while the run wrote to it is saved again. */
    private readonly recoverDir?: string,
  ) {
    this.bytes = settledBytes;
    this.synced = settledBytes;
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

  /** Appends the serials, all or none (a FileWriteError naming the file). */
  write(serials: SerialList): void {
    if (serials.length === 0) return;
    let at = this.bytes;
    try {
      if (this.fd === undefined) {
        this.created = !existsSync(this.path);
        this.fd = openSync(this.path, this.created ? 'w+' : 'r+', 0o600);
      }
      // Through one buffer of this list's: a pool found full lists millions.
      this.buf ??= Buffer.allocUnsafe(PIECE);
      const buf = this.buf;
      const packed = serials instanceof Serials ? serials : Serials.of(serials);
      for (let i = 0; i < packed.length; ) {
        const [next, used] = packed.writeLines(i, packed.length, buf, 0);
        // A serial longer than the buffer: on its own.
        const piece = next === i ? packed.line(i) : buf.subarray(0, used);
        writeAllSync(this.fd, piece, at);
        at += piece.length;
        i = next === i ? i + 1 : next;
      }
    } catch (error) {
      // What part of it was written is taken back (best effort: the next write overwrites it anyway).
      if (this.fd !== undefined) {
        try {
          ftruncateSync(this.fd, this.bytes);
        } catch {
          // the write's own failure is what counts
        }
      }
      throw this.failed(error);
    }
    this.bytes = at;
    this.lines += serials.length;
  }

  /** Everything written so far on disk (a FileWriteError naming the file). */
  sync(): void {
    if (this.fd === undefined) return;
    if (this.synced === this.bytes) {
      // Nothing new, but the file must still be there to hold what it listed.
      if (fstatSync(this.fd).nlink === 0) throw this.failed(new Error(this.recover()));
      return;
    }
    try {
      // Written into a file someone deleted (or its folder): on disk, but nowhere to find.
      if (fstatSync(this.fd).nlink === 0) throw new Error(this.recover());
      syncFile(this.fd);
      if (this.created) syncDir(dirname(this.path));
      this.created = false;
    } catch (error) {
      throw this.failed(error);
    }
    this.synced = this.bytes;
  }

  /** Drops what was written after `bytes` (a write of the same unit that failed later). */
  rewind(bytes: number, lines: number): void {
    if (this.fd !== undefined && bytes < this.bytes) ftruncateSync(this.fd, bytes);
    this.bytes = Math.min(this.bytes, bytes);
    this.synced = Math.min(this.synced, this.bytes);
    this.lines = Math.min(this.lines, lines);
  }

  /** Copies what the deleted list held (still readable through its descriptor) to a new file. */
  private recover(): string {
    const deleted = 'the file was deleted while the run wrote to it';
    if (!this.recoverDir || this.fd === undefined) return deleted;
    try {
      const buf = Buffer.alloc(this.bytes);
      let off = 0;
      while (off < buf.length) {
        const n = readSync(this.fd, buf, off, buf.length - off, off);
        if (n === 0) break;
        off += n;
      }
      mkdirSync(this.recoverDir, { recursive: true, mode: 0o700 });
      const saved = join(
        this.recoverDir,
        `${this.label}-recovered-${process.pid}-${Date.now()}.txt`,
      );
      writeFileSync(saved, buf.subarray(0, off), { mode: 0o600, flag: 'wx' });
      return `${deleted}; what it listed is saved in ${saved}`;
    } catch {
      return deleted;
    }
  }

  private failed(error: unknown): FileWriteError {
    return new FileWriteError(`${this.label} file`, this.path, error);
  }

  /** At the end of a restock: a list left holding nothing (a resume cut its tail off) is removed. */
  removeIfEmpty(): void {
    if (this.fd === undefined || this.bytes > 0) return;
    this.close();
    rmSync(this.path, { force: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The serials a list holds in its first `bytes` (what the journal says it
 * listed), for a list of any length: as 16-byte hashes, read a block at a
 * time, so memory does not grow with their text. (Two serials sharing a
 * hash would only make a key held needlessly.) None if it cannot be read.
 */
export function keysListedIn(path: string, bytes: number): HashSet128 {
  const out = new HashSet128();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return out; // gone: a resume or abandon refuses such a list anyway
  }
  try {
    const block = Buffer.allocUnsafe(1 << 20);
    let carry = Buffer.alloc(0);
    for (let at = 0; at < bytes; ) {
      const n = readSync(fd, block, 0, Math.min(block.length, bytes - at), at);
      if (n === 0) break;
      at += n;
      const text = Buffer.concat([carry, block.subarray(0, n)]);
      const end = text.lastIndexOf(10);
      for (const line of text.toString('utf8', 0, end + 1).split('\n')) if (line) out.add(line);
      carry = Buffer.from(text.subarray(end + 1));
    }
    if (carry.length) out.add(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  return out;
}
