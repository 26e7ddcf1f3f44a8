import { describe, expect, it } from 'vitest';
import { MAX_SERIAL_BYTES, normaliseLine } from '../../src/restock/normalize.js';

const n = (s: string | Buffer, first = false) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return normaliseLine(b, 0, b.length, first);
};

describe('normaliseLine', () => {
  it('strips a trailing \\r, surrounding spaces and tabs; keeps inner text and case', () => {
    expect(n('  Ab-12 cD \r')).toEqual({ kind: 'serial', value: 'Ab-12 cD' });
    expect(n('\tX\t')).toEqual({ kind: 'serial', value: 'X' });
    expect(n('CODE')).toEqual({ kind: 'serial', value: 'CODE' });
  });

  it('strips a byte-order mark only at the start of a file', () => {
    expect(n('\ufeffA', true)).toEqual({ kind: 'serial', value: 'A' });
    expect(n('\ufeffA', false).kind).toBe('rejected');
  });

  it('skips blank lines', () => {
    for (const s of ['', ' ', '\r', ' \t \r', '\ufeff']) {
      expect(n(s, true)).toEqual({ kind: 'blank' });
    }
  });

  it('keeps valid non-ASCII serials', () => {
    expect(n(' Gift-€5-日本-🎁 ')).toEqual({ kind: 'serial', value: 'Gift-€5-日本-🎁' });
  });

  it('rejects invalid UTF-8, control characters and absurdly long lines', () => {
    expect(n(Buffer.from([0x41, 0xff, 0x42]))).toEqual({
      kind: 'rejected',
      reason: 'is not valid UTF-8',
    });
    expect(n(Buffer.from([0xc3]))).toMatchObject({ kind: 'rejected' });
    expect(n('A\u0000B')).toMatchObject({
      kind: 'rejected',
      reason: 'contains a control character',
    });
    expect(n('A\rB')).toMatchObject({ kind: 'rejected' });
    expect(n('A\tB')).toMatchObject({ kind: 'rejected' });
    expect(n('A\u0085B')).toMatchObject({ kind: 'rejected' });
    expect(n('x'.repeat(MAX_SERIAL_BYTES))).toMatchObject({ kind: 'serial' });
    expect(n('x'.repeat(MAX_SERIAL_BYTES + 1))).toMatchObject({ kind: 'rejected' });
  });
});
