// Values for people, exactly: money by the currency's decimals, relative
// times in every unit, truncation edges, and the --fields parser.
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import * as format from '../../src/render/format.js';
import { fieldsArg } from '../../src/render/formats.js';
import { freshImport } from '../helpers/fresh.js';

type FormatModule = typeof format;

describe('money', () => {
  it('nothing for a value that is not a finite number', () => {
    expect(format.money('5', 'USD')).toBe('');
    expect(format.money(Number.NaN, 'USD', true)).toBe('');
    expect(format.money(Number.POSITIVE_INFINITY, 'USD')).toBe('');
    expect(format.money(undefined, 'USD')).toBe('');
  });
  it("piped: the currency's own decimals, three for a dinar", () => {
    expect(format.money(1.5, 'BHD')).toBe('1.500 BHD');
    expect(format.money(1.5, 'JPY')).toBe('2 JPY');
    expect(format.money(1.5, 'USD')).toBe('1.50 USD');
    expect(format.money(1.5, '')).toBe('1.50 USD');
    expect(format.money(1.5, 'nope')).toBe('1.50 nope');
    // A second time through the cache, the same.
    expect(format.money(1.5, 'nope')).toBe('1.50 nope');
    expect(format.money(1.5, 'BHD', true)).toBe('BHD\u00a01.500');
  });
});

describe('relativeTime in every unit', () => {
  const now = Date.parse('2026-06-15T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const later = (ms: number) => new Date(now + ms).toISOString();
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;
  it('from minutes to years (a fresh copy of the unit table)', async () => {
    const f = await freshImport<FormatModule>(import.meta.url, '../../src/render/format.ts');
    const rel = (iso: string) => f.relativeTime(iso, now);
    expect(rel(ago(30_000))).toBe('just now');
    expect(rel(later(30_000))).toBe('in under a minute');
    expect(rel(ago(5 * MIN))).toBe('5 minutes ago');
    expect(rel(later(59 * MIN))).toBe('in 59 minutes');
    expect(rel(ago(2 * HOUR))).toBe('2 hours ago');
    expect(rel(ago(5 * HOUR))).toBe('5 hours ago');
    expect(rel(later(23 * HOUR))).toBe('in 23 hours');
    expect(rel(ago(3 * DAY))).toBe('3 days ago');
    expect(rel(ago(DAY))).toBe('yesterday');
    expect(rel(ago(2 * 7 * DAY))).toBe('2 weeks ago');
    expect(rel(later(7 * DAY))).toBe('next week');
    expect(rel(ago(60 * DAY))).toBe('2 months ago');
    expect(rel(ago(29 * DAY))).toBe('4 weeks ago');
    expect(rel(later(364 * DAY))).toBe('in 12 months');
    expect(rel(ago(2 * 365 * DAY))).toBe('2 years ago');
    expect(rel('not a date')).toBe('not a date');
  });
});

describe('text', () => {
  it('numbers as JavaScript writes them, even NaN', () => {
    expect(format.text(Number.NaN)).toBe('NaN');
    expect(format.text(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(format.text(false)).toBe('false');
  });
});

describe('truncate', () => {
  it('code points by default: a short value is kept whole', () => {
    expect(format.truncate('abc', 5)).toBe('abc');
    expect(format.truncate('abc', 3)).toBe('abc');
    expect(format.truncate('abcdef', 4)).toBe('abc…');
  });
  it('no room: nothing, even zero-width pieces', () => {
    const m = (s: string) => s.replace(/x/g, '').length;
    expect(format.truncate('xab', 0, m)).toBe('');
    expect(format.truncate('xab', -1, m)).toBe('');
    expect(format.truncate('xab', 1, m)).toBe('xa');
  });
});

describe('--fields', () => {
  it('comma-separated, trimmed', () => {
    expect(fieldsArg('id, title ,price')).toEqual(['id', 'title', 'price']);
    expect(fieldsArg('id')).toEqual(['id']);
  });
  it('an empty name is an invalid argument', () => {
    for (const bad of ['id,,title', 'id,', ' ', 'a, ,b']) {
      expect(() => fieldsArg(bad)).toThrow(
        new InvalidArgumentError('--fields takes names separated by commas, e.g. id,title'),
      );
    }
  });
});
