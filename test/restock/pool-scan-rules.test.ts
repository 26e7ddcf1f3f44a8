// PoolScanner, the rules of its reading that the other pool-scan tests leave
// open: a refused body names what was wrong and the byte where (whatever the
// chunks), the JSON grammar of numbers, escapes and strings is JSON's own,
// neither stricter nor looser, a count of any length is compared, and a long
// pool read for its tail is never held whole.
import { describe, expect, it } from 'vitest';
import { UnusableAnswerError } from '../../src/errors.js';
import { type PoolScan, PoolScanner, type PoolScanOptions } from '../../src/restock/pool-scan.js';

const WAREHOUSE: PoolScanOptions = { countKey: 'count', what: 'warehouse w1' };

/** The body whole, one byte at a time, and cut in two halves. */
function splits(body: string): Array<[string, Buffer[]]> {
  const b = Buffer.from(body);
  const half = Math.floor(b.length / 2);
  return [
    ['whole', [b]],
    ['byte by byte', [...b].map((x) => Buffer.from([x]))],
    ['in two', [b.subarray(0, half), b.subarray(half)]],
  ];
}

function scan(chunks: Buffer[], wanted: string[], tail: number, options = WAREHOUSE): PoolScan {
  const s = new PoolScanner('items', wanted, tail, options);
  for (const c of chunks) s.push(c);
  return s.finish();
}

/** The error a body is refused with; fails the test if it is read. */
function refusal(chunks: Buffer[], wanted: string[] = ['K-1'], tail = 2): Error {
  try {
    scan(chunks, wanted, tail);
  } catch (error) {
    return error as Error;
  }
  throw new Error('read as a pool');
}

describe('a malformed body is refused, naming what was wrong and the byte where', () => {
  // [what is wrong, body, the text at the offending byte]
  const cases: Array<[string, string, string]> = [
    ['not a JSON object', '["K-1"]', '['],
    ['a key expected', '{items:["K-1"]}', 'items'],
    ['a key expected', '{"items":["K-1"],}', '}'],
    ["a ':' expected after a key", '{"items"-["K-1"]}', '-'],
    ["a ',' or the end of a list or object expected", '{"items":["K-1"}]', '}'],
    ["a ',' or the end of a list or object expected", '{"n":01,"items":[]}', '1,'],
    ['a value expected', '{"n":x,"items":["K-1"]}', 'x'],
    ['an unknown word', '{"n":nul,"items":["K-1"]}', ',"items'],
    ['a number cut short', '{"n":-x,"items":["K-1"]}', 'x'],
    ['a number cut short', '{"n":1.}', '}'],
    ['a number cut short', '{"n":1e,"items":["K-1"]}', ',"items'],
    ['a number cut short', '{"n":1e+]}', ']'],
    ['an unknown escape in a string', '{"items":["K\\x41"]}', 'x'],
    ['a \\u escape without four hex digits', '{"items":["K\\u00G1"]}', 'G'],
    ['a control character in a string', '{"items":["K-\u00011"]}', '\u0001'],
    ['data after the end of the JSON', '{"items":["K-1"]} {}', '{}'],
  ];
  for (const [reason, body, at] of cases) {
    it(`${reason}: ${JSON.stringify(body)}`, () => {
      const byte = Buffer.from(body.slice(0, body.indexOf(at))).length;
      for (const [how, chunks] of splits(body)) {
        const e = refusal(chunks);
        expect(e, how).toBeInstanceOf(UnusableAnswerError);
        expect(e.message, how).toBe(
          `the service's answer for warehouse w1 is cut off or malformed (${reason} (byte ${byte})); not used`,
        );
      }
    });
  }

  it('a body that ends early says where it stopped, without a byte', () => {
    const cases: Array<[string, string]> = [
      ['', 'before its first byte'],
      ['{"id":"w1",', 'before the list'],
      ['{"items":["K-1","K-2"],"co', 'after the list (after 2 items)'],
    ];
    for (const [body, where] of cases) {
      for (const [how, chunks] of splits(body)) {
        const e = refusal(chunks);
        expect(e, how).toBeInstanceOf(UnusableAnswerError);
        expect(e.message, `${how}: ${body}`).toBe(
          `the service's answer for warehouse w1 is cut off or malformed (it ended early, ${where}); not used`,
        );
      }
    }
  });
});

describe("numbers around the list are read by JSON's grammar", () => {
  const body = (n: string) => `{"n":${n},"m":[${n}],"items":["K-1"],"count":1}`;

  it.each([
    '0',
    '-0',
    '7',
    '-12',
    '1.5',
    '-0.25',
    '1e5',
    '1E5',
    '1e+5',
    '1e-5',
    '2.5e3',
    '-0.0E-0',
  ])('%s is a number', (n) => {
    for (const [how, chunks] of splits(body(n))) {
      expect(scan(chunks, ['K-1'], 0).counts.get('K-1'), `${how}`).toBe(1);
    }
  });

  it.each(['01', '-01', '-', '+1', '.5', '1.', '1.e3', '1e', '1e+', '1e-', '1ee5', '0x1', '--1'])(
    '%s is refused',
    (n) => {
      for (const [how, chunks] of splits(body(n))) {
        expect(refusal(chunks), how).toBeInstanceOf(UnusableAnswerError);
      }
    },
  );
});

describe("strings are read by JSON's grammar", () => {
  it('every one-letter escape and a \\u escape with hex digits of either case name the same serial as JSON.parse reads', () => {
    const spellings = [
      'a\\"b',
      'a\\\\b',
      'a\\/b',
      'a\\bb',
      'a\\fb',
      'a\\nb',
      'a\\rb',
      'a\\tb',
      '\\u0030\\u0039',
      '\\u00C9\\u00c9',
      '\\u00AF\\u00af',
      '\\u00Fa\\u00fA',
      'DEL\u007f space ~',
    ];
    const body = `{"items":[${spellings.map((s) => `"${s}"`).join(',')}]}`;
    const serials = (JSON.parse(body) as { items: string[] }).items;
    expect(new Set(serials).size).toBe(spellings.length);
    for (const [how, chunks] of splits(body)) {
      // Read for counts only, and for the tail: the two ways a read-back decodes items.
      for (const tail of [0, spellings.length]) {
        const r = scan(chunks, serials, tail, {});
        expect(
          serials.map((s) => r.counts.get(s)),
          `${how}, tail ${tail}`,
        ).toEqual(serials.map(() => 1));
      }
    }
  });

  it('a \\u escape with anything but four hex digits is refused, in an item, a key or a value not kept', () => {
    // The bytes just outside 0-9, A-F and a-f.
    for (const bad of ['/', ':', '@', 'G', '`', 'g']) {
      for (const body of [
        `{"items":["K\\u00${bad}1"]}`,
        `{"items":["K-1"],"\\u00${bad}1":0}`,
        `{"note":"\\u00${bad}1","items":["K-1"]}`,
        `{"m":{"\\u00${bad}1":"x"},"items":["K-1"]}`,
      ]) {
        for (const tail of [0, 2]) {
          const e = refusal([Buffer.from(body)], ['K-1'], tail);
          expect(e, `${body}, tail ${tail}`).toBeInstanceOf(UnusableAnswerError);
          expect(e.message, body).toMatch(/a \\u escape without four hex digits/);
        }
      }
    }
  });

  it('a raw control character is refused in any string', () => {
    for (const c of ['\u0000', '\t', '\n', '\u001f']) {
      for (const body of [`{"items":["K${c}1"]}`, `{"no${c}te":1,"items":[]}`]) {
        expect(refusal([Buffer.from(body)]).message, JSON.stringify(body)).toMatch(
          /a control character in a string/,
        );
      }
    }
  });
});

describe('the count field', () => {
  it('is compared with the list whatever its number of digits, also cut across chunks', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => `S-${i}`);
    for (const count of [12, 1000]) {
      const ok = JSON.stringify({ count, items: items(count) });
      const short = JSON.stringify({ count, items: items(count - 1) });
      for (const [how, chunks] of splits(ok)) {
        expect(scan(chunks, ['S-0'], 0).size, `${count} ${how}`).toBe(count);
      }
      for (const [how, chunks] of splits(short)) {
        expect(refusal(chunks).message, `${count} ${how}`).toMatch(
          `lists ${(count - 1).toLocaleString('en-US')} items but its "count" says ${count.toLocaleString('en-US')}`,
        );
      }
    }
  });

  it('holding a list or an object is no count, whatever numbers are in it', () => {
    for (const count of ['[5]', '{"n":5}', '[[2,3]]']) {
      const r = scan([Buffer.from(`{"count":${count},"items":["K-1"]}`)], ['K-1'], 0);
      expect(r.size, count).toBe(1);
    }
  });
});

describe('a long pool read for its newest items', () => {
  it('is never held whole: at most twice the tail is kept while it streams', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `S-${i}`);
    const body = Buffer.from(JSON.stringify({ count: items.length, items }));
    const s = new PoolScanner('items', ['S-0'], 5, WAREHOUSE);
    let most = 0;
    for (let i = 0; i < body.length; i += 256) {
      s.push(body.subarray(i, i + 256));
      most = Math.max(most, s.result.tail.length);
    }
    expect(most).toBeLessThanOrEqual(10);
    expect(s.finish().tail).toEqual(items.slice(-5));
  });
});
