// PoolScanner: the streamed read-back of a pool. Its result must not depend
// on where the body is cut into chunks, and must agree with JSON.parse.
import { describe, expect, it } from 'vitest';
import { type PoolScan, PoolScanner } from '../../src/restock/pool-scan.js';

/** mulberry32: a small seeded PRNG, so a failing split can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scanChunks(chunks: Buffer[], key: string, wanted: string[], tailSize: number): PoolScan {
  const s = new PoolScanner(key, wanted, tailSize);
  for (const c of chunks) s.push(c);
  return s.finish();
}

/** What the scanner must report, from JSON.parse. */
function expected(body: string, key: string, wanted: string[], tailSize: number) {
  const list = (JSON.parse(body) as Record<string, unknown>)[key];
  const items = Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  const counts = new Map(wanted.map((w) => [w, items.filter((i) => i === w).length]));
  return {
    size: items.length,
    counts,
    tail: tailSize > 0 ? items.slice(Math.max(0, items.length - tailSize)) : [],
    found: Array.isArray(list),
  };
}

function plain(r: PoolScan) {
  return { size: r.size, counts: new Map(r.counts), tail: [...r.tail], found: r.found };
}

const WAREHOUSE = JSON.stringify({
  id: 'w1',
  name: 'pool "items" [not a list]',
  meta: { items: ['decoy-1', 'decoy-2'], nested: [{ items: ['decoy-3'] }, [['decoy-4']]] },
  removeDuplicates: false,
  count: 5,
  items: ['K-1', 'quote"in', 'back\\slash', 'new\nline', 'caf\u00e9', 'K-1', 'tab\there'],
  after: { items: ['decoy-5'], list: [1, 2, { x: 'K-1' }] },
  stockItems: ['decoy-6'],
});
const WANTED = ['K-1', 'quote"in', 'back\\slash', 'new\nline', 'café', 'decoy-1', 'decoy-6', 'zz'];

describe('PoolScanner, whole body in one chunk', () => {
  const cases: Array<[string, string, string, string[], number]> = [
    ['warehouse items with escapes and decoys around', WAREHOUSE, 'items', WANTED, 3],
    ['the product list key (stockItems) ignores items', WAREHOUSE, 'stockItems', WANTED, 5],
    ['no tail asked', WAREHOUSE, 'items', WANTED, 0],
    ['tail larger than the list', WAREHOUSE, 'items', WANTED, 100],
    ['empty list', JSON.stringify({ id: 'x', items: [] }), 'items', ['a'], 4],
    [
      'list first, decoys after',
      JSON.stringify({ items: ['a', 'b'], x: { items: ['a'] } }),
      'items',
      ['a', 'b'],
      1,
    ],
    [
      'whitespace and pretty printing',
      JSON.stringify({ id: 'p', stock: 3, stockItems: ['a', 'b', 'a'] }, null, 2),
      'stockItems',
      ['a', 'b'],
      2,
    ],
    [
      'an escaped key spelling the list key',
      '{"id":"w","it\\u0065ms":["a","b"]}',
      'items',
      ['a'],
      2,
    ],
    [
      'a \\u escape and a surrogate pair in items',
      '{"items":["caf\\u00e9","\\ud83d\\ude00","plain"]}',
      'items',
      ['café', '😀'],
      3,
    ],
    [
      'values of every kind before the list',
      '{"z":null,"n":-12.5e+3,"t":true,"f":false,"o":{},"l":[],"items2":["a"],"items":["b"]}',
      'items',
      ['a', 'b'],
      2,
    ],
  ];
  for (const [name, body, key, wanted, tail] of cases) {
    it(name, () => {
      const got = scanChunks([Buffer.from(body)], key, wanted, tail);
      expect(plain(got)).toEqual(expected(body, key, wanted, tail));
    });
  }

  it('no list: refused, not an empty pool', () => {
    expect(() =>
      scanChunks([Buffer.from('{"id":"w","meta":{"items":["a"]}}')], 'items', ['a'], 2),
    ).toThrow(/did not list the pool's items/);
  });

  it('a very long string: skipped before the list, counted (not kept) inside it', () => {
    const long = 'L'.repeat(200_000);
    const body = JSON.stringify({ note: long, items: ['a', long, 'b', 'a'] });
    const r = scanChunks([Buffer.from(body)], 'items', ['a', 'b', long], 2);
    expect(r.size).toBe(4);
    expect(r.counts.get('a')).toBe(2);
    expect(r.counts.get('b')).toBe(1);
    expect(r.tail).toEqual(['b', 'a']);
  });

  it('a large pool keeps only the tail asked for', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `S-${i}`);
    const body = JSON.stringify({ id: 'w', items });
    const r = scanChunks([Buffer.from(body)], 'items', ['S-0', 'S-19999', 'nope'], 10);
    expect(r.size).toBe(20_000);
    expect(r.tail).toEqual(items.slice(-10));
    expect([...r.counts]).toEqual([
      ['S-0', 1],
      ['S-19999', 1],
      ['nope', 0],
    ]);
  });
});

/** Cuts only between tokens (never inside a string): the scanner's state across chunks, minus strings. */
function structuralCuts(body: Buffer): number[] {
  const cuts: number[] = [];
  let inStr = false;
  let esc = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (inStr) {
      if (esc) esc = false;
      else if (b === 92) esc = true;
      else if (b === 34) inStr = false;
      continue;
    }
    if (b === 34) inStr = true;
    else cuts.push(i);
  }
  return cuts;
}

describe('PoolScanner across chunk boundaries', () => {
  const body = Buffer.from(WAREHOUSE);
  const want = expected(WAREHOUSE, 'items', WANTED, 4);

  it('cut once between tokens, anywhere: the same result', () => {
    for (const cut of structuralCuts(body)) {
      const got = scanChunks([body.subarray(0, cut), body.subarray(cut)], 'items', WANTED, 4);
      expect(plain(got), `cut at ${cut}`).toEqual(want);
    }
  });

  // A kept string (a key of the top-level object, or an item of the list)
  // that a chunk boundary cuts must go on in the next chunk: real bodies
  // arrive in 16–64 KiB chunks, so every large read-back has such cuts. An
  // earlier scanner lost the bytes after the cut (see break.test.ts).
  it('cut once at every byte: the same result as JSON.parse', () => {
    for (let cut = 0; cut <= body.length; cut++) {
      const got = scanChunks([body.subarray(0, cut), body.subarray(cut)], 'items', WANTED, 4);
      expect(
        plain(got),
        `cut at ${cut}: ${JSON.stringify(body.subarray(0, cut).toString())}`,
      ).toEqual(want);
    }
  });

  it('random splits (seeded, 200 seeds, 1..12-byte chunks): the same result', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = rng(seed);
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; ) {
        const n = 1 + Math.floor(next() * 12);
        chunks.push(body.subarray(i, i + n));
        i += n;
      }
      expect(plain(scanChunks(chunks, 'items', WANTED, 4)), `seed ${seed}`).toEqual(want);
    }
  });

  it('one byte at a time', () => {
    const chunks = [...body].map((b) => Buffer.from([b]));
    expect(plain(scanChunks(chunks, 'items', WANTED, 4))).toEqual(want);
  });

  it('a backslash at the end of a chunk (escape cut in two)', () => {
    const b = Buffer.from('{"items":["a\\"b","c"]}');
    const at = b.indexOf(92) + 1;
    const got = scanChunks([b.subarray(0, at), b.subarray(at)], 'items', ['a"b', 'c'], 2);
    expect(got.tail).toEqual(['a"b', 'c']);
    expect(got.counts.get('a"b')).toBe(1);
  });

  it('a multi-byte UTF-8 character cut in two', () => {
    const b = Buffer.from('{"items":["café"]}');
    const at = b.indexOf(0xc3) + 1;
    const got = scanChunks([b.subarray(0, at), b.subarray(at)], 'items', ['café'], 1);
    expect(got.counts.get('café')).toBe(1);
  });
});

describe('PoolScanner, a large pool read for counts only', () => {
  it('counts every copy of the serials asked about, written plainly or escaped, among many others', () => {
    const rnd = rng(7);
    const wanted = Array.from({ length: 300 }, (_, i) => `W-${i}-ä`);
    const items: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      items.push(rnd() < 0.05 ? wanted[Math.floor(rnd() * wanted.length)]! : `OTHER-${i}`);
    }
    // The service may escape what it need not: the same serial, other bytes.
    const body = JSON.stringify({ count: items.length, items }).replace(
      /"W-1(\d)-ä"/g,
      (_, d) => `"\\u0057-1${d}-\\u00e4"`,
    );
    expect(body).toContain('\\u0057');
    for (const chunks of [[Buffer.from(body)], cutEvery(Buffer.from(body), rnd)]) {
      expect(plain(scanChunks(chunks, 'items', wanted, 0))).toEqual(
        expected(body, 'items', wanted, 0),
      );
    }
  });
});

/** The body in chunks of 1..64 bytes, cut anywhere (inside strings too). */
function cutEvery(body: Buffer, rnd: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; ) {
    const n = 1 + Math.floor(rnd() * 64);
    chunks.push(body.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

describe("the pool's removeSold setting", () => {
  it('is told when the body shows it at the top level, whatever the chunks, and not otherwise', () => {
    const body = (v: string) =>
      `{"id":"w1","meta":{"removeSold":true},"removeSold":${v},"items":["A","B"],"count":2}`;
    const whole = (b: string) => scanChunks([Buffer.from(b)], 'items', ['A'], 0).removeSold;
    const byteAtATime = (b: string) =>
      scanChunks(
        [...Buffer.from(b)].map((x) => Buffer.from([x])),
        'items',
        ['A'],
        0,
      ).removeSold;
    expect([whole(body('true')), byteAtATime(body('true'))]).toEqual([true, true]);
    expect([whole(body('false')), byteAtATime(body('false'))]).toEqual([false, false]);
    // null, or only a nested object's field: the body does not say.
    expect(whole(body('null'))).toBeUndefined();
    expect(whole('{"meta":{"removeSold":true},"items":[]}')).toBeUndefined();
    // A word that merely starts like one is no answer.
    expect(() => whole(body('tru'))).toThrow();
  });
});
