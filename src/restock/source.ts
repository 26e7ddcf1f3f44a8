// Reading the prepared files back as units of normalised serials, the input
// of the upload loop. Memory: one chunk of lines at a time.
//
// The common input (printable ASCII serials, one per line, nothing to trim:
// region.ts scanAscii) is not split into a string per serial: a chunk's lines
// stay one string (a "block") and a unit takes a slice of it, already joined
// by `\n` as a stock request carries them. Serials one by one are made only
// when needed (the duplicate filter, a failed batch, the unsent file).
// Anything else goes through plainLine or, line by line, normaliseLine, the
// definition.
import { CHUNK, readChunks } from './chunks.js';
import type { HashSet128 } from './hashset.js';
import type { InputFile } from './input.js';
import { MAX_RAW_LINE_BYTES, type Normalised, normaliseLine } from './normalize.js';
import { eachLineSlow, NOT_ASCII, plainLine, scanAscii, scanPlain } from './region.js';
import { LineSplitter } from './splitter.js';

/** Serials to send together. */
export interface Batch {
  readonly count: number;
  /** The serials joined by `\n`: a stock request's `stock`. */
  readonly stock: string;
  /** `stock` as a JSON string (made once; the upload loop makes it during read-ahead). */
  readonly json: string;
  readonly serials: readonly string[];
}

/** A batch made of serials one by one (what is left after a failure, a part of a unit). */
export function listBatch(serials: readonly string[]): Batch {
  return {
    count: serials.length,
    get stock() {
      return serials.join('\n');
    },
    get json() {
      return JSON.stringify(this.stock);
    },
    serials,
  };
}

/** A run of input lines [fromLine, toLine) holding at most a batch of serials. */
export class Unit implements Batch {
  private list: string[] | undefined;
  private quoted: string | undefined;

  constructor(
    readonly fromLine: number,
    readonly toLine: number,
    /** Serials in the unit. */
    readonly count: number,
    /** The serials joined by `\n`: a stock request's `stock`. */
    readonly stock: string,
    readonly blank: number,
    readonly rejected: number,
    readonly duplicates: number,
  ) {}

  get json(): string {
    this.quoted ??= JSON.stringify(this.stock);
    return this.quoted;
  }

  /** Makes `json` now (before it is needed); returns the unit. */
  quote(): this {
    this.quoted ??= JSON.stringify(this.stock);
    return this;
  }

  /** The serials one by one (split on first use). */
  get serials(): string[] {
    this.list ??= this.count === 0 ? [] : this.stock.split('\n');
    return this.list;
  }
}

/** Whole lines of one chunk, `lines` of them, the next starting at `pos`. */
class Block {
  pos = 0;
  constructor(
    readonly text: string,
    public left: number,
  ) {}

  /** The next `n` lines (n ≤ left), joined by `\n`. */
  take(n: number): string {
    const from = this.pos;
    this.left -= n;
    if (this.left === 0) {
      this.pos = this.text.length;
      return from === 0 ? this.text : this.text.slice(from);
    }
    let end = from - 1;
    for (let i = 0; i < n; i++) end = this.text.indexOf('\n', end + 1);
    this.pos = end + 1;
    return this.text.slice(from, end);
  }
}

type Item = string | { rejected: string } | Block;

/** Reads the prepared files in order as normalised lines, numbered across all files from 0. */
export class SerialSource {
  private fileIndex = -1;
  private iter: AsyncGenerator<Buffer> | undefined;
  /** The current chunk: a serial, '' for a blank line, a rejection, or a block of serials. */
  private queue: Item[] = [];
  private qpos = 0;
  private lineInFile = 0;
  private readonly splitter: LineSplitter;
  /** Lines handed out so far (the global index of the next line). */
  line = 0;
  bytesRead = 0;
  private done = false;

  constructor(
    private readonly files: readonly InputFile[],
    private readonly seen: HashSet128 | undefined,
    private readonly chunkSize = CHUNK,
  ) {
    const push = (r: Normalised) => {
      this.lineInFile++;
      this.queue.push(
        r.kind === 'serial' ? r.value : r.kind === 'blank' ? '' : { rejected: r.reason },
      );
    };
    this.splitter = new LineSplitter(
      (buf, start, end, tooLong) =>
        push(normaliseLine(buf, start, end, this.lineInFile === 0, tooLong)),
      MAX_RAW_LINE_BYTES,
      (buf, start, end) => {
        const ascii = scanAscii(buf, start, end);
        if (ascii !== NOT_ASCII) {
          const text = buf.toString('latin1', start, end);
          this.lineInFile += Math.abs(ascii);
          // The duplicate filter looks at each serial anyway.
          if (ascii > 0 && !this.seen) this.queue.push(new Block(text, ascii));
          else for (const l of text.split('\n')) this.queue.push(plainLine(l));
          return;
        }
        const plain = scanPlain(buf, start, end, true);
        if (!plain) {
          eachLineSlow(buf, start, end, this.lineInFile === 0, push);
          return;
        }
        this.lineInFile += plain.lines;
        for (const l of (plain.text as string).split('\n')) this.queue.push(plainLine(l));
      },
    );
  }

  /** The next unit of at most `maxSerials` serials (stopping at `stopLine`), or undefined at the end. */
  async next(maxSerials: number, stopLine = Number.POSITIVE_INFINITY): Promise<Unit | undefined> {
    const fromLine = this.line;
    const pieces: string[] = [];
    let count = 0;
    let blank = 0;
    let rejected = 0;
    let duplicates = 0;
    while (count < maxSerials && this.line < stopLine) {
      if (this.qpos >= this.queue.length && !(await this.fill())) break;
      const r = this.queue[this.qpos]!;
      if (r instanceof Block) {
        const n = Math.min(r.left, maxSerials - count, stopLine - this.line);
        pieces.push(r.take(n));
        count += n;
        this.line += n;
        if (r.left === 0) this.qpos++;
        continue;
      }
      this.qpos++;
      this.line++;
      if (r === '') blank++;
      else if (typeof r !== 'string') rejected++;
      else if (this.seen && !this.seen.add(r)) duplicates++;
      else {
        pieces.push(r);
        count++;
      }
    }
    if (this.line === fromLine) return undefined;
    const stock = pieces.length === 1 ? pieces[0]! : pieces.join('\n');
    return new Unit(fromLine, this.line, count, stock, blank, rejected, duplicates);
  }

  /** Reads on until the queue has lines; false at the end of the last file. */
  private async fill(): Promise<boolean> {
    this.queue = [];
    this.qpos = 0;
    while (this.queue.length === 0) {
      if (this.done) return false;
      if (!this.iter) {
        this.fileIndex++;
        const f = this.files[this.fileIndex];
        if (!f) {
          this.done = true;
          return false;
        }
        this.lineInFile = 0;
        this.iter = readChunks(f.readPath, this.chunkSize);
      }
      const r = await this.iter.next();
      if (r.done) {
        this.splitter.end();
        this.iter = undefined;
      } else {
        this.bytesRead += r.value.length;
        this.splitter.push(r.value);
      }
    }
    return true;
  }

  close(): void {
    void this.iter?.return(undefined);
    this.iter = undefined;
  }
}
