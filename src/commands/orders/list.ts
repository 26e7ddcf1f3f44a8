// `orders list`: the service filters by status and caps a page at 200;
// --since, --until, --email and --product filter here, over that page.
// --history reads the local order history instead (src/history), uncapped.
import type { Order } from '../../api/resources/index.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat, recordsOf, rendererFor, writeRecords } from '../../render/records.js';
import { ORDER_VIEW, orderColumns } from '../columns.js';
import { MAX_TABLE_BYTES, show } from '../show.js';
import { parseWhen } from './when.js';

/** The most the service returns in one page: what client-side filters can search. */
export const PAGE_CAP = 200;

export interface ListOptions extends RecordFlags {
  status?: string;
  limit?: number;
  since?: string;
  until?: string;
  email?: string;
  product?: string;
  history?: boolean;
  db?: string;
}

export async function run(ctx: Context, options: ListOptions): Promise<number> {
  if (options.status !== undefined && options.status.trim() === '') {
    throw new UsageError('--status must not be empty');
  }
  if (options.db !== undefined && !options.history) {
    throw new UsageError('--db goes with --history', { hint: 'add --history to read that file' });
  }
  if (!options.history && options.limit !== undefined && options.limit > PAGE_CAP) {
    throw new UsageError(`--limit must be between 1 and ${PAGE_CAP}`, {
      hint: 'the service lists at most 200; --history reads any number',
    });
  }
  const empty = options.status ? `No ${options.status} orders.` : 'No orders yet.';
  const filtering =
    options.history === true ||
    options.since !== undefined ||
    options.until !== undefined ||
    options.email !== undefined ||
    options.product !== undefined;
  if (!filtering) {
    return show(
      ctx,
      (shop) => shop.orders.reads.list({ status: options.status, limit: options.limit }),
      (orders, r) => {
        r.list(orders, orderColumns(ctx.io.stdoutIsTTY, ctx.clock.now()), { empty });
      },
      { ...options, view: ORDER_VIEW, empty },
    );
  }
  return runFiltered(ctx, options);
}

async function runFiltered(ctx: Context, options: ListOptions): Promise<number> {
  const now = ctx.clock.now();
  const since = options.since === undefined ? undefined : parseWhen('--since', options.since, now);
  const until =
    options.until === undefined ? undefined : parseWhen('--until', options.until, now, true);
  const email = options.email?.trim().toLowerCase();
  if (email === '') throw new UsageError('--email must not be empty');
  const format = chooseFormat(ctx.globals, ctx.io, options.format);

  let product: { id: string; title: unknown } | undefined;
  if (options.product !== undefined) {
    const p = (await (await ctx.shop()).products.get(options.product)).data;
    product = { id: p.id, title: p.title };
  }
  let page: Order[];
  if (options.history) {
    const { readHistory } = await import('../../history/read.js');
    page = (await readHistory(ctx, options.db, {
      sinceMs: since,
      untilMs: until,
      status: options.status,
      product,
      limit: email === undefined ? options.limit : undefined,
    })) as Order[];
  } else {
    const answer = await (await ctx.shop()).orders.list({
      status: options.status,
      limit: PAGE_CAP,
      maxBodyBytes: MAX_TABLE_BYTES,
    });
    page = recordsOf(answer.raw, false) as Order[];
  }
  let kept = page.filter((o) => {
    const at = typeof o.createdAt === 'string' ? Date.parse(o.createdAt) : Number.NaN;
    if (since !== undefined && !(at >= since)) return false;
    if (until !== undefined && !(at < until)) return false;
    if (product) {
      // Listed orders name their product by id where the service sends it, else by title.
      if (typeof o.productId === 'string') return o.productId === product.id;
      return o.productTitle === product.title;
    }
    return true;
  });
  if (email !== undefined) kept = await withEmail(ctx, kept, email);

  const oldest = page.at(-1)?.createdAt;
  if (
    !options.history &&
    page.length >= PAGE_CAP &&
    (since === undefined || typeof oldest !== 'string' || Date.parse(oldest) >= since)
  ) {
    ctx.io.stderr.write(
      `note: only the newest ${PAGE_CAP} orders were searched (the most the service returns at once); older ones may match too\n`,
    );
    ctx.io.stderr.write(
      'hint: keep a local history with `astrosell orders sync` (e.g. from cron) and search it with --history\n',
    );
  }
  if (options.limit !== undefined) kept = kept.slice(0, options.limit);

  const emptyText = 'No orders match.';
  if ((format === 'table' || format === 'tsv') && !options.fields) {
    const r = await rendererFor(ctx.io, format);
    r.list(kept, orderColumns(ctx.io.stdoutIsTTY, now), { empty: emptyText });
    return 0;
  }
  if (format === 'json' && !options.fields && ctx.io.stdoutIsTTY) {
    writeJsonValue(ctx.io, kept);
    return 0;
  }
  await writeRecords(ctx.io, now, format, kept, ORDER_VIEW, { ...options, empty: emptyText });
  return 0;
}

/**
 * A listed order carries no customer email (only an order fetched by id
 * does): each one left after the other filters is fetched, four at a time,
 * and the matches are printed as fetched (so with their email).
 */
async function withEmail(ctx: Context, orders: Order[], email: string): Promise<Order[]> {
  const shop = await ctx.shop();
  const found: Array<Order | undefined> = new Array(orders.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const i = next++;
      const listed = orders[i]!;
      const o =
        typeof listed.customerEmail === 'string'
          ? listed
          : (recordsOf((await shop.orders.get(listed.invoiceId)).raw, true)[0] as Order);
      const address = o.customerEmail;
      if (typeof address === 'string' && address.trim().toLowerCase() === email) found[i] = o;
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, orders.length) }, worker));
  return found.filter((o): o is Order => o !== undefined);
}
