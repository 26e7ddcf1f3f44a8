// An order: in a list (no customer email), and by invoice id (with it).
import { defineRecord, type RecordOf, type Tone } from './define.js';
import type { ORDER_STATUSES } from './order-statuses.js';

/** Known statuses; the service may send others. */
export type OrderStatus = (typeof ORDER_STATUSES)[number] | (string & {});

// deliveredItems: the serials delivered, once completed; customerEmail: only
// on an order fetched by id; productId and quantity: sent beyond the reference.
const schema = {
  invoiceId: 'string!',
  productTitle: 'string',
  total: 'number',
  currency: 'string',
  status: 'string',
  gateway: 'string',
  customerEmail: 'string',
  createdAt: 'string',
  deliveredItems: 'strings',
  productId: 'string',
  quantity: 'number',
} as const;

// A Map, not an object: a status such as "toString" from the service must not
// find Object's methods (a function as a tone crashed the terminal table).
const STATUS_TONE = new Map<unknown, Tone>([
  ['completed', 'good'],
  ['pending', 'warn'],
  ['processing', 'warn'],
  ['expired', 'dim'],
  ['refunded', 'bad'],
  ['cancelled', 'dim'],
  ['failed', 'bad'],
]);

/** The status's colour, in the list, the detail and `orders watch` alike. */
const statusTone = (o: { status?: unknown }): Tone => STATUS_TONE.get(o.status) ?? 'plain';

export const ORDER = defineRecord({
  name: 'order',
  plural: 'orders',
  schema,
  fields: [
    'invoiceId',
    'productTitle',
    'total',
    'currency',
    'status',
    'gateway',
    'customerEmail',
    'createdAt',
  ],
  money: { total: 'currency' },
  columns: [
    { label: 'invoice', field: 'invoiceId' },
    { label: 'product', field: 'productTitle', shrink: true },
    { label: 'total', field: 'total', align: 'right' },
    { label: 'status', field: 'status', tone: statusTone },
    { label: 'gateway', field: 'gateway', drop: 2 },
    {
      label: 'items',
      show: (o) => (Array.isArray(o.deliveredItems) ? String(o.deliveredItems.length) : ''),
      align: 'right',
    },
    { label: 'created', field: 'createdAt', tone: () => 'dim' },
  ],
  empty: 'No orders.',
});
export type Order = RecordOf<typeof schema>;

export const ORDER_DETAIL = defineRecord({
  ...ORDER,
  columns: undefined,
  rows: [
    { label: 'invoice', field: 'invoiceId' },
    { label: 'product', field: 'productTitle' },
    { label: 'total', field: 'total' },
    { label: 'status', field: 'status', tone: statusTone },
    { label: 'gateway', field: 'gateway' },
    { label: 'customer', field: 'customerEmail' },
    { label: 'created', field: 'createdAt' },
  ],
  section: { field: 'deliveredItems', title: 'Delivered items' },
});

/** A sale: an order whose keys left the pool (completed, or refunded since). */
export const SALE_STATUSES: readonly string[] = ['completed', 'refunded'];

/**
 * The units an order sold: its quantity, else the keys it delivered, else
 * one. The order history counts the same way (history/db.ts, in SQL).
 */
export function unitsOf(o: Pick<Order, 'quantity' | 'deliveredItems'>): number {
  if (typeof o.quantity === 'number') return o.quantity;
  if (Array.isArray(o.deliveredItems)) return o.deliveredItems.length;
  return 1;
}
