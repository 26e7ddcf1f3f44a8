// Reading a pool back without holding it: the body of GET /warehouses/:id (or
// /products/:id) is scanned as it arrives (by a restock's reconcile, and item
// by item by `warehouses diff`), and of its item list only what a reconcile
// needs is kept: how often each serial of the batch occurs, the
// pool's size, and its newest items (the last `tailSize`). Memory is bounded
// by the batch, whatever the size of the pool.
//
// A small JSON scanner, not a parser: it tracks nesting and strings, and
// decodes only the strings it keeps (keys of the top-level object and the
// items of the one array asked for).

export interface PoolScan {
  /** Items in the pool. */
  size: number;
  /** Occurrences in the pool of each serial asked about. */
  counts: Map<string, number>;
  /** The last items, oldest first. */
  tail: string[];
  /** The item list was found in the body. */
  found: boolean;
}

const QUOTE = 34;
const BACKSLASH = 92;
/** Longer strings are not kept (no serial is this long). */
const MAX_KEPT = 64 * 1024;

export class PoolScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the string being kept, or undefined when it is skipped. */
  private parts: Buffer[] | undefined;
  private partsLen = 0;
  private hasEscape = false;
  private lastKey: string | undefined;
  /** Depth-1 string that was a key, waiting for its ':' */
  private expectKey = false;
  private inList = false;
  private listDepth = -1;
  readonly result: PoolScan;

  constructor(
    private readonly listKey: string,
    wanted: Iterable<string>,
    private readonly tailSize: number,
    /** Also told every item as it is read (`warehouses diff`). */
    private readonly onItem?: (item: string) => void,
  ) {
    this.result = { size: 0, counts: new Map(), tail: [], found: false };
    for (const s of wanted) this.result.counts.set(s, 0);
  }

  push(chunk: Buffer): void {
    // Where the kept string began in this chunk: a string kept across chunks goes on at 0.
    let start = this.inString && this.parts ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) {
          this.escaped = true;
          this.hasEscape = true;
        } else if (b === QUOTE) {
          this.inString = false;
          if (this.parts) {
            // Most strings begin and end in one chunk: decoded in one step.
            if (this.partsLen === 0 && start >= 0) this.endString(chunk.toString('utf8', start, i));
            else {
              if (start >= 0) this.keep(chunk.subarray(start, i));
              this.endString();
            }
          }
          start = -1;
        }
        continue;
      }
      switch (b) {
        case QUOTE:
          this.inString = true;
          this.hasEscape = false;
          if (this.wantString()) {
            this.parts = [];
            this.partsLen = 0;
            start = i + 1;
          } else this.parts = undefined;
          break;
        case 123: // {
        case 91: // [
          this.depth++;
          if (b === 91 && this.depth === 2 && this.lastKey === this.listKey) {
            this.inList = true;
            this.listDepth = this.depth;
            this.result.found = true;
          }
          this.expectKey = b === 123 && this.depth === 1;
          break;
        case 125: // }
        case 93: // ]
          if (this.inList && this.depth === this.listDepth) this.inList = false;
          this.depth--;
          break;
        case 44: // ,
          if (this.depth === 1) this.expectKey = true;
          break;
        case 58: // :
          if (this.depth === 1) this.expectKey = false;
          break;
        default:
          // A non-string value at depth 1 resets the last key.
          if (this.depth === 1 && b > 32 && !this.expectKey) this.lastKey = undefined;
      }
    }
    if (this.inString && this.parts && start >= 0) this.keep(chunk.subarray(start));
  }

  private wantString(): boolean {
    return (this.depth === 1 && this.expectKey) || (this.inList && this.depth === this.listDepth);
  }

  private keep(bytes: Buffer): void {
    if (this.partsLen + bytes.length > MAX_KEPT) {
      this.parts = [];
      this.partsLen = Number.POSITIVE_INFINITY;
      return;
    }
    this.parts!.push(Buffer.from(bytes));
    this.partsLen += bytes.length;
  }

  private endString(whole?: string): void {
    const tooLong = whole === undefined && this.partsLen === Number.POSITIVE_INFINITY;
    const raw = whole ?? (tooLong ? '' : Buffer.concat(this.parts!).toString('utf8'));
    this.parts = undefined;
    const text = this.hasEscape && !tooLong ? (JSON.parse(`"${raw}"`) as string) : raw;
    if (this.depth === 1 && this.expectKey) {
      this.lastKey = text;
      return;
    }
    const r = this.result;
    r.size++;
    this.onItem?.(text);
    const n = r.counts.get(text);
    if (n !== undefined) r.counts.set(text, n + 1);
    if (this.tailSize > 0) {
      r.tail.push(text);
      if (r.tail.length > 2 * this.tailSize) r.tail.splice(0, r.tail.length - this.tailSize);
    }
  }

  finish(): PoolScan {
    const r = this.result;
    if (r.tail.length > this.tailSize) r.tail.splice(0, r.tail.length - this.tailSize);
    return r;
  }
}
