// A byte-level line splitter. Unlike `readline` it keeps bytes as bytes (the
// normaliser decides about BOMs, `\r` and UTF-8), splits on `\n` only, and
// bounds memory: a line longer than `maxLineBytes` is not accumulated, only
// reported as too long, so a file with no newline at all costs nothing.

/** Called once per line: `buf[start, end)` are its bytes without the `\n`. */
export type LineSink = (buf: Buffer, start: number, end: number, tooLong: boolean) => void;

const NL = 10;

export class LineSplitter {
  private carry: Buffer | undefined;
  /** Bytes of the current (unfinished) line seen so far, kept or not. */
  private carryLen = 0;
  private overflow = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    let nl = chunk.indexOf(NL, 0);
    if (nl === -1) {
      this.keep(chunk, 0, len);
      return;
    }
    if (this.carryLen > 0 || this.overflow) {
      // Finish the line begun in an earlier chunk.
      this.keep(chunk, 0, nl);
      this.flushCarry();
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    const max = this.maxLineBytes;
    const sink = this.sink;
    while (nl !== -1) {
      sink(chunk, start, nl, nl - start > max);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    if (start < len) this.keep(chunk, start, len);
  }

  /** End of input: a last line without a final newline is still a line. */
  end(): void {
    if (this.carryLen > 0 || this.overflow) this.flushCarry();
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    if (this.overflow) {
      this.carryLen += n;
      return;
    }
    // Keep one byte more than the limit so "too long" is still decided by length.
    if (this.carryLen + n > this.maxLineBytes + 1) {
      this.overflow = true;
      this.carry = undefined;
      this.carryLen += n;
      return;
    }
    const next = Buffer.allocUnsafe(this.carryLen + n);
    if (this.carry) next.set(this.carry.subarray(0, this.carryLen), 0);
    next.set(chunk.subarray(from, to), this.carryLen);
    this.carry = next;
    this.carryLen += n;
  }

  private flushCarry(): void {
    if (this.overflow) this.sink(Buffer.alloc(0), 0, 0, true);
    else this.sink(this.carry ?? Buffer.alloc(0), 0, this.carryLen, false);
    this.carry = undefined;
    this.carryLen = 0;
    this.overflow = false;
  }
}
