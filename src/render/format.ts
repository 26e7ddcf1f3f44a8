// Formatting of values for people: money, dates, stock, truncation.
// Piped output keeps values exact (ISO dates); terminals get friendlier forms.

/**
 * An amount in its currency. On a terminal, by the currency's own rules
 * (Intl: symbol, grouping, decimals: `$4.99`, `€1,234.50`, `¥1,235`); piped,
 * a plain number with the currency's decimals and its code (`1235 JPY`,
 * `4.99 USD`): no symbol, no grouping, so a script can read it back.
 */
export function money(amount: unknown, currency: unknown, tty = false): string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return '';
  const code = typeof currency === 'string' && currency ? currency : 'USD';
  const f = currencyFormat(code);
  if (!f) return `${amount.toFixed(2)} ${code}`;
  if (tty) return f.format(amount);
  return `${amount.toFixed(f.resolvedOptions().maximumFractionDigits ?? 2)} ${code}`;
}

const formats = new Map<string, Intl.NumberFormat | undefined>();
/** The currency's formatter; undefined for a code Intl does not accept. */
function currencyFormat(code: string): Intl.NumberFormat | undefined {
  if (!formats.has(code)) {
    let f: Intl.NumberFormat | undefined;
    try {
      f = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    } catch {
      f = undefined;
    }
    formats.set(code, f);
  }
  return formats.get(code);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

export function relativeTime(iso: unknown, nowMs: number): string {
  if (typeof iso !== 'string' || !iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diff = at - nowMs;
  const abs = Math.abs(diff);
  if (abs < 60_000) return diff <= 0 ? 'just now' : 'in under a minute';
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return iso;
}

export function date(iso: unknown, tty: boolean, nowMs: number): string {
  if (typeof iso !== 'string') return '';
  return tty ? relativeTime(iso, nowMs) : iso;
}

export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** How many columns a string takes on a terminal (the table code passes string-width). */
export type Measure = (s: string) => number;
const codePoints: Measure = (s) => Array.from(s).length;

/**
 * Cut to `width` display columns with an ellipsis. `measure` counts columns:
 * string-width on a terminal (CJK and emoji take two); code points by default.
 * Cuts between graphemes, so an emoji sequence or an accent is never split.
 */
export function truncate(value: string, width: number, measure: Measure = codePoints): string {
  if (measure(value) <= width) return value;
  if (width <= 0) return '';
  const room = width <= 1 ? width : width - 1;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes().segment(value)) {
    const w = measure(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return width <= 1 ? out : `${out}…`;
}

let segmenter: Intl.Segmenter | undefined;
function graphemes(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return segmenter;
}

/**
 * Make a value safe for one tab-separated cell: no tabs, no newlines, and no
 * terminal escapes from the service (piped output often ends up on a screen).
 */
export function tsvCell(value: string): string {
  return sanitize(value.replace(/[\t\r\n]+/g, ' '));
}

/** Strip control characters (terminal escapes) from service-provided text. */
export function sanitize(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/**
 * For text a person reads on a terminal: also no bidirectional overrides or
 * isolates (which reorder what is shown: a title can pose as another, a
 * price can read backwards) and no zero-width characters (which hide text,
 * or make two different ids look the same).
 */
export function sanitizeForTerminal(value: string): string {
  return sanitize(value).replace(
    /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g,
    '',
  );
}
