// PoolScanner, exact results on the shapes that steer its state machine:
// strings longer than it keeps (at, under and over the 64 KiB limit, whole
// in a chunk or spread over several), an empty first key, lists and objects
// around the list, and bodies with no item list (pool-scan-whole.test.ts has
// the bodies refused as cut off or malformed).
import { describe, expect, it } from 'vitest';
import { UnusableAnswerError } from '../../src/errors.js';
import { type PoolScan, PoolScanner } from '../../src/restock/pool-scan.js';

const MAX_KEPT = 64 * 1024;

function scan(chunks: Array<string | Buffer>, wanted: string[] = [], tail = 10) {
  const items: string[] = [];
  const s = new PoolScanner('items', wanted, tail, { onItem: (i) => items.push(i) });
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  const r: PoolScan = s.finish();
  return {
    size: r.size,
    counts: Object.fromEntries(r.counts),
    tail: r.tail,
    found: r.found,
    items,
  };
}

describe('PoolScanner: strings longer than it keeps', () => {
  it('a string whole in one chunk is decoded whatever its length', () => {
    const long = 'L'.repeat(MAX_KEPT + 10);
    const r = scan([`{"items":["a","${long}","b"]}`], [long, 'a'], 5);
    expect(r.size).toBe(3);
    expect(r.counts).toEqual({ [long]: 1, a: 1 });
    expect(r.tail).toEqual(['a', long, 'b']);
  });

  it('a long string opened at the very end of a chunk and closed in the next is decoded whole', () => {
    const long = 'L'.repeat(MAX_KEPT + 10);
    const r = scan(['{"items":["a","', `${long}","b"]}`], [long], 5);
    expect(r.counts).toEqual({ [long]: 1 });
    expect(r.tail).toEqual(['a', long, 'b']);
  });

  it('exactly 64 KiB across two chunks is kept; one byte more is counted as an empty item', () => {
    for (const [n, kept] of [
      [MAX_KEPT, true],
      [MAX_KEPT + 1, false],
    ] as const) {
      const s = 'S'.repeat(n);
      const body = `{"items":["a","${s}","b"]}`;
      const cut = body.indexOf('S') + 1000;
      const r = scan([body.slice(0, cut), body.slice(cut)], [s, ''], 5);
      expect(r.size, `${n}`).toBe(3);
      expect(r.counts, `${n}`).toEqual(kept ? { [s]: 1, '': 0 } : { [s]: 0, '': 1 });
      expect(r.tail, `${n}`).toEqual(['a', kept ? s : '', 'b']);
      expect(r.items, `${n}`).toEqual(['a', kept ? s : '', 'b']);
    }
  });

  it('a long string over three chunks, each under the limit, is not kept', () => {
    const s = 'T'.repeat(60_000);
    const body = `{"items":["${s}","b"]}`;
    const a = body.indexOf('T') + 40_000;
    const r = scan(
      [body.slice(0, a), body.slice(a, a + 30_000), body.slice(a + 30_000)],
      [s, ''],
      5,
    );
    // 60000 bytes are kept: under the limit.
    expect(r.tail).toEqual([s, 'b']);
    const t = 'T'.repeat(70_000);
    const body2 = `{"items":["${t}","b"]}`;
    const b = body2.indexOf('T') + 40_000;
    const r2 = scan(
      [body2.slice(0, b), body2.slice(b, b + 20_000), body2.slice(b + 20_000)],
      [t, ''],
      5,
    );
    expect(r2.counts).toEqual({ [t]: 0, '': 1 });
    expect(r2.tail).toEqual(['', 'b']);
  });

  it('a long escaped string cut in chunks is an empty item too, and the next one is decoded', () => {
    const t = `${'x'.repeat(70_000)}\\"`;
    const body = `{"items":["${t}","q\\"r"]}`;
    const cut = 40_000;
    const r = scan([body.slice(0, cut), body.slice(cut)], ['', 'q"r'], 5);
    expect(r.counts).toEqual({ '': 1, 'q"r': 1 });
    expect(r.tail).toEqual(['', 'q"r']);
  });
});

describe('PoolScanner: keys, values and nesting', () => {
  it('an empty first key', () => {
    const r = scan(['{"":"","items":["a","b"]}'], ['a']);
    expect(r).toEqual({
      size: 2,
      counts: { a: 1 },
      tail: ['a', 'b'],
      found: true,
      items: ['a', 'b'],
    });
  });

  it('lists and objects around the list are skipped; only its own strings are items', () => {
    const r = scan(
      [
        '{"a":[["a"]],"b":{"c":"d","items":["f"]},"items":["b","g"],"after":[[]],"h":{"items":[1]}}',
      ],
      ['a', 'b', 'c', 'd', 'f', 'g'],
    );
    expect(r.items).toEqual(['b', 'g']);
    expect(r.counts).toEqual({ a: 0, b: 1, c: 0, d: 0, f: 0, g: 1 });
  });

  it('a list under another key, or the list key on something else, is no item list', () => {
    for (const body of [
      '{"meta":{"items":["x"]},"x":["y"],"s":"items","n":[1]}',
      '{"items":{"k":"a","l":["a"]},"z":1}',
      '["items",["a"]]',
    ]) {
      expect(() => scan([body], ['a', 'x']), body).toThrow(UnusableAnswerError);
    }
  });

  it('cut inside a key, inside an item and after an opening quote: the same items', () => {
    const body = '{"id":"w","items":["abc","d\\"e","f"],"n":2}';
    for (let a = 1; a < body.length; a++) {
      for (const b of [a + 1, a + 3, a + 7]) {
        if (b >= body.length) continue;
        const r = scan([body.slice(0, a), body.slice(a, b), body.slice(b)], ['abc', 'd"e'], 2);
        expect(r, `cuts ${a} ${b}`).toEqual({
          size: 3,
          counts: { abc: 1, 'd"e': 1 },
          tail: ['d"e', 'f'],
          found: true,
          items: ['abc', 'd"e', 'f'],
        });
      }
    }
  });

  it('the tail: the last n items, none when n is 0', () => {
    const items = Array.from({ length: 9 }, (_, i) => `S${i}`);
    const body = JSON.stringify({ items });
    expect(scan([body], [], 1).tail).toEqual(['S8']);
    expect(scan([body], [], 4).tail).toEqual(['S5', 'S6', 'S7', 'S8']);
    expect(scan([body], [], 0).tail).toEqual([]);
    expect(scan([body], [], 9).tail).toEqual(items);
  });
});
