// The line layer exactly: normaliseLine on byte ranges inside a larger
// buffer (so a check that looks outside its range shows), LineSplitter at
// its length limit and across chunks, and UnitReader's counts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareInput } from '../../src/restock/input.js';
import { normaliseLine } from '../../src/restock/normalize.js';
import { UnitReader } from '../../src/restock/read.js';
import { LineSplitter } from '../../src/restock/splitter.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

const b = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('normaliseLine', () => {
  const serial = (value: string) => ({ kind: 'serial', value });
  const rejected = (reason: string) => ({ kind: 'rejected', reason });

  it('blank, checked-only, too long', () => {
    expect(normaliseLine(b(' \t \r'), 0, 4, false)).toEqual({ kind: 'blank' });
    expect(normaliseLine(b('ABC'), 0, 3, false, false, false)).toEqual({
      kind: 'serial',
      value: '',
    });
    expect(normaliseLine(b('ABC'), 0, 3, false, true)).toEqual(rejected('longer than 1024 bytes'));
    expect(normaliseLine(b('A'.repeat(1025)), 0, 1025, false)).toEqual(
      rejected('longer than 1024 bytes'),
    );
    expect(normaliseLine(b('A'.repeat(1024)), 0, 1024, false)).toEqual(serial('A'.repeat(1024)));
  });

  it('a BOM is removed only at the start of a file, and only whole', () => {
    expect(normaliseLine(b('\uFEFFAB'), 0, 5, true)).toEqual(serial('AB'));
    expect(normaliseLine(b('\uFEFFAB'), 0, 5, false)).toEqual(
      rejected('starts with a byte-order mark'),
    );
    // Two bytes of a BOM with the third just past the range: not a BOM.
    expect(normaliseLine(b([0xef, 0xbb, 0xbf]), 0, 2, true)).toEqual(
      rejected('is not valid UTF-8'),
    );
    expect(normaliseLine(b('XY', [0xef, 0xbb, 0xbf]), 2, 4, true)).toEqual(
      rejected('is not valid UTF-8'),
    );
    expect(normaliseLine(b([0xef, 0x41, 0xbf, 0x42]), 0, 4, true)).toEqual(
      rejected('is not valid UTF-8'),
    );
    expect(normaliseLine(b([0x41, 0xbb, 0xbf, 0x42]), 0, 4, true)).toEqual(
      rejected('is not valid UTF-8'),
    );
    expect(normaliseLine(b([0xef, 0xbb, 0x41, 0x42]), 0, 4, true)).toEqual(
      rejected('is not valid UTF-8'),
    );
  });

  it('looks only inside its range for \\r and blanks', () => {
    // An empty range just after a \r.
    expect(normaliseLine(b('X\rY'), 2, 2, false)).toEqual({ kind: 'blank' });
    // Blanks that go on past the range.
    expect(normaliseLine(b('   X'), 0, 2, false)).toEqual({ kind: 'blank' });
    expect(normaliseLine(b('ZA  B'), 1, 3, false)).toEqual(serial('A'));
    expect(normaliseLine(b('  A\r\r'), 0, 5, false)).toEqual(
      rejected('contains a control character'),
    );
  });

  it('controls, UTF-8 and the fast path', () => {
    expect(normaliseLine(b('A\u0001B'), 0, 3, false)).toEqual(
      rejected('contains a control character'),
    );
    expect(normaliseLine(b('A\u007fB'), 0, 3, false)).toEqual(
      rejected('contains a control character'),
    );
    expect(normaliseLine(b('caf\u0085é'), 0, 7, false)).toEqual(
      rejected('contains a control character'),
    );
    expect(normaliseLine(b('café'), 0, 5, false)).toEqual(serial('café'));
    // Checked only (not decoded): still a serial.
    expect(normaliseLine(b('café'), 0, 5, false, false, false).kind).toBe('serial');
    expect(normaliseLine(b([0x41, 0xff]), 0, 2, false)).toEqual(rejected('is not valid UTF-8'));
  });
});

describe('LineSplitter', () => {
  function split(chunks: string[], max: number) {
    const seen: Array<[string, boolean, boolean]> = [];
    let current: Buffer | undefined;
    const s = new LineSplitter((buf, start, end, tooLong) => {
      seen.push([buf.toString('latin1', start, end), tooLong, buf === current]);
    }, max);
    for (const c of chunks) {
      current = Buffer.from(c, 'latin1');
      s.push(current);
    }
    s.end();
    return seen;
  }

  it('lines within a chunk are given from the chunk itself, too long past the limit', () => {
    expect(split(['\nabcd\nabcde\n', 'x\ny'], 4)).toEqual([
      ['', false, true],
      ['abcd', false, true],
      ['abcde', true, true],
      ['x', false, true],
      ['y', false, false],
    ]);
  });

  it('a line across chunks: kept up to one byte past the limit, then only known too long', () => {
    expect(split(['ab', 'cd\n', 'abc', 'de\n', 'abc', 'def', '\nz'], 4)).toEqual([
      ['abcd', false, false],
      ['abcde', false, false],
      ['', true, false],
      ['z', false, false],
    ]);
  });
});

describe('UnitReader', () => {
  it('counts blank and rejected lines, and takes a BOM off the first line of each file only', async () => {
    const { dir, cleanup } = tempDir('astrosell-read-');
    dirs.push(cleanup);
    const f1 = join(dir, 'a.txt');
    const f2 = join(dir, 'b.txt');
    writeFileSync(f1, '\uFEFFA\n\n\uFEFFB\nC\u0001\nD\n');
    writeFileSync(f2, '\uFEFFE\n');
    const input = await prepareInput([f1, f2], {
      stdin: process.stdin,
      spoolDir: dir,
      stopAtFirstBad: false,
    });
    dirs.push(input.cleanup);
    const r = new UnitReader(input.files);
    const next = async (max: number) => {
      const u = await r.next(max);
      return u && { ...u, serials: [...u.serials] };
    };
    expect(await next(2)).toEqual({
      fromLine: 0,
      toLine: 5,
      serials: ['A', 'D'],
      blank: 1,
      rejected: 2,
      duplicates: 0,
    });
    expect(await next(10)).toEqual({
      fromLine: 5,
      toLine: 6,
      serials: ['E'],
      blank: 0,
      rejected: 0,
      duplicates: 0,
    });
    expect(await next(10)).toBeUndefined();
  });
});
