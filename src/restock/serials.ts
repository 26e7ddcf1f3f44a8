// A unit's serials, packed: their UTF-8 bytes one after another in one
// buffer, and where each ends. A restock moves millions of serials; held as
// strings, each was a heap object that outlived a minor collection (a batch
// lives until its answer), so V8's young generation grew to its largest and
// the old generation filled with serials: ~35 MB of a 1M restock's peak.
// Packed, a batch of 100,000 is two buffers outside the JavaScript heap, its
// request body is copied from them, and the lists are written from them. A
// serial becomes a string only where one is compared (a read-back, a held
// key) or asked for (`at`, iteration); such strings die young.

/** Serials as the engine passes them on: packed, or the few strings a read-back named. */
export type SerialList = Serials | readonly string[];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export class Serials implements Iterable<string> {
  private bytes: Buffer;
  /** ends[i]: where serial i's bytes end (serial 0 starts at 0). */
  private ends: Uint32Array;
  private count = 0;

  constructor(capacity = 16, byteCapacity = capacity * 24) {
    this.ends = new Uint32Array(Math.max(1, capacity));
    this.bytes = Buffer.allocUnsafe(Math.max(16, byteCapacity));
  }

  /** Packs `list` (tests, and the few callers holding strings). */
  static of(list: Iterable<string>): Serials {
    const out = new Serials();
    for (const s of list) out.pushString(s);
    return out;
  }

  get length(): number {
    return this.count;
  }

  /** Bytes of all the serials, without separators. */
  get byteLength(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1]!;
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  /** Appends the serial whose UTF-8 bytes are `buf[start, end)`. */
  push(buf: Uint8Array, start: number, end: number): void {
    const at = this.byteLength;
    this.room(end - start);
    copy(buf, start, end, this.bytes, at);
    this.ends[this.count++] = at + end - start;
  }

  pushString(s: string): void {
    const at = this.byteLength;
    this.room(Buffer.byteLength(s));
    this.ends[this.count++] = at + this.bytes.write(s, at, 'utf8');
  }

  /** Appends serial `i` of `from`. */
  pushFrom(from: Serials, i: number): void {
    this.push(from.bytes, from.start(i), from.ends[i]!);
  }

  private room(n: number): void {
    if (this.count === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    const need = this.byteLength + n;
    if (need > this.bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(bytes, 0, 0, this.byteLength);
      this.bytes = bytes;
    }
  }

  /** Empties the list, keeping its buffers for the next unit. */
  clear(): void {
    this.count = 0;
  }

  at(i: number): string {
    return this.bytes.toString('utf8', this.start(i), this.ends[i]!);
  }

  /** Serials [from, to) as strings. */
  slice(from = 0, to = this.count): string[] {
    const out: string[] = [];
    for (let i = from; i < Math.min(to, this.count); i++) out.push(this.at(i));
    return out;
  }

  /** The serials at `positions`, in that order, packed. */
  pick(positions: readonly number[]): Serials {
    const out = new Serials(positions.length, 0);
    for (const i of positions) out.pushFrom(this, i);
    return out;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /**
   * Writes the serials into `out` at `at` as they go between the quotes of a
   * JSON string, joined by `\n` (escaped, as JSON.stringify would); returns
   * where it ended. The input check rejects control characters, so only `"`
   * and `\` need escaping. `out` needs `jsonLength()` bytes.
   */
  writeJson(out: Buffer, at: number): number {
    const b = this.bytes;
    let from = 0;
    for (let i = 0; i < this.count; i++) {
      if (i > 0) {
        out[at++] = BACKSLASH;
        out[at++] = 0x6e; // n
      }
      const to = this.ends[i]!;
      for (let k = from; k < to; k++) {
        const c = b[k]!;
        if (c === QUOTE || c === BACKSLASH) out[at++] = BACKSLASH;
        out[at++] = c;
      }
      from = to;
    }
    return at;
  }

  /** The bytes writeJson writes. */
  jsonLength(): number {
    const b = this.bytes;
    let n = this.byteLength + 2 * Math.max(0, this.count - 1);
    for (let k = 0; k < this.byteLength; k++) if (b[k] === QUOTE || b[k] === BACKSLASH) n++;
    return n;
  }

  /**
   * Serials [from, to) as lines (each followed by `\n`) into `out` at `at`,
   * as many as fit; returns [the next serial, where the bytes ended].
   */
  writeLines(from: number, to: number, out: Buffer, at: number): [number, number] {
    let i = from;
    for (; i < to; i++) {
      const s = this.start(i);
      const e = this.ends[i]!;
      if (at + e - s + 1 > out.length) break;
      copy(this.bytes, s, e, out, at);
      at += e - s;
      out[at++] = NEWLINE;
    }
    return [i, at];
  }

  /** The bytes of serial `i` plus a newline (a serial too long for a list's buffer). */
  line(i: number): Buffer {
    const s = this.start(i);
    const e = this.ends[i]!;
    const out = Buffer.allocUnsafe(e - s + 1);
    copy(this.bytes, s, e, out, 0);
    out[e - s] = NEWLINE;
    return out;
  }
}

/**
 * `src[start, end)` into `dst` at `at`. A serial is a few dozen bytes: a loop
 * allocates nothing, where Buffer#copy and subarray make a view object per
 * call (two a serial, millions a run: what kept V8's young generation busy).
 */
function copy(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): void {
  if (end - start > 64) {
    dst.set(src.subarray(start, end), at);
    return;
  }
  for (let k = start; k < end; k++) dst[at++] = src[k]!;
}
