// Reading the prepared files back as units of normalised serials, the input
// of the upload loop. Memory: one chunk of lines at a time.
//
// The common input (printable ASCII serials, one per line, nothing to trim:
// region.ts scanAscii) is never split into strings: a unit's lines go from
// the chunk's bytes straight into its request body (batch.ts). Anything else
// goes through plainLine or, line by line, normaliseLine, the definition.
import { BodyWriter, Unit } from './batch.js';
import { CHUNK, readChunks } from './chunks.js';
import type { HashSet128 } from './hashset.js';
import type { InputFile } from './input.js';
import { MAX_RAW_LINE_BYTES, type Normalised, normaliseLine } from './normalize.js';
import { eachLineSlow, NOT_ASCII, plainLine, scanAscii, scanPlain } from './region.js';
import { LineSplitter } from './splitter.js';

/**
 * Whole lines of plain ASCII in the current chunk, `left` of them, the next
 * starting at `pos`. Valid until the next chunk is read, which happens only
 * once every line of this one has been taken.
 */
class Block {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
    public left: number,
  ) {}
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
  private readonly body = new BodyWriter();

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
          this.lineInFile += Math.abs(ascii);
          // The duplicate filter looks at each serial anyway.
          if (ascii > 0 && !this.seen) this.queue.push(new Block(buf, start, end, ascii));
          else {
            for (const l of buf.toString('latin1', start, end).split('\n')) {
              this.queue.push(plainLine(l));
            }
          }
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
    const body = this.body;
    body.start();
    let count = 0;
    let blank = 0;
    let rejected = 0;
    let duplicates = 0;
    while (count < maxSerials && this.line < stopLine) {
      if (this.qpos >= this.queue.length && !(await this.fill())) break;
      const r = this.queue[this.qpos]!;
      if (r instanceof Block) {
        const n = Math.min(r.left, maxSerials - count, stopLine - this.line);
        r.pos = body.lines(r.buf, r.pos, r.end, n);
        r.left -= n;
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
        body.serial(r);
        count++;
      }
    }
    if (this.line === fromLine) return undefined;
    return new Unit(fromLine, this.line, count, body.finish(), blank, rejected, duplicates);
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
