// The rule for names where ids are taken (src/names.ts): an exact id first,
// then a product's slug, then its exact title; a warehouse's exact name. A
// shared name is ambiguous; an unknown reference is passed on as an id.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { resolveName } from '../src/names.js';

const products = [
  { id: 'p1', slug: 'netflix-1m', title: 'Netflix 1 Month' },
  { id: 'p2', slug: 'netflix-1m-2', title: 'Netflix 1 Month' },
  { id: 'p3', slug: 'p1', title: 'Steam $20' },
];
const warehouses = [
  { id: 'w1', name: 'Netflix pool' },
  { id: 'w2', name: 'Shared' },
  { id: 'w3', name: 'Shared' },
];

describe('resolveName', () => {
  it.each([
    ['an exact id wins over a slug that spells it', 'p1', 'p1'],
    ['a slug', 'netflix-1m-2', 'p2'],
    ['an exact title', 'Steam $20', 'p3'],
    ['an unknown reference is passed on as an id', 'nope', 'nope'],
  ])('products: %s', (_, ref, want) => {
    expect(resolveName('product', ref, products)).toBe(want);
  });

  it('a title two products share is ambiguous: a usage error listing both ids', () => {
    const e = (() => {
      try {
        resolveName('product', 'Netflix 1 Month', products);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    expect((e as Error).message).toBe(
      '"Netflix 1 Month" names 2 products: p1 (Netflix 1 Month), p2 (Netflix 1 Month)',
    );
  });

  it('a name shared by more than ten: the first ten listed, and how many more', () => {
    const pools = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `w${i + 1}`, name: 'Pool' }));
    const message = (n: number) => {
      try {
        resolveName('warehouse', 'Pool', pools(n));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not ambiguous');
    };
    const ten = pools(10)
      .map((w) => `${w.id} (Pool)`)
      .join(', ');
    expect(message(10)).toBe(`"Pool" names 10 warehouses: ${ten}`);
    expect(message(12)).toBe(`"Pool" names 12 warehouses: ${ten}, and 2 more`);
  });

  it('warehouses: an exact name, case and all; a shared name is ambiguous', () => {
    expect(resolveName('warehouse', 'Netflix pool', warehouses)).toBe('w1');
    expect(resolveName('warehouse', 'netflix pool', warehouses)).toBe('netflix pool');
    expect(() => resolveName('warehouse', 'Shared', warehouses)).toThrow(/names 2 warehouses/);
  });
});
