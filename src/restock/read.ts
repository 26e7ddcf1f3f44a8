// Reading the checked input back as units: runs of input lines holding at
// most a batch of normalised serials, numbered across all files from 0.
// Memory: one block of the file and one unit at a time; a unit's serials are
// packed bytes (serials.ts), a line is never an object of its own.
//
// Every block is verified against the hash taken at the check before any
// line of it is used (chunks.ts). When an input changed, the reader hands
// out the lines read before the change (as a last, shorter unit) and then
// throws InputChangedError on every call: nothing of the changed part is
// ever sent, nor written to a list as if it were the input.
import { InputChangedError } from '../errors.js';
import { BlockChanged, readPinned } from './chunks.js';
import type { HashSet128 } from './hashset.js';
import { displayName, type InputFile } from './input.js';
import { BLANK_LINE, MAX_RAW_LINE_BYTES, SERIAL_LINE, serialSpan } from './normalize.js';
import { Serials } from './serials.js';
import { LineSplitter } from './splitter.js';

/** Input lines [fromLine, toLine) and what they held. */
export interface Unit {
  fromLine: number;
  toLine: number;
  serials: Serials;
  blank: number;
  rejected: number;
  /** Repeats of a serial met earlier in the input (only with a duplicate filter). */
  duplicates: number;
}

const n = (v: number) => v.toLocaleString('en-US');

export class UnitReader {
  private fileIndex = -1;
  private chunks: AsyncGenerator<Buffer> | undefined;
  /** The input that changed (its index), once a block failed its check. */
  private changed: { file: number; reason: BlockChanged['reason'] } | undefined;
  private failure: InputChangedError | undefined;
  /** Lines below this are settled (a resume skips them): never named as not sent. */
  private floor = 0;
  /** The kind of each line of the current block: SERIAL_LINE, BLANK_LINE or REJECTED_LINE. */
  private kinds = new Uint8Array(4096);
  private qlen = 0;
  private qpos = 0;
  /** The block's serials, in order: copied, as the block's buffer is reused. */
  private queued = new Serials(4096);
  private qserial = 0;
  /** A released unit's list, for the next unit. */
  private spare: Serials | undefined;
  private readonly span = { start: 0, end: 0 };
  /** Lines in all the files, as counted at the check. */
  private readonly total: number;
  private firstOfFile = true;
  private readonly splitter: LineSplitter;
  /** The global index of the next line. */
  line = 0;

  constructor(
    private readonly files: readonly InputFile[],
    /** Drops repeats within the input (`--remove-duplicates`). */
    private readonly seen?: HashSet128,
  ) {
    this.total = files.reduce((a, f) => a + f.lines, 0);
    this.splitter = new LineSplitter((buf, start, end, tooLong) => {
      const kind = serialSpan(buf, start, end, this.firstOfFile, tooLong, this.span);
      this.firstOfFile = false;
      if (this.qlen === this.kinds.length) {
        const kinds = new Uint8Array(this.kinds.length * 2);
        kinds.set(this.kinds);
        this.kinds = kinds;
      }
      this.kinds[this.qlen++] = kind;
      if (kind === SERIAL_LINE) this.queued.push(buf, this.span.start, this.span.end);
    }, MAX_RAW_LINE_BYTES);
  }

  /** The next unit of at most `maxSerials` serials, ending at `stopLine` at the latest. */
  async next(maxSerials: number, stopLine = Number.POSITIVE_INFINITY): Promise<Unit | undefined> {
    if (this.failure) throw this.failure;
    // Sized once for the lines left (a large unit grown by push copies itself over and over).
    const room = Math.max(0, Math.min(maxSerials, stopLine - this.line, this.total - this.line));
    const serials = this.spare ?? new Serials(room);
    this.spare = undefined;
    serials.clear();
    const unit: Unit = {
      fromLine: this.line,
      toLine: this.line,
      serials,
      blank: 0,
      rejected: 0,
      duplicates: 0,
    };
    while (serials.length < maxSerials && this.line < stopLine) {
      if (this.qpos >= this.qlen && !(await this.fill())) break;
      const kind = this.kinds[this.qpos++];
      this.line++;
      if (kind === BLANK_LINE) unit.blank++;
      else if (kind !== SERIAL_LINE) unit.rejected++;
      else {
        const k = this.qserial++;
        if (this.seen && !this.seen.add(this.queued.at(k))) unit.duplicates++;
        else serials.pushFrom(this.queued, k);
      }
    }
    unit.toLine = this.line;
    if (this.changed) {
      // A bounded read (a unit already sent, settled lines to skip) cannot end early.
      const partial = stopLine === Number.POSITIVE_INFINITY && unit.toLine > unit.fromLine;
      this.failure = this.changedError(partial ? unit.toLine : unit.fromLine);
      if (!partial) throw this.failure;
    }
    return unit.toLine === unit.fromLine ? undefined : unit;
  }

  /** The error naming the changed input and the first line neither read nor settled. */
  private changedError(at: number): InputChangedError {
    const line = Math.max(at, this.floor);
    const { file, reason } = this.changed!;
    const start = (i: number) => this.files.slice(0, i).reduce((a, f) => a + f.lines, 0);
    // In the changed file, or (a unit begun before it) an earlier one.
    let k = file;
    while (k > 0 && line < start(k)) k--;
    const name = displayName(this.files[file]!.name);
    const where =
      k === file
        ? `from line ${n(line - start(k) + 1)} on`
        : `from line ${n(line - start(k) + 1)} of ${displayName(this.files[k]!.name)} on`;
    const how =
      reason === 'longer'
        ? 'it grew after it was checked'
        : reason === 'shorter'
          ? 'it is shorter than when it was checked'
          : 'its content differs from what was checked';
    return new InputChangedError(
      `${name} changed during the restock (${where}; ${how}): the run stopped; lines before it were settled, none from there on was sent or listed in the unsent file`,
      line,
      name,
      { file: displayName(this.files[k]!.name), line: line - start(k) + 1 },
    );
  }

  /** The unit is settled and committed: nothing reads its serials again; its buffers hold the next unit's. */
  release(unit: Unit): void {
    this.spare = unit.serials;
    unit.serials = new Serials(0, 0);
  }

  /** Moves to `line` (a resume), reading and dropping what comes before. */
  async skipTo(line: number): Promise<void> {
    this.floor = line;
    while (this.line < line && (await this.next(10_000, line))) {
      // the duplicate filter still sees every serial skipped
    }
  }

  /** Reads on until the queue holds lines; false at the end of the last file. */
  private async fill(): Promise<boolean> {
    this.qlen = 0;
    this.qpos = 0;
    this.queued.clear();
    this.qserial = 0;
    while (this.qlen === 0) {
      if (!this.chunks) {
        const f = this.files[++this.fileIndex];
        if (!f) return false;
        this.firstOfFile = true;
        this.chunks = readPinned(f);
      }
      let r: IteratorResult<Buffer>;
      try {
        r = await this.chunks.next();
      } catch (error) {
        if (!(error instanceof BlockChanged)) throw error;
        // The lines of the blocks before it were handed out; a line begun in them is not.
        this.changed = { file: this.fileIndex, reason: error.reason };
        this.chunks = undefined;
        this.qlen = 0;
        return false;
      }
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
