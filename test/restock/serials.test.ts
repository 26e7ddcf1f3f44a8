// A unit's serials are packed bytes: every serial comes back exactly as it
// went in, however the list grew, and is written out (request body, lists)
// byte for byte.
import { describe, expect, it } from 'vitest';
import { Serials } from '../../src/restock/serials.js';
import { stockBody } from '../../src/restock/target.js';

const odd = ['A', 'KEY-"1"', 'C:\\x', 'ÄÖÜ-ß', '日本-𝔘', 'x'.repeat(1024), 'y'.repeat(65)];

describe('Serials', () => {
  it('gives back every serial exactly, past its first capacity, by position and in order', () => {
    const list = new Serials(1, 1);
    const many = Array.from({ length: 5000 }, (_, i) => `${odd[i % odd.length]}-${i}`);
    for (const s of many) list.pushString(s);
    expect(list.length).toBe(many.length);
    expect([...list]).toEqual(many);
    expect(list.at(4321)).toBe(many[4321]);
    expect(list.slice(10, 13)).toEqual(many.slice(10, 13));
  });

  it('picks positions into a list of their own, in the order asked', () => {
    const list = Serials.of(odd);
    expect([...list.pick([5, 0, 3])]).toEqual([odd[5], odd[0], odd[3]]);
    expect(list.pick([]).length).toBe(0);
  });

  it('takes a serial from a line of bytes', () => {
    const line = Buffer.from('  ÄB-1  \n');
    const list = new Serials();
    list.push(line, 2, 7);
    expect(list.at(0)).toBe('ÄB-1');
  });

  it('is cleared for reuse without its old serials showing through', () => {
    const list = Serials.of(['LONGER-SERIAL', 'B']);
    list.clear();
    list.pushString('C');
    expect([...list]).toEqual(['C']);
  });

  it('writes lines into a small buffer in pieces, none split', () => {
    const list = Serials.of(['AAAA', 'BBBB', 'CCCC']);
    const out = Buffer.alloc(11);
    const [next, end] = list.writeLines(0, 3, out, 0);
    expect([next, out.toString('utf8', 0, end)]).toEqual([2, 'AAAA\nBBBB\n']);
    expect(list.line(2).toString()).toBe('CCCC\n');
  });

  it('makes a request body JSON reads back as the same serials', () => {
    const body = stockBody(Serials.of(odd), true);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      stock: odd.join('\n'),
      removeDuplicates: true,
    });
  });
});
