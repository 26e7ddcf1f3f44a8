// `--history N`: N orders over the last 90 days before `now`, so a sync, the
// stats and the stock horizon have a shop's past to read (the list endpoint
// still answers only the newest 200, as the real service does). The days
// follow a plausible pattern: a slow growth over the quarter, busier
// weekends, evenings busier than nights, and day-to-day noise. The mix of
// statuses is a live shop's: almost all completed, a few refunded, expired
// or cancelled, and pending or processing only in the last hours. Reproducible
// for a given seed and `now`.
import { mulberry32, type Rng } from './rng.js';
import type { Order, Product, Store } from './store.js';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;
/** Relative orders per hour of the day (UTC), night low, evening high. */
const HOURLY = [
  2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 8, 7, 7, 7, 8, 9, 11, 12, 12, 10, 7, 4,
] as const;
/** Relative orders per weekday, Sunday first. */
const WEEKLY = [1.3, 0.9, 0.9, 0.95, 1, 1.15, 1.35] as const;
const GATEWAYS = [
  ['stripe', 0.55],
  ['paypal', 0.3],
  ['crypto', 0.15],
] as const;
const INVOICE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pick<T>(rng: Rng, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of weighted) {
    r -= w;
    if (r < 0) return v;
  }
  return weighted[weighted.length - 1]![0];
}

/** Index into cumulative weights `cum` (last = total) for r in [0, total). */
function bisect(cum: readonly number[], r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function status(rng: Rng, ageMs: number): string {
  if (ageMs < 2 * 3_600_000) {
    const r = rng();
    if (r < 0.12) return 'pending';
    if (r < 0.18) return 'processing';
  }
  return pick(rng, [
    ['completed', 0.9],
    ['refunded', 0.03],
    ['expired', 0.05],
    ['cancelled', 0.02],
  ]);
}

/** Adds `count` orders of the store's products to the store (not through purchase: pools are left as they are). */
export function seedHistory(store: Store, count: number, now: number, seed = 1): void {
  if (count <= 0) return;
  const products = [...store.products.values()];
  if (products.length === 0) {
    throw new Error('--history needs products to sell: leave out --empty');
  }
  const rng = mulberry32(seed);
  // Popularity: a few products sell most (Zipf-like), cheaper ones more.
  const popularity = products.map(
    (p, i) => [p, 1 / (i + 1) / Math.sqrt(1 + p.price)] as [Product, number],
  );

  // Weight of every hour of the 90 days: trend × weekday × hour × daily noise.
  const start = now - HISTORY_DAYS * DAY_MS;
  const hours = HISTORY_DAYS * 24;
  const cum: number[] = [];
  let total = 0;
  let noise = 1;
  for (let h = 0; h < hours; h++) {
    const at = new Date(start + h * 3_600_000);
    if (h % 24 === 0) noise = 0.7 + rng() * 0.6;
    const trend = 0.7 + (0.6 * h) / hours;
    total += trend * WEEKLY[at.getUTCDay()]! * HOURLY[at.getUTCHours()]! * noise;
    cum.push(total);
  }

  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const hour = bisect(cum, rng() * total);
    times.push(Math.min(now - 1, start + hour * 3_600_000 + Math.floor(rng() * 3_600_000)));
  }
  times.sort((a, b) => a - b);

  for (let i = 0; i < times.length; i++) {
    const at = times[i]!;
    const p = pick(rng, popularity);
    const quantity = rng() < 0.85 ? 1 : rng() < 0.7 ? 2 : 3;
    const st = status(rng, now - at);
    const delivered =
      p.type === 'serials' && (st === 'completed' || st === 'refunded')
        ? Array.from({ length: quantity }, () => serial(rng))
        : [];
    const order: Order = {
      invoiceId: invoiceId(store, rng),
      productId: p.id,
      productTitle: p.title,
      quantity,
      total: Math.round(p.price * quantity * 100) / 100,
      currency: p.currency,
      status: st,
      gateway: pick(rng, GATEWAYS),
      customerEmail: `buyer${1000 + Math.floor(rng() * 9000)}@example.com`,
      createdAt: new Date(at).toISOString(),
      deliveredItems: delivered,
    };
    store.orders.set(order.invoiceId, order);
  }
}

function invoiceId(store: Store, rng: Rng): string {
  for (;;) {
    let id = 'AS-';
    for (let i = 0; i < 6; i++) id += INVOICE_CHARS[Math.floor(rng() * INVOICE_CHARS.length)];
    if (!store.orders.has(id)) return id;
  }
}

function serial(rng: Rng): string {
  let s = 'HIST';
  for (let i = 0; i < 3; i++) {
    s += '-';
    for (let j = 0; j < 4; j++) s += INVOICE_CHARS[Math.floor(rng() * INVOICE_CHARS.length)];
  }
  return s;
}
