import { describe, expect, it } from 'vitest';
import { MAX_RAW_LINE_BYTES, normaliseLine } from '../../src/restock/normalize.js';
import { LineSplitter } from '../../src/restock/splitter.js';
import { messyFile, mulberry32, randomChunks, randomSerial } from './helpers.js';

function lines(chunks: Buffer[], max = 100): Array<string | 'TOO_LONG'> {
  const out: Array<string | 'TOO_LONG'> = [];
  const s = new LineSplitter((buf, a, b, tooLong) => {
    out.push(tooLong ? 'TOO_LONG' : buf.subarray(a, b).toString('latin1'));
  }, max);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

function serialsOf(chunks: Buffer[]): string[] {
  const out: string[] = [];
  let n = 0;
  const s = new LineSplitter((buf, a, b, tooLong) => {
    n++;
    const r = normaliseLine(buf, a, b, n === 1, tooLong);
    if (r.kind === 'serial') out.push(r.value);
    else if (r.kind === 'rejected') throw new Error(`line ${n} rejected: ${r.reason}`);
  }, MAX_RAW_LINE_BYTES);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits on \\n only and keeps \\r and bytes as they are', () => {
    expect(lines([Buffer.from('a\r\nb\rc\n\nd')])).toEqual(['a\r', 'b\rc', '', 'd']);
  });

  it('emits a last line without a final newline, and nothing for empty input', () => {
    expect(lines([Buffer.from('x\ny')])).toEqual(['x', 'y']);
    expect(lines([Buffer.from('x\n')])).toEqual(['x']);
    expect(lines([])).toEqual([]);
    expect(lines([Buffer.alloc(0)])).toEqual([]);
  });

  it('joins lines across chunk boundaries, one byte at a time', () => {
    const text = 'alpha\nbeta\r\ngamma\n';
    const chunks = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    expect(lines(chunks)).toEqual(['alpha', 'beta\r', 'gamma']);
  });

  it('reports an over-long line without buffering it, then carries on', () => {
    const long = 'x'.repeat(1000);
    const chunks = randomChunks(mulberry32(1), Buffer.from(`ok\n${long}\nnext`), 7);
    expect(lines(chunks, 100)).toEqual(['ok', 'TOO_LONG', 'next']);
    expect(lines([Buffer.from(long)], 100)).toEqual(['TOO_LONG']);
  });

  it('property: any chunking of a messy file gives the serials of the clean file', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = mulberry32(seed);
      const serials = Array.from({ length: Math.floor(rnd() * 40) }, () => randomSerial(rnd));
      const messy = messyFile(rnd, serials);
      const clean = Buffer.from(serials.map((s) => `${s}\n`).join(''));
      const expected = serialsOf([clean]);
      expect(expected).toEqual(serials);
      expect(
        serialsOf(randomChunks(rnd, messy, 1 + Math.floor(rnd() * 50))),
        `seed ${seed}`,
      ).toEqual(serials);
      expect(serialsOf([messy])).toEqual(serials);
    }
  });
});
