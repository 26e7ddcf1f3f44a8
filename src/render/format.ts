// Formatting of values for people: money, dates, stock, truncation.
// Piped output keeps values exact (ISO dates); terminals get friendlier forms.

export function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return '';
  const code = typeof currency === 'string' && currency ? currency : 'USD';
  return `${amount.toFixed(2)} ${code}`;
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

/** Cut to `width` display columns with an ellipsis. Counts code points, not UTF-16 units. */
export function truncate(value: string, width: number): string {
  const chars = Array.from(value);
  if (chars.length <= width) return value;
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
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
