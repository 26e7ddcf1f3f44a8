// `astrosell status`: the morning's screen. Today's and yesterday's orders
// and revenue (UTC days) with a 14-day sparkline, the pools and products that
// are low or run out within a week at the recent pace, and the open
// (pending or processing) orders. Over the local history when there is one,
// else the newest 200 orders (saying so). `--json` for a chat bot.
import { existsSync } from 'node:fs';
import type { Context } from '../../context.js';
import { historyFile } from '../../history/path.js';
import { money, relativeTime, tsvCell } from '../../render/format.js';
import { writeJsonValue } from '../../render/output.js';
import { aggregate, type Fact, factOf, periodStart, type Row } from '../stats/aggregate.js';
import { sparkline } from '../stats/draw.js';
import {
  attribute,
  type Horizon,
  horizons,
  pageSales,
  type RecentSales,
  recentSales,
} from '../warehouses/horizon.js';

export interface StatusOptions {
  db?: string;
}

const DAY = 86_400_000;
const SPAN_DAYS = 14;
const HORIZON_DAYS = 7;
const OPEN = ['pending', 'processing'];

interface OpenOrder {
  invoiceId: string;
  status: string;
  productTitle: string | null;
  total: number | null;
  currency: string | null;
  createdAt: string | null;
}

export async function run(ctx: Context, options: StatusOptions): Promise<number> {
  const now = ctx.clock.now();
  const today = periodStart(now, 'day');
  const from = today - (SPAN_DAYS - 1) * DAY;
  const shop = await ctx.shop();
  const file = await historyFile(ctx, options.db);
  const useHistory = options.db !== undefined || existsSync(file);

  let facts: Fact[];
  let open: OpenOrder[];
  let source: string;
  // Without a history, the newest page is read once: for today's figures, the open orders and the sales.
  let fromPage: RecentSales | undefined;
  if (useHistory) {
    const { openHistory } = await import('../../history/open.js');
    const h = await openHistory(ctx, file, false, 'status');
    try {
      facts = h.facts(from, now + 1);
      open = OPEN.flatMap((status) => h.orders({ status })).map(openOrder);
      const last = h.lastSync();
      const start = h.start();
      source = `local history${start === undefined ? '' : ` (starting ${start.slice(0, 10)})`}, last synced ${last === undefined ? 'never' : relativeTime(new Date(last).toISOString(), now)}`;
    } finally {
      h.close();
    }
  } else {
    const page = (await shop.orders.newest()).data;
    const list = page.orders;
    facts = list.map(factOf).filter((f): f is Fact => f !== undefined);
    open = list.filter((o) => OPEN.includes(String(o.status))).map(openOrder);
    fromPage = pageSales(list, page.full, now);
    source = `the newest ${list.length} orders only (no local history: \`astrosell orders sync\`)`;
  }
  open.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  const days = aggregate(facts, { from, to: now + 1, period: 'day', source: 'history' }).periods;
  const todayRow = days.at(-1) as Row;
  const yesterdayRow = days.at(-2) as Row;

  const [warehouses, products, recent] = await Promise.all([
    shop.warehouses.list().then((a) => a.data),
    shop.products.list().then((a) => a.data),
    fromPage ?? recentSales(ctx, shop, options.db, now),
  ]);
  const { sold } = attribute(recent.sales, products);
  const windowDays = Math.max((now - recent.from) / DAY, 1 / 24);
  const stock = horizons(warehouses, products, sold, windowDays, HORIZON_DAYS).filter(
    (h) => h.low || h.runsOut,
  );

  if (ctx.globals.json) {
    writeJsonValue(ctx.io, {
      at: new Date(now).toISOString(),
      source,
      today: todayRow,
      yesterday: yesterdayRow,
      last14Days: days,
      stock,
      open: { count: open.length, orders: open.slice(0, 20) },
    });
    return 0;
  }
  if (!ctx.io.stdoutIsTTY) {
    const line = (...cells: string[]) => `${cells.map(tsvCell).join('\t')}\n`;
    let text = '';
    for (const [name, r] of [
      ['today', todayRow],
      ['yesterday', yesterdayRow],
    ] as const) {
      text += line(name, 'orders', String(r.orders));
      for (const [c, v] of Object.entries(r.revenue))
        text += line(name, `revenue ${c}`, v.toFixed(2));
    }
    for (const h of stock) {
      text += line(
        'stock',
        h.name ?? h.id,
        String(h.count ?? ''),
        h.daysLeft === null ? '' : String(h.daysLeft),
      );
    }
    text += line('open', 'orders', String(open.length));
    ctx.io.stdout.write(text);
    return 0;
  }
  ctx.io.stdout.write(screen(ctx, now, source, days, stock, open));
  return 0;
}

function openOrder(o: Record<string, unknown>): OpenOrder {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    invoiceId: String(o.invoiceId),
    status: String(o.status),
    productTitle: s(o.productTitle),
    total: typeof o.total === 'number' ? o.total : null,
    currency: s(o.currency),
    createdAt: s(o.createdAt),
  };
}

function screen(
  ctx: Context,
  now: number,
  source: string,
  days: Row[],
  stock: Horizon[],
  open: OpenOrder[],
): string {
  const W = Math.max(40, ctx.io.columns);
  const c = ctx.io.color;
  const bold = (t: string) => (c ? `\x1b[1m${t}\x1b[22m` : t);
  const dim = (t: string) => (c ? `\x1b[2m${t}\x1b[22m` : t);
  const warn = (t: string) => (c ? `\x1b[33m${t}\x1b[39m` : t);
  const tint = (t: string) => (c ? `\x1b[36m${t}\x1b[39m` : t);
  const amounts = (r: Row) =>
    Object.entries(r.revenue)
      .map(([cur, v]) => money(v, cur, true))
      .join(' · ') || '—';
  const clip = (t: string, w: number) =>
    [...t].length <= w ? t : `${[...t].slice(0, w - 1).join('')}…`;
  const out: string[] = [];
  const stamp = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
  out.push(`${bold('AstroSell status')}  ${stamp} UTC`);
  out.push(dim(clip(`over the ${source}`, W)));
  out.push('');
  const today = days.at(-1) as Row;
  const yesterday = days.at(-2) as Row;
  for (const [name, r] of [
    ['Today', today],
    ['Yesterday', yesterday],
  ] as const) {
    out.push(
      clip(
        `${name.padEnd(10)} ${r.orders.toLocaleString('en').padStart(7)} orders   ${amounts(r)}`,
        W,
      ),
    );
  }
  out.push(
    `${'14 days'.padEnd(10)} ${tint(sparkline(days.map((d) => d.orders)))}  orders, ${days[0]!.key} to ${days.at(-1)!.key}`,
  );
  const currencies = Object.keys(
    Object.assign({}, ...days.map((d) => d.revenue)) as Record<string, number>,
  );
  for (const cur of currencies.slice(0, 4)) {
    out.push(`${''.padEnd(10)} ${tint(sparkline(days.map((d) => d.revenue[cur] ?? 0)))}  ${cur}`);
  }
  out.push('');
  if (stock.length === 0) {
    out.push(`${bold('Stock')}  nothing low or running out within ${HORIZON_DAYS} days`);
  } else {
    out.push(bold(`Stock low or running out within ${HORIZON_DAYS} days`));
    const nameW = Math.min(30, Math.max(...stock.map((h) => [...(h.name ?? h.id)].length)));
    for (const h of stock) {
      const left = h.daysLeft === null ? 'no recent sales' : `${h.daysLeft} days left`;
      const flag = h.low ? warn(' low') : '';
      out.push(
        `  ${clip(h.name ?? h.id, nameW).padEnd(nameW)}  ${String(h.count ?? '?').padStart(6)} in stock  ${h.runsOut ? warn(left) : left}${flag}`,
      );
    }
  }
  out.push('');
  const pending = open.filter((o) => o.status === 'pending').length;
  out.push(
    bold(
      `Open orders: ${open.length}${open.length ? ` (${pending} pending, ${open.length - pending} processing)` : ''}`,
    ),
  );
  for (const o of open.slice(0, 8)) {
    out.push(
      clip(
        `  ${o.invoiceId}  ${o.status.padEnd(10)} ${money(o.total, o.currency, true).padStart(10)}  ${relativeTime(o.createdAt, now).padEnd(14)} ${o.productTitle ?? ''}`,
        W,
      ),
    );
  }
  if (open.length > 8)
    out.push(dim(`  … and ${open.length - 8} more: astrosell orders list --status pending`));
  return `${out.join('\n')}\n`;
}
