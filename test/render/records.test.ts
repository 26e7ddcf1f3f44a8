import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { money, truncate } from '../../src/render/format.js';
import {
  checkFields,
  csvCell,
  csvLine,
  getPath,
  pick,
  plain,
  validFields,
} from '../../src/render/records.js';

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubling quotes; plain fields stay bare', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('esc\u001b[31mred')).toBe('esc[31mred');
    expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });
  it('numbers plain, lists as JSON, nothing for null', () => {
    expect(plain(1234.5)).toBe('1234.5');
    expect(plain(0)).toBe('0');
    expect(plain(null)).toBe('');
    expect(plain(false)).toBe('false');
    expect(plain(['A', 'B'])).toBe('["A","B"]');
  });
});

const DOC = { name: 'x', plural: 'xs', schema: {}, fields: ['title'] };

describe('fields', () => {
  const rec = { id: 'x', 'odd.key': 1, meta: { a: { b: 2 } }, list: [1] };
  it('dotted paths reach nested fields; an exact key wins', () => {
    expect(getPath(rec, 'meta.a.b')).toBe(2);
    expect(getPath(rec, 'odd.key')).toBe(1);
    expect(getPath(rec, 'meta.zz')).toBeUndefined();
    expect(pick(rec, ['meta.a.b', 'id', 'nope'])).toEqual({ 'meta.a.b': 2, id: 'x', nope: null });
  });
  it('valid names: documented ones and every path in the records', () => {
    expect(validFields([rec], ['title'])).toEqual([
      'title',
      'id',
      'odd.key',
      'meta',
      'meta.a',
      'meta.a.b',
      'list',
    ]);
    expect(() => checkFields(['id', 'bogus'], [rec], DOC)).toThrow(
      /unknown field "bogus"; valid fields: title, id, odd\.key/,
    );
    expect(() => checkFields(['title'], [], DOC)).not.toThrow();
  });
});

describe("money by the currency's rules", () => {
  it("on a terminal: symbol, grouping and the currency's decimals", () => {
    expect(money(1234.5, 'EUR', true)).toBe('€1,234.50');
    expect(money(1234.5, 'JPY', true)).toBe('¥1,235');
    expect(money(4.99, 'USD', true)).toBe('$4.99');
  });
  it("piped: a plain number with the currency's decimals and its code", () => {
    expect(money(1234.5, 'EUR')).toBe('1234.50 EUR');
    expect(money(1234.5, 'JPY')).toBe('1235 JPY');
    expect(money(2, 'XYZ')).toBe('2.00 XYZ');
    expect(money(2, 'not a code')).toBe('2.00 not a code');
  });
});

describe('titles cut by display width', () => {
  it('wide characters and emoji count two columns', () => {
    const cut = truncate('ネットフリックス プレミアム', 10, stringWidth);
    expect(cut).toBe('ネットフ…');
    expect(stringWidth(cut)).toBeLessThanOrEqual(10);
    expect(truncate('🎮🎮🎮🎮', 5, stringWidth)).toBe('🎮🎮…');
    // An emoji sequence is kept whole or left out, never split.
    const family = '👨‍👩‍👧';
    const cutFamily = truncate(`${family} family`, 4, stringWidth);
    expect(cutFamily === '…' || cutFamily.startsWith(family)).toBe(true);
    expect(truncate('short', 10, stringWidth)).toBe('short');
  });
});
