// Records in every format, and the pieces that choose and shape them, with
// exact output.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createIO } from '../../src/io.js';
import {
  checkFields,
  chooseFormat,
  fieldColumns,
  getPath,
  plain,
  recordsOf,
  writeRecords,
} from '../../src/render/records.js';

class Sink extends Writable {
  text = '';
  writes = 0;
  constructor(
    public isTTY: boolean,
    public columns?: number,
  ) {
    super();
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.writes++;
    this.text += c.toString();
    cb();
  }
}

function term(tty: boolean, columns = 100) {
  const stdout = new Sink(tty, columns);
  const stderr = new Sink(tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const io = createIO({ stdin, stdout, stderr }, {}, { color: false, noInput: true });
  return { io, stdout, stderr };
}

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('chooseFormat', () => {
  it('--json is json; --format json with --json is fine; different ones are a usage error', () => {
    const piped = term(false).io;
    const tty = term(true).io;
    expect(chooseFormat({ json: true }, piped, 'json')).toBe('json');
    expect(chooseFormat({ json: true }, piped)).toBe('json');
    expect(chooseFormat({ json: false }, piped, 'csv')).toBe('csv');
    expect(chooseFormat({ json: false }, piped)).toBe('tsv');
    expect(chooseFormat({ json: false }, tty)).toBe('table');
    let err: unknown;
    try {
      chooseFormat({ json: true }, piped, 'csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      '--json and --format csv ask for different output; pass one',
    );
  });
});

describe('getPath on things that are not objects', () => {
  it('undefined for a non-object record or a non-object along the path', () => {
    expect(getPath('text', 'length')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
    expect(getPath([1, 2], '0')).toBeUndefined();
    expect(getPath({ a: 'text' }, 'a.length')).toBeUndefined();
    expect(getPath({ a: null }, 'a.b')).toBeUndefined();
    expect(getPath({ a: [5] }, 'a.0')).toBeUndefined();
    expect(getPath({ a: { b: 0 } }, 'a.b')).toBe(0);
  });
});

describe('checkFields messages', () => {
  it('one unknown field, several unknown fields', () => {
    expect(() => checkFields(['nope'], [{ id: 1 }], ['id'])).toThrow(
      new UsageError('unknown field "nope"; valid fields: id'),
    );
    expect(() => checkFields(['x', 'y'], [{ id: 1, n: { m: 2 } }], ['id', 'title'])).toThrow(
      new UsageError('unknown fields "x", "y"; valid fields: id, title, n, n.m'),
    );
  });
});

describe('plain', () => {
  it('numbers as JavaScript writes them, even the ones JSON cannot', () => {
    expect(plain(Number.NaN)).toBe('NaN');
    expect(plain(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(plain(-0.5)).toBe('-0.5');
    expect(plain(true)).toBe('true');
    expect(plain({ a: 1 })).toBe('{"a":1}');
    expect(plain('s')).toBe('s');
  });
});

describe('fieldColumns', () => {
  const view = { fields: ['id'], money: { price: 'currency' } };
  const rec = {
    price: 1234.5,
    currency: 'EUR',
    count: 7,
    stock: 3,
    title: 't',
    name: 'n',
    productTitle: 'p',
    createdAt: '2026-03-08T12:00:00Z',
    when: '2026-03-08T12:00:00Z',
    Atlas: '2026-03-08T12:00:00Z',
    updatedAtish: '2026-03-08T12:00:00Z',
    numAt: 5,
    label: 'x',
  };
  const cols = (tty: boolean, fields: string[]) => fieldColumns(fields, view, tty, NOW);
  it('amounts: friendly on a terminal, the number piped; not an amount when not a number', () => {
    const [price] = cols(true, ['price']);
    expect(price!.value(rec)).toBe('€1,234.50');
    expect(cols(false, ['price'])[0]!.value(rec)).toBe('1234.5');
    expect(price!.value({ price: 'ask', currency: 'EUR' })).toBe('ask');
    expect(cols(false, ['price'])[0]!.value({ price: 'ask' })).toBe('ask');
    // A number in a field that is not an amount stays a number.
    expect(cols(true, ['count'])[0]!.value(rec)).toBe('7');
    expect(cols(false, ['count'])[0]!.value(rec)).toBe('7');
  });
  it('dates: fields ending in At, relative on a terminal, exact piped', () => {
    expect(cols(true, ['createdAt'])[0]!.value(rec)).toBe('2 days ago');
    expect(cols(false, ['createdAt'])[0]!.value(rec)).toBe('2026-03-08T12:00:00Z');
    // Not a date field: as given, even on a terminal.
    expect(cols(true, ['when'])[0]!.value(rec)).toBe('2026-03-08T12:00:00Z');
    expect(cols(true, ['Atlas'])[0]!.value(rec)).toBe('2026-03-08T12:00:00Z');
    expect(cols(true, ['updatedAtish'])[0]!.value(rec)).toBe('2026-03-08T12:00:00Z');
    // A number in a date field is a number.
    expect(cols(true, ['numAt'])[0]!.value(rec)).toBe('5');
    expect(cols(false, ['numAt'])[0]!.value(rec)).toBe('5');
  });
  it('right-aligned amounts and counts; shrinking titles and names', () => {
    const all = cols(true, ['price', 'count', 'stock', 'title', 'name', 'productTitle', 'label']);
    expect(all.map((c) => [c.header, c.align, c.shrink])).toEqual([
      ['price', 'right', false],
      ['count', 'right', false],
      ['stock', 'right', false],
      ['title', 'left', true],
      ['name', 'left', true],
      ['productTitle', 'left', true],
      ['label', 'left', false],
    ]);
  });
});

describe('recordsOf', () => {
  it('a list keeps only the objects; anything else is no records; one is the object', () => {
    expect(recordsOf('[1,{"a":1},null,[2],"s",{"b":2}]', false)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(recordsOf('{"a":1}', false)).toEqual([]);
    expect(recordsOf('{"a":1}', true)).toEqual([{ a: 1 }]);
  });
});

describe('writeRecords', () => {
  const view = { fields: ['id', 'title', 'price'], money: { price: 'currency' } };
  const recs = [
    { id: 'a', title: 'Game, deluxe', price: 5, currency: 'USD', meta: { x: 1 } },
    { id: 'b', title: 'Other', price: 2.5, currency: 'USD', meta: { x: 2 } },
  ];
  it('csv: a header and CRLF lines, fields as asked', async () => {
    const t = term(false);
    await writeRecords(t.io, NOW, 'csv', recs, view, {});
    expect(t.stdout.text).toBe('id,title,price\r\na,"Game, deluxe",5\r\nb,Other,2.5\r\n');
    const u = term(false);
    await writeRecords(u.io, NOW, 'csv', recs, view, { fields: ['meta.x', 'id'] });
    expect(u.stdout.text).toBe('meta.x,id\r\n1,a\r\n2,b\r\n');
  });
  it('ndjson and json, whole or picked; one record as an object', async () => {
    const t = term(false);
    await writeRecords(t.io, NOW, 'ndjson', recs, view, { fields: ['id', 'meta.x'] });
    expect(t.stdout.text).toBe('{"id":"a","meta.x":1}\n{"id":"b","meta.x":2}\n');
    const u = term(false);
    await writeRecords(u.io, NOW, 'json', recs, view, { fields: ['id'] });
    expect(u.stdout.text).toBe('[{"id":"a"},{"id":"b"}]\n');
    const v = term(true);
    await writeRecords(v.io, NOW, 'json', [recs[0]], view, { fields: ['id'], one: true });
    expect(v.stdout.text).toBe('{\n  "id": "a"\n}\n');
    const w = term(false);
    await writeRecords(w.io, NOW, 'json', [], view, { one: true });
    expect(w.stdout.text).toBe('null\n');
  });
  it('tsv: a list, or one record as field/value lines only when asked for one', async () => {
    const t = term(false);
    await writeRecords(t.io, NOW, 'tsv', [recs[0]], view, { fields: ['id', 'title'] });
    expect(t.stdout.text).toBe('a\tGame, deluxe\n');
    const u = term(false);
    await writeRecords(u.io, NOW, 'tsv', [recs[0]], view, { fields: ['id', 'title'], one: true });
    expect(u.stdout.text).toBe('id\ta\ntitle\tGame, deluxe\n');
    const v = term(false);
    await writeRecords(v.io, NOW, 'tsv', recs, view, { fields: ['id'], one: true });
    expect(v.stdout.text).toBe('a\nb\n');
  });
  it('table: chosen fields, amounts friendly; the empty message on stderr', async () => {
    const t = term(true);
    await writeRecords(t.io, NOW, 'table', recs, view, { fields: ['id', 'price'] });
    expect(t.stdout.text).toBe('ID  PRICE\na   $5.00\nb   $2.50\n');
    const u = term(true);
    await writeRecords(u.io, NOW, 'table', [], view, { empty: 'No products.' });
    expect(u.stdout.text).toBe('');
    expect(u.stderr.text).toBe('No products.\n');
  });
  it('an unknown field is a usage error before anything is written', async () => {
    const t = term(false);
    await expect(writeRecords(t.io, NOW, 'csv', recs, view, { fields: ['zz'] })).rejects.toThrow(
      /^unknown field "zz"; valid fields: id, title, price, currency, meta, meta\.x$/,
    );
    expect(t.stdout.writes).toBe(0);
  });
});
