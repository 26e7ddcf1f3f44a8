// What `astrosell stats` counts, from orders reduced to the facts it needs.
// Pure: the same code runs over the history and over the newest page.
//
// An order counts in the period of its createdAt (UTC). `orders` counts every
// order created, whatever its status; `revenue` sums the totals of completed
// orders only (a refunded order's money went back; a pending one has not
// come in), per currency: amounts in two currencies are never added.
import type { OrderFacts } from '../../history/db.js';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** An order reduced to what `stats` counts, as the history keeps it. */
export type Fact = OrderFacts;

/** Amounts per currency, in the currency's units (two decimals, summed in cents). */
export type Money = Record<string, number>;

export interface Row {
  key: string;
  orders: number;
  revenue: Money;
}

export interface Stats {
  source: 'history' | 'newest';
  period: Period;
  /** The range counted: [from, to), ISO. */
  from: string;
  to: string;
  /** Every period of the range, oldest first, empty ones included. */
  periods: Row[];
  byProduct: Row[];
  byGateway: Row[];
  byStatus: Row[];
  /** Refunded among the orders paid for (completed or refunded). */
  refunds: { refunded: number; paid: number; rate: number | null };
  totals: Row;
}

const DAY = 86_400_000;

/** The start (UTC) of the period holding `ms`. */
export function periodStart(ms: number, period: Period): number {
  const d = new Date(ms);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  return day - ((d.getUTCDay() + 6) % 7) * DAY; // weeks start on Monday
}

export function nextPeriod(ms: number, period: Period): number {
  if (period === 'day') return ms + DAY;
  if (period === 'week') return ms + 7 * DAY;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** `2026-12-06` for a day or a week (its Monday), `2026-12` for a month. */
export function periodKey(start: number, period: Period): string {
  const iso = new Date(start).toISOString();
  return period === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

/** The default range: the last 30 days, 12 weeks or 12 months, this one included. */
export function defaultFrom(now: number, period: Period): number {
  let start = periodStart(now, period);
  const count = period === 'day' ? 30 : 12;
  for (let i = 1; i < count; i++) start = periodStart(start - 1, period);
  return start;
}

class Tally {
  orders = 0;
  cents = new Map<string, number>();
  add(f: Fact): void {
    this.orders++;
    if (f.status === 'completed') {
      this.cents.set(f.currency, (this.cents.get(f.currency) ?? 0) + Math.round(f.total * 100));
    }
  }
  row(key: string): Row {
    const revenue: Money = {};
    const sorted = [...this.cents].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [c, v] of sorted) revenue[c] = v / 100;
    return { key, orders: this.orders, revenue };
  }
}

function ranked(groups: Map<string, Tally>): Row[] {
  return [...groups]
    .map(([k, t]) => t.row(k))
    .sort((a, b) => b.orders - a.orders || a.key.localeCompare(b.key));
}

export function aggregate(
  facts: Iterable<Fact>,
  o: { from: number; to: number; period: Period; source: Stats['source'] },
): Stats {
  const periods = new Map<number, Tally>();
  for (let p = periodStart(o.from, o.period); p < o.to; p = nextPeriod(p, o.period)) {
    periods.set(p, new Tally());
  }
  const byProduct = new Map<string, Tally>();
  const byGateway = new Map<string, Tally>();
  const byStatus = new Map<string, Tally>();
  const total = new Tally();
  let refunded = 0;
  let paid = 0;
  const into = (m: Map<string, Tally>, k: string, f: Fact) => {
    let t = m.get(k);
    if (!t) {
      t = new Tally();
      m.set(k, t);
    }
    t.add(f);
  };
  for (const f of facts) {
    if (!(f.at >= o.from && f.at < o.to)) continue;
    periods.get(periodStart(f.at, o.period))?.add(f);
    into(byProduct, f.product, f);
    into(byGateway, f.gateway, f);
    into(byStatus, f.status, f);
    total.add(f);
    if (f.status === 'refunded') refunded++;
    if (f.status === 'refunded' || f.status === 'completed') paid++;
  }
  return {
    source: o.source,
    period: o.period,
    from: new Date(o.from).toISOString(),
    to: new Date(o.to).toISOString(),
    periods: [...periods].map(([p, t]) => t.row(periodKey(p, o.period))),
    byProduct: ranked(byProduct),
    byGateway: ranked(byGateway),
    byStatus: ranked(byStatus),
    refunds: { refunded, paid, rate: paid === 0 ? null : refunded / paid },
    totals: total.row('total'),
  };
}

/** The facts of an order as the service sends it (listed or kept in the history). */
export function factOf(o: Record<string, unknown>): Fact | undefined {
  const at = typeof o.createdAt === 'string' ? Date.parse(o.createdAt) : Number.NaN;
  if (!Number.isFinite(at)) return undefined;
  const s = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);
  return {
    at,
    status: s(o.status, 'unknown'),
    currency: s(o.currency, '?'),
    total: typeof o.total === 'number' && Number.isFinite(o.total) ? o.total : 0,
    product: s(o.productTitle, s(o.productId, 'unknown')),
    gateway: s(o.gateway, 'unknown'),
  };
}
