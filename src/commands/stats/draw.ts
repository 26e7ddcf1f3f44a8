// `stats` on a terminal: bars and sparklines that fit the width, colour
// only where the terminal takes it (the text reads the same without).
import { money } from '../../render/format.js';
import type { Money, Row, Stats } from './aggregate.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bar of `width` cells at most, in eighths of a cell. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0 || width <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** One character per value, its height relative to the largest; zero is a space. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (v <= 0 || max <= 0 ? ' ' : SPARKS[Math.min(7, Math.floor((v / max) * 7.999))]))
    .join('');
}

const count = (n: number) => n.toLocaleString('en');
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].length));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - [...s].length)) + s;

function amounts(m: Money): string {
  const parts = Object.entries(m).map(([c, v]) => money(v, c, true));
  return parts.length ? parts.join(' · ') : '—';
}

function clip(s: string, w: number): string {
  const chars = [...s];
  return chars.length <= w ? s : `${chars.slice(0, Math.max(0, w - 1)).join('')}…`;
}

export function drawStats(s: Stats, o: { columns: number; color: boolean; note: string }): string {
  const W = Math.max(40, o.columns);
  const bold = (t: string) => (o.color ? `\x1b[1m${t}\x1b[22m` : t);
  const tint = (t: string) => (o.color && t ? `\x1b[36m${t}\x1b[39m` : t);
  const dim = (t: string) => (o.color ? `\x1b[2m${t}\x1b[22m` : t);
  const out: string[] = [];

  out.push(
    bold(
      clip(
        `Orders and revenue per ${s.period}, ${s.from.slice(0, 10)} to ${s.to.slice(0, 10)} (UTC)`,
        W,
      ),
    ),
  );
  out.push(dim(clip(o.note, W)));
  out.push('');

  // Sparklines: the latest periods that fit, one line for orders, one per currency.
  const currencies = Object.keys(s.totals.revenue);
  const labelW = 8;
  const totalW = Math.max(
    14,
    count(s.totals.orders).length + 7,
    ...currencies.map((c) => money(s.totals.revenue[c], c, true).length + 2),
  );
  const sparkW = Math.max(4, W - labelW - totalW - 2);
  const recent = s.periods.slice(-sparkW);
  out.push(
    `${pad('orders', labelW)}${tint(sparkline(recent.map((p) => p.orders)))}  ${count(s.totals.orders)} orders`,
  );
  for (const c of currencies) {
    out.push(
      `${pad(c, labelW)}${tint(sparkline(recent.map((p) => p.revenue[c] ?? 0)))}  ${money(s.totals.revenue[c], c, true)}`,
    );
  }
  const r = s.refunds;
  out.push(
    `refunds ${r.rate === null ? 'none paid yet' : `${(r.rate * 100).toFixed(1)}% of paid orders (${count(r.refunded)} of ${count(r.paid)})`}`,
  );
  out.push('');

  // Per period: newest first, bars of orders, revenue beside.
  out.push(...table(s.period, [...s.periods].reverse(), W, tint, bold));
  out.push('');
  out.push(...table('product', s.byProduct, W, tint, bold));
  out.push('');
  out.push(...table('gateway', s.byGateway, W, tint, bold));
  out.push('');
  out.push(...table('status', s.byStatus, W, tint, bold));
  return `${out.join('\n')}\n`;
}

function table(
  title: string,
  rows: readonly Row[],
  W: number,
  tint: (t: string) => string,
  bold: (t: string) => string,
): string[] {
  if (rows.length === 0) return [bold(title), '  no orders'];
  const ordersW = Math.max(6, ...rows.map((r) => count(r.orders).length));
  const revenue = rows.map((r) => amounts(r.revenue));
  const revW = Math.min(Math.max(7, ...revenue.map((t) => [...t].length)), Math.floor(W / 2));
  // Keys are cut to the room the counts and amounts leave, 28 at most.
  const keyW = Math.min(
    28,
    Math.max(1, W - ordersW - revW - 5),
    Math.max(title.length, ...rows.map((r) => [...r.key].length)),
  );
  const barW = Math.max(0, W - keyW - ordersW - revW - 5);
  const max = Math.max(...rows.map((r) => r.orders));
  const lines = [
    bold(
      `${pad(title, keyW)}  ${padStart('orders', ordersW)} ${pad('', barW)} ${padStart('revenue', revW)}`.trimEnd(),
    ),
  ];
  rows.forEach((r, i) => {
    const b = bar(r.orders, max, barW);
    lines.push(
      `${pad(clip(r.key, keyW), keyW)}  ${padStart(count(r.orders), ordersW)} ${tint(b)}${' '.repeat(Math.max(0, barW - [...b].length))} ${padStart(clip(revenue[i]!, revW), revW)}`,
    );
  });
  return lines;
}
