// `warehouses check --days N`: days of stock left per pool and per product
// with stock of its own, from the units sold over the last 14 days in the
// local history (or, without one, the newest 200 orders, over the time they
// span), and exit 8 for what runs out within N days — or is at its
// low-stock threshold, as `check` without --days.
//
// Orders name their product by id where the service sends one, else by
// title; a title that several products share cannot say which one sold, so
// those orders count for none of them, and stderr says so.
import { existsSync } from 'node:fs';
import type { Order, Product, Resources, Warehouse } from '../../api/resources/index.js';
import type { Context } from '../../context.js';
import { EXIT_CODES } from '../../errors.js';
import type { ProductSales } from '../../history/db.js';
import { historyFile } from '../../history/path.js';
import type { Extra } from '../../records/define.js';
import { HORIZON } from '../../records/horizon.js';
import { SALE_STATUSES, unitsOf } from '../../records/order.js';
import { countsStock } from '../../records/product.js';
import { isLow } from '../../records/warehouse.js';
import type { Format, RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { print } from '../print.js';

const WINDOW_DAYS = 14;
const DAY = 86_400_000;

export interface Horizon extends Extra {
  kind: 'warehouse' | 'product';
  id: string;
  name: string | null;
  count: number | null;
  threshold: number | null;
  /** Units sold per day over the window; 0 when none sold. */
  perDay: number;
  /** Days until the stock is gone at that pace; null when nothing sells. */
  daysLeft: number | null;
  low: boolean;
  runsOut: boolean;
}

/** Units sold per product id; the titles that name several products. */
export function attribute(
  sales: readonly ProductSales[],
  products: readonly Product[],
): { sold: Map<string, number>; ambiguous: string[]; unknown: number } {
  const byTitle = new Map<string, string[]>();
  for (const p of products) {
    if (typeof p.title !== 'string') continue;
    byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p.id]);
  }
  const ids = new Set(products.map((p) => p.id));
  const sold = new Map<string, number>();
  const ambiguous = new Set<string>();
  let unknown = 0;
  for (const s of sales) {
    let id: string | undefined;
    if (s.productId !== null && ids.has(s.productId)) id = s.productId;
    else if (s.productId === null && s.productTitle !== null) {
      const named = byTitle.get(s.productTitle) ?? [];
      if (named.length === 1) id = named[0];
      else if (named.length > 1) ambiguous.add(s.productTitle);
    }
    if (id === undefined) unknown += s.sold;
    else sold.set(id, (sold.get(id) ?? 0) + s.sold);
  }
  return { sold, ambiguous: [...ambiguous].sort(), unknown };
}

export function horizons(
  warehouses: readonly Warehouse[],
  products: readonly Product[],
  sold: Map<string, number>,
  windowDays: number,
  days: number,
  /** --min: a product with serials of its own at or under it is low, as plain `check --min` says. */
  min?: number,
): Horizon[] {
  const out: Horizon[] = [];
  const row = (
    kind: Horizon['kind'],
    id: string,
    name: string | null,
    count: number | null,
    threshold: number | null,
    units: number,
    low: boolean,
  ): Horizon => {
    const perDay = units / windowDays;
    const daysLeft = perDay > 0 && count !== null ? count / perDay : null;
    return {
      kind,
      id,
      name,
      count,
      threshold,
      perDay: Math.round(perDay * 100) / 100,
      daysLeft: daysLeft === null ? null : Math.round(daysLeft * 10) / 10,
      low,
      runsOut: daysLeft !== null && daysLeft <= days,
    };
  };
  for (const w of warehouses) {
    const units = products
      .filter((p) => p.warehouseId === w.id)
      .reduce((n, p) => n + (sold.get(p.id) ?? 0), 0);
    out.push(
      row(
        'warehouse',
        w.id,
        w.name ?? null,
        w.count ?? null,
        w.lowStockThreshold ?? null,
        units,
        isLow(w),
      ),
    );
  }
  for (const p of products) {
    if (p.warehouseId || !countsStock(p)) continue;
    const units = sold.get(p.id) ?? 0;
    const low = min !== undefined && p.stock <= min;
    out.push(row('product', p.id, p.title ?? null, p.stock, min ?? null, units, low));
  }
  return out;
}

export interface RecentSales {
  sales: ProductSales[];
  /** Where the window starts (ms). */
  from: number;
  source: string;
}

/** Units sold per product over the last 14 days: from the history, else the newest page. */
export async function recentSales(
  ctx: Context,
  shop: Resources,
  db: string | undefined,
  now: number,
): Promise<RecentSales> {
  const from = now - WINDOW_DAYS * DAY;
  const file = await historyFile(ctx, db);
  if (db !== undefined || existsSync(file)) {
    const { openHistory } = await import('../../history/open.js');
    const h = await openHistory(ctx, file, false, 'reading sales');
    try {
      return {
        sales: h.sales(from),
        from,
        source: `sales of the last ${WINDOW_DAYS} days in the local history`,
      };
    } finally {
      h.close();
    }
  }
  const page = (await shop.orders.newest()).data;
  return pageSales(page.orders, page.full, now);
}

/**
 * Units sold per product over the last 14 days in the newest page (read
 * leniently: `shop.orders.newest()`); a full page spans less when its
 * oldest order is newer.
 */
export function pageSales(list: readonly Order[], full: boolean, now: number): RecentSales {
  let from = now - WINDOW_DAYS * DAY;
  const times = list.map((o) => Date.parse(String(o.createdAt))).filter(Number.isFinite);
  if (full && times.length > 0) from = Math.max(from, Math.min(...times));
  const sums = new Map<string, ProductSales>();
  for (const o of list) {
    const at = Date.parse(String(o.createdAt));
    if (!(at >= from) || !SALE_STATUSES.includes(String(o.status))) continue;
    const id = typeof o.productId === 'string' ? o.productId : null;
    const title = typeof o.productTitle === 'string' ? o.productTitle : null;
    const units = unitsOf(o);
    const key = `${id}\u0000${title}`;
    const s = sums.get(key) ?? { productId: id, productTitle: title, sold: 0 };
    s.sold += units;
    sums.set(key, s);
  }
  return {
    sales: [...sums.values()],
    from,
    source: `sales in the newest ${list.length} orders; no local history: keep one with \`astrosell orders sync\``,
  };
}

export async function runHorizon(
  ctx: Context,
  format: Format,
  options: RecordFlags & { days: number; min?: number; db?: string },
): Promise<{ code: number; summary: string }> {
  const shop = await ctx.shop();
  const now = ctx.clock.now();
  const [warehouses, products] = await Promise.all([
    shop.warehouses.list().then((a) => a.data),
    shop.products.list().then((a) => a.data),
  ]);

  const { sales, from, source } = await recentSales(ctx, shop, options.db, now);
  const windowDays = Math.max((now - from) / DAY, 1 / 24);
  const { sold, ambiguous } = attribute(sales, products);
  for (const title of ambiguous) {
    ctx.io.stderr.write(
      `note: orders name "${title}", the title of several products: they count for none of them\n`,
    );
  }
  const rows = horizons(warehouses, products, sold, windowDays, options.days, options.min);
  const flagged = rows.filter((r) => r.runsOut || r.low);
  const code = EXIT_CODES[flagged.length > 0 ? 'lowStock' : 'ok'];

  // `ok` and `checked` (the pools) mean what they mean in check's object;
  // `days` is the flag's value, as `min` is there.
  if (format === 'json' && !options.fields) {
    writeJsonValue(ctx.io, {
      ok: flagged.length === 0,
      checked: warehouses.length,
      days: options.days,
      window: { from: new Date(from).toISOString(), to: new Date(now).toISOString() },
      source,
      stock: rows,
      ambiguousTitles: ambiguous,
    });
  } else {
    await print(ctx, HORIZON, rows, options);
  }
  // check.ts writes it where people read it (a table, tsv).
  const summary = `${flagged.length === 0 ? `Nothing runs out within ${options.days} days` : `${flagged.length} of ${rows.length} pools and products low or running out within ${options.days} days`} (${source}).\n`;
  return { code, summary };
}
