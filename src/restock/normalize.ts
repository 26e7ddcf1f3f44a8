// What counts as a serial (docs/restock.md, "Reading the input"): a line
// split on `\n`, without a trailing `\r`, surrounding spaces (and tabs, as the
// service strips them too) or a leading byte-order mark; blank lines are not
// serials. A line that cannot be a serial is rejected rather than sent:
// invalid UTF-8, control characters (a lone `\r`, NUL, inner tabs, C1), or
// more than MAX_SERIAL_BYTES bytes.

export const MAX_SERIAL_BYTES = 1024;
/** The splitter stops buffering a line past this; anything longer is rejected anyway. */
export const MAX_RAW_LINE_BYTES = 64 * 1024;

export type Normalised =
  | { kind: 'serial'; value: string }
  | { kind: 'blank' }
  | { kind: 'rejected'; reason: string };

const BLANK: Normalised = { kind: 'blank' };
const CHECKED: Normalised = { kind: 'serial', value: '' };
const TOO_LONG: Normalised = { kind: 'rejected', reason: `longer than ${MAX_SERIAL_BYTES} bytes` };
const HAS_CONTROL: Normalised = { kind: 'rejected', reason: 'contains a control character' };
const NOT_UTF8: Normalised = { kind: 'rejected', reason: 'is not valid UTF-8' };
const HAS_BOM: Normalised = { kind: 'rejected', reason: 'starts with a byte-order mark' };
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// C0 and C1 controls and DEL; tab and newline cannot be inside a trimmed line except as errors.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function isBlankByte(b: number): boolean {
  return b === 32 || b === 9;
}

/**
 * Normalises the bytes `buf[start, end)` of one line. `firstOfFile`: a UTF-8
 * byte-order mark at its start is removed.
 */
export function normaliseLine(
  buf: Buffer,
  start: number,
  end: number,
  firstOfFile: boolean,
  tooLong = false,
  /** False: only check the line (a plain ASCII serial is then not turned into a string). */
  decode = true,
): Normalised {
  const v = lineValue(buf, start, end, firstOfFile, tooLong, decode);
  return typeof v === 'string' ? { kind: 'serial', value: v } : v;
}

export const BLANK_LINE = 0;
export const REJECTED_LINE = 1;
export const SERIAL_LINE = 2;

/** Where serialSpan found the serial: `buf[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/**
 * normaliseLine for the reader, with no object made a line (a restock reads
 * millions): SERIAL_LINE with the serial's bytes at `span` (a valid line's
 * bytes are its serial's UTF-8), or BLANK_LINE, or REJECTED_LINE
 * (normaliseLine says why).
 */
export function serialSpan(
  buf: Buffer,
  start: number,
  end: number,
  firstOfFile: boolean,
  tooLong: boolean,
  span: Span,
): typeof SERIAL_LINE | typeof BLANK_LINE | typeof REJECTED_LINE {
  const v = lineValue(buf, start, end, firstOfFile, tooLong, false, span);
  return v === CHECKED ? SERIAL_LINE : v === BLANK ? BLANK_LINE : REJECTED_LINE;
}

/**
 * The serial as a string (`decode`), or a shared constant: blank, checked
 * (its bytes at `span`), or rejected and why.
 */
function lineValue(
  buf: Buffer,
  start: number,
  end: number,
  firstOfFile: boolean,
  tooLong: boolean,
  decode: boolean,
  span?: Span,
): string | Normalised {
  if (tooLong) return TOO_LONG;
  if (firstOfFile && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb) {
    if (buf[start + 2] === 0xbf) start += 3;
  }
  if (end > start && buf[end - 1] === 13) end--;
  while (start < end && isBlankByte(buf[start]!)) start++;
  while (end > start && isBlankByte(buf[end - 1]!)) end--;
  if (start === end) return BLANK;
  if (end - start > MAX_SERIAL_BYTES) return TOO_LONG;
  if (span) {
    span.start = start;
    span.end = end;
  }
  // Fast path: printable ASCII only (the usual serial) decodes as latin1.
  let ascii = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b < 0x20 || b === 0x7f) return HAS_CONTROL;
    if (b > 0x7f) ascii = false;
  }
  if (ascii) return decode ? buf.toString('latin1', start, end) : CHECKED;
  let value: string;
  try {
    value = decoder.decode(buf.subarray(start, end));
  } catch {
    return NOT_UTF8;
  }
  if (CONTROL.test(value)) return HAS_CONTROL;
  // The service would take a leading U+FEFF for a byte-order mark and drop it.
  if (value.charCodeAt(0) === 0xfeff) return HAS_BOM;
  return decode ? value : CHECKED;
}
