// What the upload loop sends: batches of serials and the JSON body of the
// stock add that carries them.
//
// A unit read from the input arrives with its body already made, written
// byte by byte from the file into one reused buffer (see BodyWriter) and
// kept as bytes; it becomes a string only when sent. Per request that is
// one short-lived string in the JS heap, where joining serials and
// JSON.stringify made two or three that lived through the read-ahead (most
// of a restock's allocation, and with it its peak memory and much of its CPU). The serials
// as strings are recovered from the body only when something needs them
// one by one (a failed batch, the unsent file).

/** Serials to send together. */
export interface Batch {
  readonly count: number;
  /** The serials joined by `\n`: a stock request's `stock`. */
  readonly stock: string;
  readonly serials: readonly string[];
  /** The JSON body of a stock add carrying this batch (bytes or text). */
  body(removeDuplicates: boolean | undefined): string | Buffer;
}

export function stockBody(stock: string, removeDuplicates: boolean | undefined): string {
  return JSON.stringify(removeDuplicates === undefined ? { stock } : { stock, removeDuplicates });
}

/** A batch made of serials one by one (what is left after a failure, a part of a unit). */
export function listBatch(serials: readonly string[]): Batch {
  return {
    count: serials.length,
    get stock() {
      return serials.join('\n');
    },
    serials,
    body(removeDuplicates) {
      return stockBody(this.stock, removeDuplicates);
    },
  };
}

/** A run of input lines [fromLine, toLine) holding at most a batch of serials. */
export class Unit implements Batch {
  private list: string[] | undefined;

  constructor(
    readonly fromLine: number,
    readonly toLine: number,
    /** Serials in the unit. */
    readonly count: number,
    /**
     * `{"stock":"…"}`, the body without removeDuplicates, as bytes: kept out
     * of the JS heap while the unit waits in the read-ahead, made a string
     * only when it is sent (and dropped as soon as the request is written).
     */
    private readonly bodyBytes: Buffer,
    readonly blank: number,
    readonly rejected: number,
    readonly duplicates: number,
  ) {}

  get stock(): string {
    return (JSON.parse(this.bodyBytes.toString('utf8')) as { stock: string }).stock;
  }

  get serials(): string[] {
    this.list ??= this.count === 0 ? [] : this.stock.split('\n');
    return this.list;
  }

  /** Bytes, handed to the HTTP client as they are: no string of the body is ever made. */
  body(removeDuplicates: boolean | undefined): Buffer {
    if (removeDuplicates === undefined) return this.bodyBytes;
    return Buffer.concat([
      this.bodyBytes.subarray(0, -1),
      Buffer.from(`,"removeDuplicates":${removeDuplicates}}`, 'latin1'),
    ]);
  }
}

const HEAD = Buffer.from('{"stock":"', 'latin1');
const BACKSLASH = 92;
const QUOTE = 34;
const N = 110;

/**
 * Writes one body at a time into a reused buffer: serials as file bytes
 * (plain ASCII lines, `\n` escaped on the way) or as strings (escaped by
 * JSON.stringify), joined by `\n`.
 */
export class BodyWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;
  private pieces = 0;
  /** Serials given as strings, written together (one JSON.stringify for a run of them). */
  private strings: string[] = [];

  start(): void {
    this.pos = HEAD.copy(this.buf, 0);
    this.pieces = 0;
    this.strings = [];
  }

  /**
   * Copies `n` whole lines of printable ASCII from `src` at `from` (each ending
   * in `\n`, except perhaps the last, which ends at `end`); returns where
   * the next line starts.
   */
  lines(src: Buffer, from: number, end: number, n: number): number {
    this.flushStrings();
    this.separate();
    // At most two bytes out for each byte in.
    this.room(2 * Math.min(end - from, n * 1025));
    const out = this.buf;
    let o = this.pos;
    let i = from;
    let left = n;
    for (; i < end; i++) {
      const b = src[i]!;
      if (b === 10) {
        if (--left === 0) break;
        out[o++] = BACKSLASH;
        out[o++] = N;
      } else {
        // Printable ASCII: only " and \ need escaping in JSON.
        if (b === QUOTE || b === BACKSLASH) out[o++] = BACKSLASH;
        out[o++] = b;
      }
    }
    this.pos = o;
    this.pieces++;
    return i + 1;
  }

  /** One serial as a string (anything the byte path does not take). */
  serial(s: string): void {
    this.strings.push(s);
  }

  private flushStrings(): void {
    if (this.strings.length === 0) return;
    const quoted = JSON.stringify(this.strings.join('\n'));
    this.strings = [];
    this.separate();
    this.room(3 * quoted.length);
    const written = this.buf.write(quoted, this.pos, 'utf8');
    // Drop the quotes JSON.stringify put around it.
    this.buf.copyWithin(this.pos, this.pos + 1, this.pos + written - 1);
    this.pos += written - 2;
    this.pieces++;
  }

  /** The body: a copy of its bytes. */
  finish(): Buffer {
    this.flushStrings();
    this.room(2);
    this.buf[this.pos++] = 34; // "
    this.buf[this.pos++] = 125; // }
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  private separate(): void {
    if (this.pieces === 0) return;
    this.room(2);
    this.buf[this.pos++] = BACKSLASH;
    this.buf[this.pos++] = N;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
