// In-input duplicate detection with memory bounded per distinct serial: each
// serial is reduced to a 128-bit hash kept in an open-addressing table of
// 32-bit words (4 words, 16 bytes, a slot; at most three quarters full, the
// table doubling as it fills), i.e. 21–43 bytes of table per distinct serial
// (10M distinct serials: a 256 MiB table), and no string is retained.
// At 128 bits a false "duplicate" among 10^9 serials has odds below 10^-20.

/** MurmurHash3 x86_128 over the UTF-16 code units of `s`, into `out[0..3]`. */
export function hash128(s: string, out: Uint32Array): void {
  let h1 = 0x9747b28c;
  let h2 = 0x85ebca6b;
  let h3 = 0xc2b2ae35;
  let h4 = 0x27d4eb2f;
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  const n = s.length;
  // Two code units per 32-bit lane, four lanes a round.
  let i = 0;
  const word = (j: number) =>
    (j < n ? s.charCodeAt(j) : 0) | ((j + 1 < n ? s.charCodeAt(j + 1) : 0) << 16);
  for (; i < n; i += 8) {
    let k1 = word(i);
    let k2 = word(i + 2);
    let k3 = word(i + 4);
    let k4 = word(i + 6);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = (h3 << 15) | (h3 >>> 17);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = (h4 << 13) | (h4 >>> 19);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  // Never all zero: zero marks an empty slot.
  out[3] = h4 | 1;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Keys as a restock asks about them: a Set<string>, or a HashSet128 when they may be many. */
export interface KeySet {
  has(s: string): boolean;
  add(s: string): unknown;
  readonly size: number;
}

export class HashSet128 {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private readonly h = new Uint32Array(4);

  constructor(initialSlots = 1024) {
    let slots = 16;
    while (slots < initialSlots) slots *= 2;
    this.table = new Uint32Array(slots * 4);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `s`; false when it was already there. */
  add(s: string): boolean {
    hash128(s, this.h);
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    return this.insert(this.h[0]!, this.h[1]!, this.h[2]!, this.h[3]!);
  }

  has(s: string): boolean {
    hash128(s, this.h);
    const t = this.table;
    let i = this.h[0]! & this.mask;
    for (;;) {
      const o = i * 4;
      if (t[o + 3] === 0) return false;
      if (
        t[o] === this.h[0] &&
        t[o + 1] === this.h[1] &&
        t[o + 2] === this.h[2] &&
        t[o + 3] === this.h[3]
      ) {
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  private insert(a: number, b: number, c: number, d: number): boolean {
    const t = this.table;
    let i = a & this.mask;
    for (;;) {
      const o = i * 4;
      if (t[o + 3] === 0) {
        t[o] = a;
        t[o + 1] = b;
        t[o + 2] = c;
        t[o + 3] = d;
        this.count++;
        return true;
      }
      if (t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = this.table.length / 4 - 1;
    this.count = 0;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 3] !== 0) this.insert(old[o]!, old[o + 1]!, old[o + 2]!, old[o + 3]!);
    }
  }
}
