// HashSet128 exactly: hash128's values (odd and even lengths around the
// 8-unit round), the growth point (three quarters full), and the probing
// with crafted hashes that share a slot or all but one word (the private
// insert is called directly: no two real serials are found that close).
import { describe, expect, it } from 'vitest';
import { HashSet128, hash128 } from '../../src/restock/hashset.js';

interface Internals {
  insert(a: number, b: number, c: number, d: number): boolean;
  mask: number;
  table: Uint32Array;
}
const inside = (s: HashSet128) => s as unknown as Internals;

describe('hash128', () => {
  const golden: Array<[string, number[]]> = [
    ['', [724206883, 2384921630, 2681664335, 2868553187]],
    ['a', [3619365060, 725216897, 3551959792, 3291011051]],
    ['ab', [941007188, 4046647422, 3140507996, 2787006875]],
    ['abc', [1947939020, 398434507, 1159114011, 1433716479]],
    ['abcdefg', [774652035, 4165043169, 3187645090, 3046485787]],
    ['abcdefgh', [2424113589, 2946883199, 483889602, 2598113823]],
    ['abcdefghi', [1766936681, 1454365896, 1145976661, 2796122837]],
    ['KEY-0001-ABCDEF', [510746706, 1233155156, 2992640444, 4274959277]],
    ['KEY-0001-ABCDEFG', [3007563056, 3303275513, 1531317084, 2532022057]],
    ['KEY-0001-ABCDEFGH', [1058005841, 1031297519, 1123212613, 264292215]],
    ['café😀', [3824329925, 4263882778, 2704948573, 510771591]],
    ['\uffff\u0001', [3052144978, 3770628504, 114356474, 2847706023]],
  ];
  it.each(golden)('%j', (s, words) => {
    const out = new Uint32Array(4);
    hash128(s, out);
    expect([...out]).toEqual(words);
    // The last word is odd: never zero (an empty slot).
    expect(out[3]! & 1).toBe(1);
  });
});

describe('HashSet128', () => {
  it('rounds its slots up to a power of two, at least 16', () => {
    expect(inside(new HashSet128(1)).mask).toBe(15);
    expect(inside(new HashSet128(16)).mask).toBe(15);
    expect(inside(new HashSet128(17)).mask).toBe(31);
    expect(inside(new HashSet128()).mask).toBe(1023);
    expect(inside(new HashSet128(17)).table.length).toBe(128);
  });

  it('doubles when the next add would fill it past three quarters, keeping every member', () => {
    const s = new HashSet128(16);
    const keys = Array.from({ length: 25 }, (_, i) => `K${i}`);
    const masks: number[] = [];
    for (const k of keys) {
      expect(s.add(k)).toBe(true);
      masks.push(inside(s).mask);
    }
    // 12 of 16 slots, then 24 of 32.
    expect(masks.slice(10, 14)).toEqual([15, 15, 31, 31]);
    expect(masks.slice(22, 25)).toEqual([31, 31, 63]);
    expect(s.size).toBe(25);
    for (const k of keys) {
      expect(s.has(k)).toBe(true);
      expect(s.add(k)).toBe(false);
    }
    expect(s.size).toBe(25);
    expect(s.has('K25')).toBe(false);
  });

  it('tells apart hashes that share a slot or all but one word', () => {
    const s = new HashSet128(16);
    const t = inside(s);
    expect(t.insert(1, 2, 3, 5)).toBe(true);
    expect(t.insert(1, 2, 3, 5)).toBe(false);
    // Same slot (1 & 15), one word different each.
    expect(t.insert(17, 2, 3, 5)).toBe(true);
    expect(t.insert(1, 9, 3, 5)).toBe(true);
    expect(t.insert(1, 2, 9, 5)).toBe(true);
    expect(t.insert(1, 2, 3, 7)).toBe(true);
    for (const w of [
      [17, 2, 3, 5],
      [1, 9, 3, 5],
      [1, 2, 9, 5],
      [1, 2, 3, 7],
    ] as const)
      expect(t.insert(w[0], w[1], w[2], w[3])).toBe(false);
    expect(s.size).toBe(5);
    // Laid out from slot 1 on, in order.
    expect([...t.table.subarray(4, 24)]).toEqual([
      1, 2, 3, 5, 17, 2, 3, 5, 1, 9, 3, 5, 1, 2, 9, 5, 1, 2, 3, 7,
    ]);
  });

  it('has(): a slot holding a near miss is passed over, and probing goes on forward', () => {
    const h = new Uint32Array(4);
    hash128('X', h);
    const [a, b, c, d] = [h[0]!, h[1]!, h[2]!, h[3]!];
    const s = new HashSet128(16);
    const t = inside(s);
    // Near misses in X's own slot and the next ones: X lands after them.
    t.insert(a, b, c, d ^ 2);
    t.insert(a, b, c ^ 1, d);
    t.insert(a, b ^ 1, c, d);
    t.insert(a ^ 16, b, c, d);
    expect(s.has('X')).toBe(false);
    expect(s.add('X')).toBe(true);
    expect(s.has('X')).toBe(true);
    expect(s.add('X')).toBe(false);
    expect(s.size).toBe(5);
    const slot = ((a & 15) + 4) & 15;
    expect([...t.table.subarray(slot * 4, slot * 4 + 4)]).toEqual([a, b, c, d]);
  });

  it('wraps around the end of the table', () => {
    const s = new HashSet128(16);
    const t = inside(s);
    expect(t.insert(15, 1, 1, 1)).toBe(true);
    expect(t.insert(31, 1, 1, 1)).toBe(true);
    expect([...t.table.subarray(0, 4)]).toEqual([31, 1, 1, 1]);
    expect([...t.table.subarray(60, 64)]).toEqual([15, 1, 1, 1]);
  });
});
