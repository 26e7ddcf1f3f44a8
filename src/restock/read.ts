// Reading the checked input back as units: runs of input lines holding at
// most a batch of normalised serials, numbered across all files from 0.
// Memory: one chunk of the file and one unit at a time.
import { readChunks } from './chunks.js';
import type { HashSet128 } from './hashset.js';
import type { InputFile } from './input.js';
import { MAX_RAW_LINE_BYTES, type Normalised, normaliseLine } from './normalize.js';
import { LineSplitter } from './splitter.js';

/** Input lines [fromLine, toLine) and what they held. */
export interface Unit {
  fromLine: number;
  toLine: number;
  serials: string[];
  blank: number;
  rejected: number;
  /** Repeats of a serial met earlier in the input (only with a duplicate filter). */
  duplicates: number;
}

export class UnitReader {
  private fileIndex = -1;
  private chunks: AsyncGenerator<Buffer> | undefined;
  private queue: Normalised[] = [];
  private qpos = 0;
  private firstOfFile = true;
  private readonly splitter: LineSplitter;
  /** The global index of the next line. */
  line = 0;

  constructor(
    private readonly files: readonly InputFile[],
    /** Drops repeats within the input (`--remove-duplicates`). */
    private readonly seen?: HashSet128,
  ) {
    this.splitter = new LineSplitter((buf, start, end, tooLong) => {
      this.queue.push(normaliseLine(buf, start, end, this.firstOfFile, tooLong));
      this.firstOfFile = false;
    }, MAX_RAW_LINE_BYTES);
  }

  /** The next unit of at most `maxSerials` serials, ending at `stopLine` at the latest. */
  async next(maxSerials: number, stopLine = Number.POSITIVE_INFINITY): Promise<Unit | undefined> {
    const unit: Unit = {
      fromLine: this.line,
      toLine: this.line,
      serials: [],
      blank: 0,
      rejected: 0,
      duplicates: 0,
    };
    while (unit.serials.length < maxSerials && this.line < stopLine) {
      if (this.qpos >= this.queue.length && !(await this.fill())) break;
      const r = this.queue[this.qpos++]!;
      this.line++;
      if (r.kind === 'blank') unit.blank++;
      else if (r.kind === 'rejected') unit.rejected++;
      else if (this.seen && !this.seen.add(r.value)) unit.duplicates++;
      else unit.serials.push(r.value);
    }
    unit.toLine = this.line;
    return unit.toLine === unit.fromLine ? undefined : unit;
  }

  /** Moves to `line` (a resume), reading and dropping what comes before. */
  async skipTo(line: number): Promise<void> {
    while (this.line < line && (await this.next(100_000, line))) {
      // the duplicate filter still sees every serial skipped
    }
  }

  /** Reads on until the queue holds lines; false at the end of the last file. */
  private async fill(): Promise<boolean> {
    this.queue = [];
    this.qpos = 0;
    while (this.queue.length === 0) {
      if (!this.chunks) {
        const f = this.files[++this.fileIndex];
        if (!f) return false;
        this.firstOfFile = true;
        this.chunks = readChunks(f.readPath);
      }
      const r = await this.chunks.next();
      if (r.done) {
        this.splitter.end();
        this.chunks = undefined;
      } else {
        this.splitter.push(r.value);
      }
    }
    return true;
  }

  close(): void {
    void this.chunks?.return(undefined);
    this.chunks = undefined;
  }
}
