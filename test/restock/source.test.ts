// SerialSource reads whole chunks through a fast path (region.ts); it must
// agree line for line with the definition (normaliseLine) whatever the chunking.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RAW_LINE_BYTES, normaliseLine } from '../../src/restock/normalize.js';
import { SerialSource } from '../../src/restock/source.js';
import { LineSplitter } from '../../src/restock/splitter.js';
import { tempDir } from '../helpers/cli.js';
import { messyFile, mulberry32, pick, randomSerial } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Item = string | { blank: true } | { rejected: string };

function reference(buf: Buffer): Item[] {
  const out: Item[] = [];
  let n = 0;
  const s = new LineSplitter((b, a, e, tooLong) => {
    n++;
    const r = normaliseLine(b, a, e, n === 1, tooLong);
    out.push(
      r.kind === 'serial' ? r.value : r.kind === 'blank' ? { blank: true } : { rejected: r.reason },
    );
  }, MAX_RAW_LINE_BYTES);
  s.push(buf);
  s.end();
  return out;
}

async function viaSource(
  path: string,
  size: number,
  chunk: number,
): Promise<{ serials: string[]; blank: number; rejected: number; lines: number }> {
  const src = new SerialSource(
    [{ name: path, readPath: path, size, sha256: '' }],
    undefined,
    chunk,
  );
  const r = { serials: [] as string[], blank: 0, rejected: 0, lines: 0 };
  for (let u = await src.next(7); u; u = await src.next(7)) {
    r.serials.push(...u.serials);
    r.blank += u.blank;
    r.rejected += u.rejected;
    r.lines += u.toLine - u.fromLine;
  }
  return r;
}

const ODD = [
  'A\tB',
  'x\ry',
  'nul\u0000',
  '\ufeffmid',
  'c1\u0085',
  'é-ok',
  '  pad  ',
  'y'.repeat(1100),
  ' \t ',
];

describe('SerialSource', () => {
  it('agrees with normaliseLine for any chunk size, odd lines included', async () => {
    for (let seed = 1; seed <= 120; seed++) {
      const rnd = mulberry32(seed);
      const lines = Array.from({ length: Math.floor(rnd() * 60) }, () =>
        rnd() < 0.12 ? pick(rnd, ODD) : randomSerial(rnd),
      );
      const buf =
        seed % 3 === 0
          ? Buffer.from(lines.join(rnd() < 0.5 ? '\n' : '\r\n'))
          : messyFile(rnd, lines);
      const path = join(tmp.dir, `s${seed}.txt`);
      writeFileSync(path, buf);
      const ref = reference(buf);
      const want = {
        serials: ref.filter((x): x is string => typeof x === 'string'),
        blank: ref.filter((x) => typeof x !== 'string' && 'blank' in x).length,
        rejected: ref.filter((x) => typeof x !== 'string' && 'rejected' in x).length,
        lines: ref.length,
      };
      for (const chunk of [1, 3, 16, 64, 100_000]) {
        expect(await viaSource(path, buf.length, chunk), `seed ${seed} chunk ${chunk}`).toEqual(
          want,
        );
      }
    }
  });
});

describe('SerialSource units', () => {
  it('carry their serials joined and in a body the same on every path (blocks, CRLF, odd lines)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = mulberry32(seed);
      const lines = Array.from({ length: 50 + Math.floor(rnd() * 400) }, (_, i) =>
        rnd() < 0.03 ? pick(rnd, ODD) : `GC-${seed}-${i}${rnd() < 0.05 ? '"q\\' : ''}`,
      );
      const buf = Buffer.from(lines.join(seed % 4 === 0 ? '\r\n' : '\n'));
      const path = join(tmp.dir, `u${seed}.txt`);
      writeFileSync(path, buf);
      const want = (await viaSource(path, buf.length, 100_000)).serials;
      for (const chunk of [7, 256, 4096, 100_000]) {
        const src = new SerialSource(
          [{ name: path, readPath: path, size: buf.length, sha256: '' }],
          undefined,
          chunk,
        );
        const got: string[] = [];
        for (let u = await src.next(37); u; u = await src.next(37)) {
          expect(u.count).toBe(u.serials.length);
          expect(u.stock).toBe(u.serials.join('\n'));
          expect(JSON.parse(u.body(true).toString())).toEqual({
            stock: u.stock,
            removeDuplicates: true,
          });
          expect(JSON.parse(u.body(undefined).toString())).toEqual({ stock: u.stock });
          got.push(...u.serials);
        }
        expect(got, `seed ${seed} chunk ${chunk}`).toEqual(want);
      }
    }
  });
});
