// scanAscii is a shortcut: whenever it vouches for a region, every line of it
// must be what normaliseLine makes of it (a serial, or blank), and a "clean"
// answer must mean each line is a serial exactly as written.
import { describe, expect, it } from 'vitest';
import type { normaliseLine } from '../../src/restock/normalize.js';
import { eachLineSlow, NOT_ASCII, scanAscii } from '../../src/restock/region.js';
import { messyFile, mulberry32, pick, randomSerial } from './helpers.js';

/** A random serial in printable ASCII (randomSerial without its non-ASCII characters). */
function asciiSerial(rnd: () => number): string {
  return (
    randomSerial(rnd)
      .replace(/[^\x20-\x7e]/g, '')
      .trim() || 'X'
  );
}

const ODD = ['A\tB', 'x\ry', 'nul\u0000', 'é-ok', '  pad  ', 'y'.repeat(1100), ' ', '', 'q"\\'];

describe('scanAscii', () => {
  it('agrees with normaliseLine on every region it vouches for', () => {
    let vouched = 0;
    let clean = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = mulberry32(seed);
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () =>
        rnd() < 0.05 ? pick(rnd, ODD) : asciiSerial(rnd),
      );
      const buf =
        seed % 2 === 0
          ? Buffer.from(lines.join(rnd() < 0.7 ? '\n' : '\r\n'))
          : seed % 4 === 1
            ? messyFile(rnd, lines)
            : Buffer.from(
                lines
                  .map((l) => pick(rnd, ['', '', '', ' ', '  ']) + l + pick(rnd, ['', '', ' ']))
                  .join(pick(rnd, ['\n', '\r\n', '\n\n', '\n \n'])),
              );
      // A region is whole lines: it ends before a \n (or at the end of the buffer).
      const end = buf[buf.length - 1] === 10 ? buf.length - 1 : buf.length;
      const got = scanAscii(buf, 0, end);
      const want: Array<ReturnType<typeof normaliseLine>> = [];
      eachLineSlow(buf, 0, end, false, (r) => want.push(r));
      if (got === NOT_ASCII) continue;
      vouched++;
      expect(Math.abs(got), `seed ${seed}`).toBe(want.length);
      expect(want.every((r) => r.kind !== 'rejected')).toBe(true);
      if (got > 0) {
        clean++;
        const raw = buf.toString('latin1', 0, end).split('\n');
        expect(want.map((r) => (r.kind === 'serial' ? r.value : ''))).toEqual(raw);
      }
    }
    expect(vouched).toBeGreaterThan(50);
    expect(clean).toBeGreaterThan(20);
  });

  it('leaves controls, tabs, lone \\r, non-ASCII and long lines to the slower checks', () => {
    for (const text of ['a\tb', 'a\rb\nc', 'nul\u0000', 'é', `${'y'.repeat(1025)}\nz`, 'a\u007f']) {
      const buf = Buffer.from(text);
      expect(scanAscii(buf, 0, buf.length), JSON.stringify(text)).toBe(NOT_ASCII);
    }
    const ok = Buffer.from('A-1\r\nB-2\r');
    expect(scanAscii(ok, 0, ok.length)).toBe(-2);
    const clean = Buffer.from('A-1\nB "2\\');
    expect(scanAscii(clean, 0, clean.length)).toBe(2);
  });
});
