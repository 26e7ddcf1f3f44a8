// Column sets shared by list and detail views of each resource.

import type { Coupon, Order, Product, Warehouse } from '../api/resources/index.js';
import { date, money, text } from '../render/format.js';
import type { Column } from '../render/output.js';
import type { RecordView } from '../render/records.js';

// The documented fields of each record: a CSV's columns, and what --fields offers.
export const PRODUCT_VIEW: RecordView = {
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
};
export const WAREHOUSE_VIEW: RecordView = {
  fields: [
    'id',
    'name',
    'count',
    'lowStockThreshold',
    'removeDuplicates',
    'removeSold',
    'createdAt',
  ],
};
export const ORDER_VIEW: RecordView = {
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
};
export const COUPON_VIEW: RecordView = {
  fields: ['code', 'type', 'value', 'currency', 'uses', 'maxUses', 'expiresAt'],
};

export function stockText(p: Product): string {
  if (p.unlimitedStock === true || (p.type !== undefined && p.type !== 'serials')) return '∞';
  return typeof p.stock === 'number' ? String(p.stock) : '';
}

export function productColumns(tty: boolean, now: number): Column<Product>[] {
  return [
    { header: 'id', value: (p) => text(p.id) },
    { header: 'title', value: (p) => text(p.title), shrink: true },
    { header: 'price', value: (p) => money(p.price, p.currency, tty), align: 'right' },
    { header: 'type', value: (p) => text(p.type) },
    {
      header: 'stock',
      value: stockText,
      align: 'right',
      tone: (p) => (stockText(p) === '0' ? 'bad' : 'plain'),
    },
    { header: 'visibility', value: (p) => text(p.visibility), drop: 2 },
    { header: 'sales', value: (p) => text(p.salesCount), align: 'right', drop: 3 },
    { header: 'created', value: (p) => date(p.createdAt, tty, now), tone: () => 'dim', drop: 1 },
  ];
}

export function isLow(w: Warehouse): boolean {
  return (
    typeof w.lowStockThreshold === 'number' &&
    typeof w.count === 'number' &&
    w.count <= w.lowStockThreshold
  );
}

export function warehouseColumns(): Column<Warehouse>[] {
  return [
    { header: 'id', value: (w) => text(w.id) },
    { header: 'name', value: (w) => text(w.name), shrink: true },
    {
      header: 'count',
      value: (w) => text(w.count),
      align: 'right',
      tone: (w) => (isLow(w) ? (w.count === 0 ? 'bad' : 'warn') : 'plain'),
    },
    { header: 'low at', value: (w) => text(w.lowStockThreshold), align: 'right' },
    { header: 'dedup', value: (w) => yesNo(w.removeDuplicates) },
    { header: 'remove sold', value: (w) => yesNo(w.removeSold) },
  ];
}

function yesNo(v: unknown): string {
  return v === true ? 'yes' : v === false ? 'no' : '';
}

// A Map, not an object: a status such as "toString" from the service must not
// find Object's methods (a function as a tone crashed the terminal table).
const STATUS_TONE = new Map<string, 'good' | 'warn' | 'bad' | 'dim'>([
  ['completed', 'good'],
  ['pending', 'warn'],
  ['processing', 'warn'],
  ['expired', 'dim'],
  ['refunded', 'bad'],
  ['cancelled', 'dim'],
  ['failed', 'bad'],
]);

export function orderColumns(tty: boolean, now: number): Column<Order>[] {
  return [
    { header: 'invoice', value: (o) => text(o.invoiceId) },
    { header: 'product', value: (o) => text(o.productTitle), shrink: true },
    { header: 'total', value: (o) => money(o.total, o.currency, tty), align: 'right' },
    {
      header: 'status',
      value: (o) => text(o.status),
      tone: (o) => STATUS_TONE.get(text(o.status)) ?? 'plain',
    },
    { header: 'gateway', value: (o) => text(o.gateway), drop: 2 },
    {
      header: 'items',
      value: (o) => (Array.isArray(o.deliveredItems) ? String(o.deliveredItems.length) : ''),
      align: 'right',
    },
    { header: 'created', value: (o) => date(o.createdAt, tty, now), tone: () => 'dim' },
  ];
}

export function couponExpired(c: Coupon, now: number): boolean {
  return typeof c.expiresAt === 'string' && Date.parse(c.expiresAt) <= now;
}

export function couponUsedUp(c: Coupon): boolean {
  return typeof c.maxUses === 'number' && typeof c.uses === 'number' && c.uses >= c.maxUses;
}

export function couponColumns(tty: boolean, now: number): Column<Coupon>[] {
  return [
    { header: 'code', value: (c) => text(c.code) },
    {
      header: 'discount',
      value: (c) =>
        c.type === 'percent'
          ? `${text(c.value)}%`
          : typeof c.value === 'number'
            ? c.currency
              ? money(c.value, c.currency, tty)
              : c.value.toFixed(2)
            : text(c.value),
      align: 'right',
    },
    {
      header: 'used',
      value: (c) =>
        `${text(c.uses ?? 0)}/${c.maxUses === null || c.maxUses === undefined ? '∞' : text(c.maxUses)}`,
      align: 'right',
      tone: (c) => (couponUsedUp(c) ? 'warn' : 'plain'),
    },
    {
      header: 'expires',
      value: (c) => {
        if (typeof c.expiresAt !== 'string') return tty ? 'never' : '';
        const when = date(c.expiresAt, tty, now);
        return tty && couponExpired(c, now) ? `expired ${when}` : when;
      },
      tone: (c) => (couponExpired(c, now) ? 'bad' : 'plain'),
    },
    {
      header: 'state',
      value: (c) => (couponExpired(c, now) ? 'expired' : couponUsedUp(c) ? 'used up' : 'active'),
      tone: (c) => (couponExpired(c, now) ? 'bad' : couponUsedUp(c) ? 'warn' : 'good'),
    },
  ];
}
