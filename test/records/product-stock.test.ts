// A product's stock as lists show it and as `warehouses check` counts it: one
// rule. Serials (the service's default type, also when the type is absent or
// null) count; unlimited stock and the other types are ∞ and never low.
import { describe, expect, it } from 'vitest';
import { countsStock, type Product, stockText } from '../../src/records/product.js';

const product = (p: Partial<Product>): Product => ({ id: 'p', ...p }) as Product;

describe('a product stock: shown and counted alike', () => {
  it.each([
    ['serials', { type: 'serials', stock: 3 }, '3', true],
    ['no type: the default, serials', { stock: 3 }, '3', true],
    ['a null type: the default, serials', { type: null, stock: 3 }, '3', true],
    ['unlimited stock', { type: 'serials', stock: 3, unlimitedStock: true }, '∞', false],
    ['a service', { type: 'service', stock: 3 }, '∞', false],
    ['a file', { type: 'file', stock: 0 }, '∞', false],
  ] as const)('%s', (_, fields, shown, counted) => {
    const p = product(fields as Partial<Product>);
    expect(stockText(p)).toBe(shown);
    expect(countsStock(p)).toBe(counted);
  });
});
