// `astrosell stats`: orders and revenue per day, week or month, by product,
// gateway and status, and the refund rate; over the local history when
// there is one (`orders sync`), else over the newest 200 orders, saying so.
import { existsSync } from 'node:fs';
import { ORDERS_PAGE_MAX } from '../../api/resources/orders.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { historyFile } from '../../history/path.js';
import { tsvCell } from '../../render/format.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat, csvLine } from '../../render/records.js';
import { parseWhen } from '../when.js';
import {
  aggregate,
  defaultFrom,
  type Fact,
  factOf,
  type Period,
  type Row,
  type Stats,
} from './aggregate.js';
import { drawStats } from './draw.js';

export interface StatsOptions {
  by?: Period;
  since?: string;
  until?: string;
  db?: string;
  format?: 'table' | 'tsv' | 'csv' | 'json';
}

export async function run(ctx: Context, options: StatsOptions): Promise<number> {
  const now = ctx.clock.now();
  const period = options.by ?? 'day';
  const to = options.until === undefined ? now : parseWhen('--until', options.until, now, true);
  const from =
    options.since === undefined
      ? defaultFrom(Math.max(0, to - 1), period)
      : parseWhen('--since', options.since, now);
  if (!(from < to)) throw new UsageError('--since must be before --until');
  const format = chooseFormat(ctx.globals, ctx.io, options.format);

  const file = await historyFile(ctx, options.db);
  const history = options.db !== undefined || existsSync(file) ? file : undefined;
  let facts: Fact[];
  let note: string;
  let source: Stats['source'];
  if (history !== undefined) {
    const { openHistory } = await import('../../history/open.js');
    const h = await openHistory(ctx, history, false, 'stats');
    try {
      facts = h.facts(from, to);
      const last = h.lastSync();
      const start = h.start();
      const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
      note = `over the local history: ${h.count().toLocaleString('en')} orders kept${
        start === undefined ? '' : `, starting ${minute(start)}`
      }${last === undefined ? '' : `, last synced ${minute(new Date(last).toISOString())}`}`;
    } finally {
      h.close();
    }
    source = 'history';
  } else {
    const shop = await ctx.shop();
    const page = (await shop.orders.newest()).data;
    const list = page.orders;
    facts = list.map(factOf).filter((f): f is Fact => f !== undefined);
    const oldest = facts.reduce((m, f) => Math.min(m, f.at), Number.POSITIVE_INFINITY);
    note =
      page.full && Number.isFinite(oldest) && oldest > from
        ? `over the newest ${ORDERS_PAGE_MAX} orders only (since ${new Date(oldest).toISOString().slice(0, 16).replace('T', ' ')} UTC): earlier periods are short; keep a history with \`astrosell orders sync\``
        : `over the newest ${list.length} orders (no local history)`;
    source = 'newest';
  }
  const stats = aggregate(facts, { from, to, period, source });
  if (format !== 'table' && source === 'newest') ctx.io.stderr.write(`note: ${note}\n`);

  if (format === 'json') {
    writeJsonValue(ctx.io, { ...stats, note });
    return 0;
  }
  if (format === 'table') {
    ctx.io.stdout.write(drawStats(stats, { columns: ctx.io.columns, color: ctx.io.color, note }));
    return 0;
  }
  const currencies = Object.keys(stats.totals.revenue);
  const header = ['section', 'key', 'orders', ...currencies.map((c) => `revenue ${c}`)];
  const line = (cells: string[]) =>
    format === 'csv' ? csvLine(cells) : `${cells.map(tsvCell).join('\t')}\n`;
  const rowOf = (section: string, r: Row) => [
    section,
    r.key,
    String(r.orders),
    ...currencies.map((c) => (r.revenue[c] ?? 0).toFixed(2)),
  ];
  let text = line(header);
  for (const r of stats.periods) text += line(rowOf(period, r));
  for (const r of stats.byProduct) text += line(rowOf('product', r));
  for (const r of stats.byGateway) text += line(rowOf('gateway', r));
  for (const r of stats.byStatus) text += line(rowOf('status', r));
  text += line([
    'refunds',
    'refunded',
    String(stats.refunds.refunded),
    ...currencies.map(() => ''),
  ]);
  text += line(['refunds', 'paid', String(stats.refunds.paid), ...currencies.map(() => '')]);
  text += line(rowOf('total', stats.totals));
  ctx.io.stdout.write(text);
  return 0;
}
