// The serial pool: the one data structure whose speed matters.
//
// A stock add must cost in proportion to its batch, not to the pool: items
// live in an append-only array, membership in a Set (plus a count of extra
// copies for pools stored without duplicate removal), so a duplicate check is
// O(1) and nothing ever scans or copies the pool on an add. Sales take from
// the front by moving `head`; the dead prefix is dropped once it is at least
// half the array, so compaction is amortised O(1) per sold serial.

/** Per-request parsing of a `stock` string (docs/sandbox.md: line endings, blanks, spaces). */
export interface ParsedStock {
  /** Serials in request order, at most `maxLines` of them. */
  serials: string[];
  /** More non-blank lines followed the first `maxLines`; they were not considered. */
  truncated: boolean;
}

const SPACE = 32;
const TAB = 9;

/**
 * Splits on `\n`; strips one trailing `\r`, then surrounding spaces and tabs;
 * skips blank lines; removes a byte-order mark at the very start. Only
 * non-blank lines count toward `maxLines`.
 */
export function parseStock(text: string, maxLines: number): ParsedStock {
  const serials: string[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    let a = start;
    let b = end;
    if (b > a && text.charCodeAt(b - 1) === 13) b--;
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    if (b > a) {
      if (serials.length >= maxLines) return { serials, truncated: true };
      serials.push(text.slice(a, b));
    }
    start = end + 1;
  }
  return { serials, truncated: false };
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export interface AddResult {
  added: number;
  /** Some serials that would have been stored were refused because the pool was full. */
  capped: boolean;
}

export class SerialPool {
  private items: string[] = [];
  private head = 0;
  private readonly present = new Set<string>();
  /** Extra copies of a serial, only for pools filled without duplicate removal. */
  private readonly extra = new Map<string, number>();

  constructor(items: readonly string[] = []) {
    for (const s of items) this.push(s);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  has(serial: string): boolean {
    return this.present.has(serial);
  }

  /**
   * Appends `serials` in order. With `dedup`, a serial already in the pool
   * (or earlier in this batch) is dropped. Once the pool holds `max` items,
   * every further serial that would have been stored is refused: `capped`.
   */
  add(serials: readonly string[], dedup: boolean, max: number): AddResult {
    let added = 0;
    let capped = false;
    const present = this.present;
    for (const s of serials) {
      if (this.items.length - this.head >= max) {
        if (!(dedup && present.has(s))) capped = true;
        continue;
      }
      if (dedup) {
        // One hash operation per serial: add, and see whether the set grew.
        const before = present.size;
        present.add(s);
        if (present.size === before) continue;
        this.items.push(s);
      } else this.push(s);
      added++;
    }
    return { added, capped };
  }

  /** The first `n` serials; with `remove` they leave the pool (a sale with removeSold). */
  take(n: number, remove: boolean): string[] {
    const out = this.items.slice(this.head, this.head + n);
    if (!remove) return out;
    for (const s of out) this.forget(s);
    this.head += out.length;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Every serial in insertion order; O(pool), for GET and for saving. */
  list(): string[] {
    return this.items.slice(this.head);
  }

  private push(s: string): void {
    if (this.present.has(s)) this.extra.set(s, (this.extra.get(s) ?? 0) + 1);
    else this.present.add(s);
    this.items.push(s);
  }

  private forget(s: string): void {
    const copies = this.extra.get(s);
    if (copies === undefined) this.present.delete(s);
    else if (copies <= 1) this.extra.delete(s);
    else this.extra.set(s, copies - 1);
  }
}
