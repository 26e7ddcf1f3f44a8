// Small seeded generators for property tests (no dependencies).
import { emptyCounters, type JournalState } from '../../src/restock/journal.js';

export { mulberry32 } from '../../src/sandbox/rng.js';

/** A fresh journal state for unit tests of the upload loop (batches of 10). */
export function freshState(): JournalState {
  return {
    batchSize: 10,
    committedLine: 0,
    inflight: null,
    counters: emptyCounters(),
    unsentBytes: 0,
    poolTotal: null,
  } as unknown as JournalState;
}

export function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_';
const UNICODE = ['é', 'ß', '€', '日本', '🎁'];

/** A random serial: printable, no surrounding spaces, sometimes non-ASCII or with inner spaces. */
export function randomSerial(rnd: () => number): string {
  const len = 1 + Math.floor(rnd() * 24);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rnd();
    if (r < 0.05) s += pick(rnd, UNICODE);
    else if (r < 0.08 && i > 0 && i < len - 1) s += ' ';
    else s += pick(rnd, [...ALPHABET]);
  }
  return s.trim() || 'X';
}

/** Renders serials as a messy file: CRLF or LF, BOM, blank lines, padding, maybe no final newline. */
export function messyFile(rnd: () => number, serials: readonly string[]): Buffer {
  let out = rnd() < 0.5 ? '\ufeff' : '';
  const crlf = rnd() < 0.5;
  for (const s of serials) {
    while (rnd() < 0.15)
      out += pick(rnd, ['', ' ', '\t', '  \t '] as const) + (crlf ? '\r\n' : '\n');
    const pad = () => pick(rnd, ['', '', ' ', '  ', '\t', ' \t'] as const);
    out += `${pad()}${s}${pad()}${rnd() < 0.5 && crlf ? '\r\n' : crlf ? '\r\n' : '\n'}`;
  }
  if (rnd() < 0.5 && out.endsWith('\n')) out = out.replace(/\r?\n$/, '');
  return Buffer.from(out, 'utf8');
}

/** Splits `buf` into random chunks (sizes 1..max). */
export function randomChunks(rnd: () => number, buf: Buffer, max = 64): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const n = 1 + Math.floor(rnd() * max);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}
