// Reading a pool back without holding it: the body of GET /warehouses/:id (or
// /products/:id) is scanned as it arrives (by a restock's reconcile, and item
// by item by `warehouses diff`), and of its item list only what a reconcile
// needs is kept: how often each serial of the batch occurs, the
// pool's size, and its newest items (the last `tailSize`). Memory is bounded
// by the batch, whatever the size of the pool.
//
// A read-back is a verdict on what was stored, so it counts only when the
// body is whole and well-formed: the scanner checks the JSON grammar as it
// goes (a streaming validator, not a parser: it decodes only the strings it
// keeps, the keys of the top-level object and the items of the one list
// asked for), and `finish()` checks that the top-level object closed with
// nothing but whitespace after it, that the list was there exactly once with
// only strings in it, and that it holds as many items as the body's count
// field says (`count`, a product's `stock`) when that is an integer. Anything
// else throws an UnusableAnswerError: a failed read, never a smaller pool.
import { UnusableAnswerError } from '../errors.js';

export interface PoolScan {
  /** Items in the pool. */
  size: number;
  /** Occurrences in the pool of each serial asked about. */
  counts: Map<string, number>;
  /** The last items, oldest first. */
  tail: string[];
  /** The item list was found in the body. */
  found: boolean;
  /** The pool's `removeSold` setting, when the body shows it (a warehouse's does). */
  removeSold?: boolean;
  /** A product's `warehouseId` as its body says it (null when it says null; absent: none). */
  warehouseId?: string | null;
  /** A product's `type`, when its body says it. */
  type?: string;
}

export interface PoolScanOptions {
  /** Told every item as it is read (`warehouses diff`). */
  onItem?: (item: string) => void;
  /** The top-level field holding the pool's size; when an integer, the list must hold that many. */
  countKey?: string;
  /** Names the answer in errors, e.g. `warehouse w1`. */
  what?: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_LIST = 91;
const CLOSE_LIST = 93;
const COMMA = 44;
const COLON = 58;
/** Longer strings are not kept (no serial is this long). */
const MAX_KEPT = 64 * 1024;
/** Deeper nesting is refused: the scanner's only per-level memory. */
const MAX_DEPTH = 512;
/** Longer count fields are not an integer worth comparing. */
const MAX_COUNT_TEXT = 32;

// What the scanner expects next.
const START = 0;
const KEY_OR_CLOSE = 1;
const KEY = 2;
const AFTER_KEY = 3;
const VALUE = 4;
const VALUE_OR_CLOSE = 5;
const AFTER_VALUE = 6;
const END = 7;
const STRING = 8;
const NUMBER = 9;
const LITERAL = 10;

// Number grammar: where in `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` it is.
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_E = 5;
const N_E_SIGN = 6;
const N_EXP = 7;
const N_FINAL = [false, true, true, false, true, false, false, true];

const OBJECT = 1;
const LIST = 2;

const isDigit = (b: number) => b >= 48 && b <= 57;
const isHex = (b: number) => isDigit(b) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;
/** `"` `\` `/` `b` `f` `n` `r` `t`: the one-letter escapes. */
const SIMPLE_ESCAPES = new Set([34, 92, 47, 98, 102, 110, 114, 116]);

function numberStep(state: number, b: number): number {
  const digit = isDigit(b);
  const exp = b === 101 || b === 69;
  switch (state) {
    case N_MINUS:
      return b === 48 ? N_ZERO : digit ? N_INT : -1;
    case N_ZERO:
      return b === 46 ? N_DOT : exp ? N_E : -1;
    case N_INT:
      return digit ? N_INT : b === 46 ? N_DOT : exp ? N_E : -1;
    case N_DOT:
      return digit ? N_FRAC : -1;
    case N_FRAC:
      return digit ? N_FRAC : exp ? N_E : -1;
    case N_E:
      return digit ? N_EXP : b === 43 || b === 45 ? N_E_SIGN : -1;
    default: // N_E_SIGN, N_EXP
      return digit ? N_EXP : -1;
  }
}

export class PoolScanner {
  private mode = START;
  /** Containers open, OBJECT or LIST each; `depth` of them. */
  private readonly stack = new Uint8Array(MAX_DEPTH + 1);
  private depth = 0;
  /** Bytes before the current chunk: positions in errors. */
  private offset = 0;
  // A string: a key (then a ':' follows), kept (`parts`) or skipped.
  private stringIsKey = false;
  private escaped = false;
  private hexLeft = 0;
  /** Bytes of the string being kept, or undefined when it is skipped. */
  private parts: Buffer[] | undefined;
  /** The one array `parts` is when a string is kept (a pool of millions: no array an item). */
  private readonly keptParts: Buffer[] = [];
  private partsLen = 0;
  private hasEscape = false;
  // A number, and whether it is the count field's (its text kept).
  private numberState = N_MINUS;
  private countText: string | undefined;
  // A literal: true, false or null.
  private literal = '';
  private literalAt = 0;
  /** The last key of the top-level object. */
  private lastKey: string | undefined;
  /** The string being read is the value of this top-level field (kept for the result). */
  private field: 'warehouseId' | 'type' | undefined;
  /** The list's own level while it is open; 0 otherwise. */
  private listDepth = 0;
  private countSeen = false;
  /** The count field's value, when an integer. */
  private declared: number | undefined;
  private readonly onItem: ((item: string) => void) | undefined;
  private readonly filter: ByteFilter | undefined;
  private readonly countKey: string | undefined;
  private readonly what: string;
  readonly result: PoolScan;

  constructor(
    private readonly listKey: string,
    wanted: Iterable<string>,
    private readonly tailSize: number,
    options: PoolScanOptions = {},
  ) {
    this.onItem = options.onItem;
    this.countKey = options.countKey;
    this.what = options.what ?? 'the pool';
    this.result = { size: 0, counts: new Map(), tail: [], found: false };
    for (const s of wanted) this.result.counts.set(s, 0);
    // Only counts are asked for: an item that cannot be one of the serials is not decoded.
    if (!this.onItem && tailSize === 0) this.filter = ByteFilter.of(this.result.counts.keys());
  }

  push(chunk: Buffer): void {
    // Where the kept string began in this chunk: a string kept across chunks goes on at 0.
    let start = this.mode === STRING && this.parts ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      let b = chunk[i]!;
      if (this.mode === STRING) {
        if (!this.escaped && this.hexLeft === 0) {
          // The plain run of a string, in a tight loop (most of a pool's bytes).
          while (b !== QUOTE && b !== BACKSLASH && b >= 32 && ++i < n) b = chunk[i]!;
          if (i === n) break;
        }
        if (this.hexLeft > 0) {
          if (!isHex(b)) this.fail('a \\u escape without four hex digits', i);
          this.hexLeft--;
        } else if (this.escaped) {
          this.escaped = false;
          if (b === 117) this.hexLeft = 4;
          else if (!SIMPLE_ESCAPES.has(b)) this.fail('an unknown escape in a string', i);
        } else if (b === BACKSLASH) {
          this.escaped = true;
          this.hasEscape = true;
        } else if (b === QUOTE) {
          if (this.parts) {
            // Most strings begin and end in one chunk: decoded in one step.
            if (this.partsLen === 0 && start >= 0) {
              if (this.surelyUnwanted(chunk, start, i)) this.skipItem();
              else this.endString(chunk.toString('utf8', start, i));
            } else {
              if (start >= 0) this.keep(chunk.subarray(start, i));
              this.endString();
            }
          } else this.endString('');
          start = -1;
        } else if (b < 32) this.fail('a control character in a string', i);
        continue;
      }
      if (this.mode === NUMBER) {
        const next = numberStep(this.numberState, b);
        if (next >= 0) {
          this.numberState = next;
          if (this.countText !== undefined && this.countText.length < MAX_COUNT_TEXT)
            this.countText += String.fromCharCode(b);
          else this.countText = undefined;
          continue;
        }
        if (!N_FINAL[this.numberState]) this.fail('a number cut short', i);
        this.endNumber();
        // The byte after a number is read as what follows a value.
      } else if (this.mode === LITERAL) {
        if (b !== this.literal.charCodeAt(this.literalAt)) this.fail('an unknown word', i);
        if (++this.literalAt === this.literal.length) this.mode = AFTER_VALUE;
        continue;
      }
      if (isSpace(b)) continue;
      switch (this.mode) {
        case START:
          if (b !== OPEN_OBJECT) this.fail('not a JSON object', i);
          this.open(OBJECT, i);
          break;
        case KEY_OR_CLOSE:
        case KEY:
          if (b === CLOSE_OBJECT && this.mode === KEY_OR_CLOSE) this.close();
          else if (b === QUOTE) {
            start = this.startString(true, i);
          } else this.fail('a key expected', i);
          break;
        case AFTER_KEY:
          if (b !== COLON) this.fail("a ':' expected after a key", i);
          this.mode = VALUE;
          break;
        case VALUE_OR_CLOSE:
        case VALUE:
          if (b === CLOSE_LIST && this.mode === VALUE_OR_CLOSE) this.close();
          else start = this.startValue(b, i);
          break;
        case AFTER_VALUE:
          if (b === COMMA) this.mode = this.stack[this.depth] === OBJECT ? KEY : VALUE;
          else if (b === (this.stack[this.depth] === OBJECT ? CLOSE_OBJECT : CLOSE_LIST))
            this.close();
          else this.fail("a ',' or the end of a list or object expected", i);
          break;
        default: // END
          this.fail('data after the end of the JSON', i);
      }
    }
    if (this.mode === STRING && this.parts && start >= 0) this.keep(chunk.subarray(start));
    this.offset += chunk.length;
  }

  /** Where a value starts; returns where a kept string's text starts, or -1. */
  private startValue(b: number, i: number): number {
    const inList = this.listDepth > 0 && this.depth === this.listDepth;
    if (inList && b !== QUOTE) this.fail('an item of the list is not a string', i);
    let listStarts = false;
    if (this.depth === 1) {
      // A value of the top-level object: the list, or the count?
      const key = this.lastKey;
      if (key === this.listKey) {
        if (this.result.found) this.fail(`"${key}" appears twice`, i);
        if (b !== OPEN_LIST) this.fail(`"${key}" is not a list`, i);
        listStarts = true;
      } else if (key === this.countKey) {
        if (this.countSeen) this.fail(`"${key}" appears twice`, i);
        this.countSeen = true;
      } else if (key === 'removeSold' && (b === 116 || b === 102)) {
        // true or false, told by its first byte; the rest of the word is checked as it comes.
        this.result.removeSold = b === 116;
      } else if (key === 'warehouseId' || key === 'type') {
        if (b === 110 && key === 'warehouseId') this.result.warehouseId = null;
        else if (b === QUOTE) {
          this.field = key;
          return this.startString(true, i);
        }
      }
    }
    if (b === QUOTE) return this.startString(false, i, inList);
    if (b === OPEN_OBJECT) this.open(OBJECT, i);
    else if (b === OPEN_LIST) {
      this.open(LIST, i);
      if (listStarts) {
        this.listDepth = this.depth;
        this.result.found = true;
      }
    } else if (b === 45 || isDigit(b)) {
      this.mode = NUMBER;
      this.numberState = b === 45 ? N_MINUS : b === 48 ? N_ZERO : N_INT;
      const counted = this.depth === 1 && this.countKey !== undefined;
      this.countText =
        counted && this.lastKey === this.countKey ? String.fromCharCode(b) : undefined;
    } else if (b === 116 || b === 102 || b === 110) {
      this.mode = LITERAL;
      this.literal = b === 116 ? 'true' : b === 102 ? 'false' : 'null';
      this.literalAt = 1;
    } else this.fail('a value expected', i);
    return -1;
  }

  private startString(isKey: boolean, i: number, item = false): number {
    this.mode = STRING;
    this.stringIsKey = isKey;
    this.hasEscape = false;
    this.escaped = false;
    this.hexLeft = 0;
    if ((isKey && this.depth === 1) || item) {
      this.keptParts.length = 0;
      this.parts = this.keptParts;
      this.partsLen = 0;
      return i + 1;
    }
    this.parts = undefined;
    return -1;
  }

  private open(kind: number, i: number): void {
    if (this.depth === MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`, i);
    this.stack[++this.depth] = kind;
    this.mode = kind === OBJECT ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
  }

  private close(): void {
    if (this.depth === this.listDepth) this.listDepth = 0;
    this.depth--;
    this.mode = this.depth === 0 ? END : AFTER_VALUE;
  }

  private endNumber(): void {
    this.mode = AFTER_VALUE;
    if (this.countText === undefined) return;
    const n = Number(this.countText);
    if (Number.isSafeInteger(n)) this.declared = n;
    this.countText = undefined;
  }

  private keep(bytes: Buffer): void {
    if (this.partsLen + bytes.length > MAX_KEPT) {
      this.keptParts.length = 0;
      this.partsLen = Number.POSITIVE_INFINITY;
      return;
    }
    this.parts!.push(Buffer.from(bytes));
    this.partsLen += bytes.length;
  }

  /** An item (no escape in it) whose bytes are none of the serials asked about. */
  private surelyUnwanted(chunk: Buffer, start: number, end: number): boolean {
    return (
      this.filter !== undefined &&
      !this.stringIsKey &&
      !this.hasEscape &&
      !this.filter.mayHold(chunk, start, end)
    );
  }

  /** An item counted in the pool's size, and nothing else asked of it. */
  private skipItem(): void {
    this.parts = undefined;
    this.keptParts.length = 0;
    this.mode = AFTER_VALUE;
    this.result.size++;
  }

  private endString(whole?: string): void {
    const kept = this.parts !== undefined;
    const tooLong = whole === undefined && this.partsLen === Number.POSITIVE_INFINITY;
    const raw = whole ?? (tooLong ? '' : Buffer.concat(this.parts!).toString('utf8'));
    this.parts = undefined;
    this.keptParts.length = 0;
    if (this.field) {
      this.result[this.field] =
        this.hasEscape && !tooLong ? (JSON.parse(`"${raw}"`) as string) : raw;
      this.field = undefined;
      this.stringIsKey = false;
      this.mode = AFTER_VALUE;
      return;
    }
    if (this.stringIsKey) {
      this.mode = AFTER_KEY;
      if (kept)
        this.lastKey = this.hasEscape && !tooLong ? (JSON.parse(`"${raw}"`) as string) : raw;
      return;
    }
    this.mode = AFTER_VALUE;
    if (!kept) return;
    const text = this.hasEscape && !tooLong ? (JSON.parse(`"${raw}"`) as string) : raw;
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

  /**
   * The scan, once the body has ended; throws an UnusableAnswerError unless
   * the body was whole and well-formed, held the list once, and (with a
   * count field) as many items as it says.
   */
  finish(): PoolScan {
    const r = this.result;
    if (this.mode !== END) this.fail(`it ended early, ${this.where()}`);
    if (!r.found) {
      throw new UnusableAnswerError(`the service did not list the pool's items for ${this.what}`);
    }
    if (this.declared !== undefined && this.declared !== r.size) {
      this.fail(
        `it lists ${r.size.toLocaleString('en-US')} items but its "${this.countKey}" says ${this.declared.toLocaleString('en-US')}`,
      );
    }
    if (r.tail.length > this.tailSize) r.tail.splice(0, r.tail.length - this.tailSize);
    return r;
  }

  /** Where a body that ended early stopped. */
  private where(): string {
    const items = `after ${this.result.size.toLocaleString('en-US')} items`;
    if (this.offset === 0) return 'before its first byte';
    if (this.listDepth > 0) {
      if (this.depth === this.listDepth && this.mode === STRING) return `inside an item (${items})`;
      return `inside the list (${items})`;
    }
    return this.result.found ? `after the list (${items})` : 'before the list';
  }

  private fail(reason: string, at?: number): never {
    const where = at === undefined ? '' : ` (byte ${(this.offset + at).toLocaleString('en-US')})`;
    throw new UnusableAnswerError(
      `the service's answer for ${this.what} is cut off or malformed (${reason}${where}); not used`,
    );
  }
}

/**
 * A bit per hash of the UTF-8 bytes of the serials asked about. A large pool
 * is mostly other serials: decoding each to look it up was a string per item
 * (5,000,000 of them in a full pool's read-back), enough to grow V8's young
 * generation to its largest. An item whose bit is clear is none of them
 * (equal bytes hash alike: no serial asked about is missed); a set bit only
 * means the item is decoded and looked up. An item holding an escape is
 * always decoded, as its bytes are not its text's.
 */
class ByteFilter {
  private constructor(
    private readonly bits: Uint8Array,
    private readonly mask: number,
  ) {}

  static of(serials: Iterable<string>): ByteFilter {
    const list = [...serials];
    // About 16 bits a serial: a few percent of other items are decoded needlessly.
    let size = 1024;
    while (size < list.length * 16) size *= 2;
    const f = new ByteFilter(new Uint8Array(size / 8), size - 1);
    for (const s of list) {
      const b = Buffer.from(s, 'utf8');
      const h = fnv1a(b, 0, b.length) & f.mask;
      f.bits[h >>> 3]! |= 1 << (h & 7);
    }
    return f;
  }

  mayHold(buf: Buffer, start: number, end: number): boolean {
    const h = fnv1a(buf, start, end) & this.mask;
    return (this.bits[h >>> 3]! & (1 << (h & 7))) !== 0;
  }
}

/** FNV-1a, 32 bits, over `buf[start, end)`. */
function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}
