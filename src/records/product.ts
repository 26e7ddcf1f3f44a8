// A product: in a list, and by id with the serials its pool holds.
import { defineRecord, type RecordOf } from './define.js';

export const PRODUCT_TYPES = ['serials', 'service', 'file', 'dynamic'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'] as const;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;

// Enum-like fields stay strings: the service may add values. `stock` is the
// live count of the linked pool (not meaningful when unlimitedStock);
// `warehouseId` is absent for legacy products with stock of their own.
const schema = {
  id: 'string!',
  title: 'string',
  price: 'number',
  currency: 'string',
  type: 'string',
  stock: 'number',
  unlimitedStock: 'boolean',
  visibility: 'string',
  salesCount: 'number',
  warehouseId: 'string',
  createdAt: 'string',
  slug: 'string',
  purchaseNote: 'string',
} as const;

/** ∞ for unlimited stock and for products that are not serials; else the count. */
export function stockText(p: Product): string {
  // No type (absent or null) is the service's default: serials.
  if (p.unlimitedStock === true || (p.type != null && p.type !== 'serials')) return '∞';
  return typeof p.stock === 'number' ? String(p.stock) : '';
}
/** A product with serials of its own counting: a count, not unlimited, serials (or no type). */
export function countsStock(p: Product): p is Product & { stock: number } {
  return (
    typeof p.stock === 'number' &&
    p.unlimitedStock !== true &&
    (p.type === undefined || p.type === null || p.type === 'serials')
  );
}
const stockTone = (p: Product) => (stockText(p) === '0' ? 'bad' : 'plain');

export const PRODUCT = defineRecord({
  name: 'product',
  plural: 'products',
  schema,
  fields: [
    'id',
    'title',
    'price',
    'currency',
    'type',
    'stock',
    'unlimitedStock',
    'visibility',
    'salesCount',
    'warehouseId',
    'createdAt',
  ],
  money: { price: 'currency' },
  columns: [
    { label: 'id', field: 'id' },
    { label: 'title', field: 'title', shrink: true },
    { label: 'price', field: 'price', align: 'right' },
    { label: 'type', field: 'type' },
    { label: 'stock', show: stockText, align: 'right', tone: stockTone },
    { label: 'visibility', field: 'visibility', drop: 2 },
    { label: 'sales', field: 'salesCount', align: 'right', drop: 3 },
    { label: 'created', field: 'createdAt', tone: () => 'dim', drop: 1 },
  ],
  empty: 'No products.',
});
export type Product = RecordOf<typeof schema>;

export const PRODUCT_DETAIL = defineRecord({
  ...PRODUCT,
  schema: { ...schema, stockItems: 'strings' },
  columns: undefined,
  rows: [
    { label: 'id', field: 'id' },
    { label: 'title', field: 'title' },
    { label: 'price', field: 'price' },
    { label: 'type', field: 'type' },
    { label: 'stock', show: stockText, tone: stockTone },
    { label: 'visibility', field: 'visibility' },
    { label: 'warehouse', field: 'warehouseId' },
    { label: 'sales', field: 'salesCount' },
    { label: 'slug', field: 'slug' },
    { label: 'purchase note', field: 'purchaseNote' },
    { label: 'created', field: 'createdAt' },
  ],
  section: { field: 'stockItems', title: 'Stock items' },
});
/** A product by id: adds the serials its pool holds. */
export type ProductDetail = RecordOf<typeof PRODUCT_DETAIL.schema>;
