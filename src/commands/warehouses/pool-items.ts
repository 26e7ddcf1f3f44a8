// Each item of a pool as the body of GET /warehouses/:id arrives, without
// holding the body or the list: the same byte scanner as the restock
// engine's PoolScanner (src/restock/pool-scan.ts), but handing every item of
// the list to a callback instead of counting a wanted few. It tracks nesting
// and strings, and decodes only the strings it hands over (the top-level
// keys, to find the list, and the list's items).

const QUOTE = 34;
const BACKSLASH = 92;
/** Longer strings are not kept (no serial is this long): handed over as ''. */
const MAX_KEPT = 64 * 1024;

export class PoolItems {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] | undefined;
  private partsLen = 0;
  private hasEscape = false;
  private lastKey: string | undefined;
  private expectKey = false;
  private inList = false;
  /** The item list was found in the body. */
  found = false;
  /** Items handed over. */
  size = 0;

  constructor(
    private readonly listKey: string,
    private readonly onItem: (serial: string) => void,
  ) {}

  push(chunk: Buffer): void {
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
            if (start >= 0) this.keep(chunk.subarray(start, i));
            this.endString();
          }
          start = -1;
        }
        continue;
      }
      switch (b) {
        case QUOTE:
          this.inString = true;
          this.hasEscape = false;
          if ((this.depth === 1 && this.expectKey) || (this.inList && this.depth === 2)) {
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
            this.found = true;
          }
          this.expectKey = b === 123 && this.depth === 1;
          break;
        case 125: // }
        case 93: // ]
          if (this.inList && this.depth === 2) this.inList = false;
          this.depth--;
          break;
        case 44: // ,
          if (this.depth === 1) this.expectKey = true;
          break;
        case 58: // :
          if (this.depth === 1) this.expectKey = false;
          break;
        default:
          if (this.depth === 1 && b > 32 && !this.expectKey) this.lastKey = undefined;
      }
    }
    if (this.inString && this.parts && start >= 0) this.keep(chunk.subarray(start));
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

  private endString(): void {
    const tooLong = this.partsLen === Number.POSITIVE_INFINITY;
    const raw = tooLong ? '' : Buffer.concat(this.parts!).toString('utf8');
    this.parts = undefined;
    const text = this.hasEscape && !tooLong ? (JSON.parse(`"${raw}"`) as string) : raw;
    if (this.depth === 1 && this.expectKey) {
      this.lastKey = text;
      return;
    }
    this.size++;
    this.onItem(text);
  }
}
