// --query's expressions (src/query.ts): what CI writes, and what a typo gets.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { parseQuery } from '../src/query.js';

const orders = [
  { invoiceId: 'A-1', status: 'completed', total: 5, currency: 'USD' },
  { invoiceId: 'A-2', status: 'pending', total: 7, currency: 'EUR' },
];

describe('parseQuery', () => {
  it.each([
    ['[].invoiceId', ['A-1', 'A-2']],
    ["[?status=='completed'].invoiceId", ['A-1']],
    // AWS's documentation writes literals without JSON quotes: accepted too.
    ['[?status==`completed`].invoiceId', ['A-1']],
    ['length(@)', 2],
    ['[0].{id: invoiceId, total: total}', { id: 'A-1', total: 5 }],
    ['[].nope', []],
  ])('%s', (expression, want) => {
    expect(parseQuery(expression).apply(orders)).toEqual(want);
  });

  it('an expression that does not parse is a usage error (exit 2) naming it', () => {
    const e = (() => {
      try {
        parseQuery('[?status==');
      } catch (error) {
        return error as UsageError;
      }
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toMatch(/^--query "\[\?status==": /);
    // …and a hint with the syntax, by example.
    expect(e?.hint).toMatch(/JMESPath.*e\.g\. \S/);
  });

  it('a function given the wrong type is a usage error, not a crash', () => {
    expect(() => parseQuery('length(total)').apply(orders[0])).toThrow(
      /^--query "length\(total\)": Invalid type/,
    );
  });
});
