import { describe, expect, it } from 'vitest';
import {
  date,
  money,
  relativeTime,
  sanitize,
  sanitizeForTerminal,
  text,
  truncate,
  tsvCell,
} from '../../src/render/format.js';

const NOW = Date.parse('2026-06-15T12:00:00.000Z');

describe('money', () => {
  it('shows two decimals and the currency', () => {
    expect(money(4.99, 'USD')).toBe('4.99 USD');
    expect(money(18.5, 'EUR')).toBe('18.50 EUR');
    expect(money(0, 'GBP')).toBe('0.00 GBP');
  });
  it('defaults the currency and leaves missing amounts empty', () => {
    expect(money(3, undefined)).toBe('3.00 USD');
    expect(money(undefined, 'USD')).toBe('');
    expect(money('12', 'USD')).toBe('');
    expect(money(Number.NaN, 'USD')).toBe('');
  });
});

describe('dates', () => {
  it('relative on a terminal', () => {
    expect(relativeTime('2026-06-15T11:59:30.000Z', NOW)).toBe('just now');
    expect(relativeTime('2026-06-15T09:00:00.000Z', NOW)).toBe('3 hours ago');
    expect(relativeTime('2026-06-14T12:00:00.000Z', NOW)).toBe('yesterday');
    expect(relativeTime('2026-05-15T12:00:00.000Z', NOW)).toBe('last month');
    expect(relativeTime('2026-06-15T12:10:00.000Z', NOW)).toBe('in 10 minutes');
    expect(relativeTime('2027-06-15T12:00:00.000Z', NOW)).toBe('next year');
  });
  it('ISO when piped', () => {
    expect(date('2026-06-14T12:00:00.000Z', false, NOW)).toBe('2026-06-14T12:00:00.000Z');
    expect(date('2026-06-14T12:00:00.000Z', true, NOW)).toBe('yesterday');
  });
  it('missing or odd values do not crash', () => {
    expect(date(undefined, true, NOW)).toBe('');
    expect(date(null, false, NOW)).toBe('');
    expect(relativeTime('not a date', NOW)).toBe('not a date');
  });
});

describe('text', () => {
  it('renders missing values as empty, objects as JSON', () => {
    expect(text(undefined)).toBe('');
    expect(text(null)).toBe('');
    expect(text(3)).toBe('3');
    expect(text(false)).toBe('false');
    expect(text({ a: 1 })).toBe('{"a":1}');
  });
});

describe('truncate', () => {
  it('cuts to the width with an ellipsis', () => {
    expect(truncate('Netflix Premium 1 Month', 10)).toBe('Netflix P…');
    expect(truncate('Netflix', 10)).toBe('Netflix');
    expect(truncate('Netflix', 7)).toBe('Netflix');
    expect(truncate('Netflix', 1)).toBe('N');
    expect(truncate('Netflix', 0)).toBe('');
  });
  it('counts code points, never splitting a surrogate pair', () => {
    expect(truncate('🎮🎮🎮🎮', 3)).toBe('🎮🎮…');
    expect(Array.from(truncate('ÅÄÖ🎮x', 4))).toHaveLength(4);
  });
});

describe('tsvCell', () => {
  it('keeps a value on one cell: no tabs, no newlines', () => {
    expect(tsvCell('a\tb')).toBe('a b');
    expect(tsvCell('line1\r\nline2\n')).toBe('line1 line2 ');
    expect(tsvCell('plain')).toBe('plain');
  });
});

describe('sanitize', () => {
  it('strips terminal escapes and control characters, keeps text', () => {
    expect(sanitize('\u001b[31mred\u001b[0m')).toBe('[31mred[0m');
    expect(sanitize('a\u0007b\u009bc')).toBe('abc');
    expect(sanitize('Ünïcödé ∞ 🎮')).toBe('Ünïcödé ∞ 🎮');
  });
});

describe('sanitizeForTerminal', () => {
  it('drops bidirectional overrides, isolates and zero-width characters as well as escapes', () => {
    expect(
      sanitizeForTerminal('a\u202Eb\u202Cc\u2066d\u2069e\u200Bf\u200Dg\uFEFFh\u001b[2Ji'),
    ).toBe('abcdefgh[2Ji');
  });
});
