// A coupon: a percentage or a fixed amount in `currency`; maxUses null: no
// limit; expiresAt null: never expires.
import { defineRecord, type RecordOf, type Show } from './define.js';

const schema = {
  code: 'string',
  type: 'string',
  value: 'number',
  currency: 'string',
  uses: 'number',
  maxUses: 'number',
  expiresAt: 'string',
} as const;

export function couponExpired(c: Coupon, now: number): boolean {
  return typeof c.expiresAt === 'string' && Date.parse(c.expiresAt) <= now;
}

export function couponUsedUp(c: Coupon): boolean {
  return typeof c.maxUses === 'number' && typeof c.uses === 'number' && c.uses >= c.maxUses;
}

function discount(c: Coupon, s: Show): string {
  if (c.type === 'percent') return `${s.text(c.value)}%`;
  if (typeof c.value !== 'number') return s.text(c.value);
  return c.currency ? s.money(c.value, c.currency) : c.value.toFixed(2);
}

function expires(c: Coupon, s: Show): string {
  if (typeof c.expiresAt !== 'string') return s.tty ? 'never' : '';
  const when = s.date(c.expiresAt);
  return s.tty && couponExpired(c, s.now) ? `expired ${when}` : when;
}

export const COUPON = defineRecord({
  name: 'coupon',
  plural: 'coupons',
  schema,
  fields: Object.keys(schema),
  columns: [
    { label: 'code', field: 'code' },
    { label: 'discount', show: discount, align: 'right' },
    {
      label: 'used',
      show: (c, s) => `${s.text(c.uses ?? 0)}/${c.maxUses == null ? '∞' : s.text(c.maxUses)}`,
      align: 'right',
      tone: (c) => (couponUsedUp(c) ? 'warn' : 'plain'),
    },
    {
      label: 'expires',
      show: expires,
      tone: (c, s) => (couponExpired(c, s.now) ? 'bad' : 'plain'),
    },
    {
      label: 'state',
      show: (c, s) =>
        couponExpired(c, s.now) ? 'expired' : couponUsedUp(c) ? 'used up' : 'active',
      tone: (c, s) => (couponExpired(c, s.now) ? 'bad' : couponUsedUp(c) ? 'warn' : 'good'),
    },
  ],
  empty: 'No coupons.',
});
export type Coupon = RecordOf<typeof schema>;
