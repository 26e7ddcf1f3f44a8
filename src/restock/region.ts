// The fast path of reading serials: a whole chunk's worth of lines checked
// with a few native scans (UTF-8 validity, one regular expression, line
// lengths) and decoded in one call, instead of line by line. A region with
// anything unusual in it (a tab, a lone \r, a control or C1 character, a
// byte-order mark, a long line, invalid UTF-8) goes line by line through
// normaliseLine, which is the definition; this only skips work for the
// common, plain case and must agree with it (tested).
import { isUtf8 } from 'node:buffer';
import {
  MAX_RAW_LINE_BYTES,
  MAX_SERIAL_BYTES,
  type Normalised,
  normaliseLine,
} from './normalize.js';

// On the latin1 view of the bytes: C0 controls but \n and a \r before \n (or
// at the end: the region ends where a \n is), DEL, tabs, C1 as UTF-8 (C2 80–9F),
// and U+FEFF as UTF-8 (EF BB BF).
const SUSPICIOUS = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n|$)|\xc2[\x80-\x9f]|\xef\xbb\xbf/;
const HIGH = /[\x80-\xff]/;
// The common case in one cheap scan: printable ASCII, \n and \r only.
const NOT_ASCII_TEXT = /[^\x20-\x7e\n\r]/;
const LONE_CR = /\r(?!\n|$)/;

/** scanAscii's answer for a region it leaves to scanPlain. */
export const NOT_ASCII = 0;

/**
 * The cheapest check, one pass over the bytes, for the common input:
 * printable ASCII lines of at most MAX_SERIAL_BYTES, `\r` only before `\n`.
 * Returns the number of lines, negated when some line needs plainLine (a
 * blank line, a `\r`, surrounding spaces); NOT_ASCII when the region has
 * anything else (then scanPlain decides).
 */
export function scanAscii(buf: Buffer, start: number, end: number): number {
  let lines = 1;
  let lineStart = start;
  let clean = true;
  let i = start;
  for (;;) {
    // The tight loop over the usual bytes (printable, not a space) is what makes this fast.
    while (i < end && buf[i]! > 0x20 && buf[i]! < 0x7f) i++;
    if (i >= end) break;
    const c = buf[i]!;
    if (c === 10) {
      if (i - lineStart > MAX_SERIAL_BYTES) return NOT_ASCII;
      if (i === lineStart || buf[i - 1] === 32 || buf[i - 1] === 13 || buf[lineStart] === 32) {
        clean = false;
      }
      lines++;
      lineStart = i + 1;
    } else if (c === 13) {
      // The region ends where a \n is, so a \r at its end is one before a \n.
      if (i + 1 < end && buf[i + 1] !== 10) return NOT_ASCII;
    } else if (c !== 32) {
      return NOT_ASCII;
    }
    i++;
  }
  if (end - lineStart > MAX_SERIAL_BYTES) return NOT_ASCII;
  if (end === lineStart || buf[end - 1] === 32 || buf[end - 1] === 13 || buf[lineStart] === 32) {
    clean = false;
  }
  return clean ? lines : -lines;
}

/**
 * When `buf[start, end)` is plain, its text (decoded only if `decode`) and
 * number of lines; otherwise undefined.
 */
export function scanPlain(
  buf: Buffer,
  start: number,
  end: number,
  decode: boolean,
): { text: string | undefined; lines: number } | undefined {
  const latin = buf.toString('latin1', start, end);
  const ascii = !NOT_ASCII_TEXT.test(latin);
  if (ascii ? latin.includes('\r') && LONE_CR.test(latin) : SUSPICIOUS.test(latin)) {
    return undefined;
  }
  let lines = 1;
  let prev = start;
  for (let i = buf.indexOf(10, start); i !== -1 && i < end; i = buf.indexOf(10, prev)) {
    if (i - prev > MAX_SERIAL_BYTES) return undefined;
    prev = i + 1;
    lines++;
  }
  if (end - prev > MAX_SERIAL_BYTES) return undefined;
  if (ascii || !HIGH.test(latin)) return { text: latin, lines };
  if (!isUtf8(buf.subarray(start, end))) return undefined;
  return { text: decode ? buf.toString('utf8', start, end) : undefined, lines };
}

/** A plain line: without a trailing \r and surrounding spaces; '' when blank. */
export function plainLine(line: string): string {
  let e = line.length;
  if (e > 0 && line.charCodeAt(e - 1) === 13) e--;
  let s = 0;
  while (s < e && line.charCodeAt(s) === 32) s++;
  while (e > s && line.charCodeAt(e - 1) === 32) e--;
  return s === 0 && e === line.length ? line : line.slice(s, e);
}

/** Every line of `buf[start, end)` through normaliseLine; `first` marks the first line of a file. */
export function eachLineSlow(
  buf: Buffer,
  start: number,
  end: number,
  first: boolean,
  out: (r: Normalised) => void,
): number {
  let lines = 0;
  let a = start;
  for (;;) {
    let nl = buf.indexOf(10, a);
    if (nl === -1 || nl > end) nl = end;
    out(normaliseLine(buf, a, nl, first && lines === 0, nl - a > MAX_RAW_LINE_BYTES));
    lines++;
    if (nl >= end) return lines;
    a = nl + 1;
  }
}
