// `orders list`: the service filters by status and caps a page at 200;
// --since, --until, --email and --product are filters print() applies over
// that page, or over the local history (--history, src/history/), uncapped.
import type { Order, Resources } from '../../api/resources/index.js';
import { ORDERS_PAGE_MAX } from '../../api/resources/orders.js';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { resolveName } from '../../names.js';
import { ORDER } from '../../records/order.js';
import type { RecordFlags } from '../../render/formats.js';
import { MAX_TABLE_BYTES, print } from '../print.js';
import { notFound } from '../resolve.js';
import { parseWhen } from '../when.js';
import { ORDER_STATUSES, unknownStatus, unknownStatusWarning } from './statuses.js';

export interface ListOptions extends RecordFlags {
  status?: string;
  limit?: number;
  since?: string;
  until?: string;
  email?: string;
  product?: string;
  /** Read the local order history (orders sync) instead of the service. */
  history?: boolean;
  db?: string;
}

export async function run(ctx: Context, options: ListOptions): Promise<number> {
  const { status, limit } = options;
  if (status !== undefined && status.trim() === '') {
    throw new UsageError('--status must not be empty');
  }
  if (options.db !== undefined && !options.history) {
    throw new UsageError('--db goes with --history', { hint: 'add --history to read that file' });
  }
  if (!options.history && limit !== undefined && limit > ORDERS_PAGE_MAX) {
    throw new UsageError(`--limit must be between 1 and ${ORDERS_PAGE_MAX}`, {
      hint: `the service lists at most ${ORDERS_PAGE_MAX}; --history reads any number`,
    });
  }
  const now = ctx.clock.now();
  const since = options.since === undefined ? undefined : parseWhen('--since', options.since, now);
  const until =
    options.until === undefined ? undefined : parseWhen('--until', options.until, now, true);
  const email = options.email?.trim().toLowerCase();
  if (email === '') throw new UsageError('--email must not be empty');
  const known = status === undefined || (ORDER_STATUSES as readonly string[]).includes(status);
  const filtered = since !== undefined || until !== undefined || email || options.product;
  if (!filtered && !options.history) {
    if (known) return print(ctx, ORDER, (shop) => shop.orders.list({ status, limit }), options);
    // A status we do not know: the answer is looked at before it is printed.
    const shop = await ctx.shop();
    const answer = await shop.orders.list({ status, limit, maxBodyBytes: MAX_TABLE_BYTES });
    if (unknownStatus(status, answer.data)) ctx.io.stderr.write(unknownStatusWarning(status));
    return print(ctx, ORDER, answer, options);
  }

  let product: { id: string; title: unknown } | undefined;
  if (options.product !== undefined) {
    // By id, slug or title (src/names.ts); orders name their product by id or by title.
    const shop = await ctx.shop();
    const ref = options.product;
    const list = (await shop.products.list({ signal: ctx.signal })).data;
    const id = resolveName('product', ref, list);
    // One the list does not show may still be an id.
    const p = list.find((x) => x.id === id) ?? (await unlisted(shop, ref, id));
    product = { id: p.id, title: p.title };
  }
  let page: Order[];
  if (options.history) {
    const { readHistory } = await import('../../history/read.js');
    page = (await readHistory(ctx, options.db, {
      sinceMs: since,
      untilMs: until,
      status,
      product,
      limit: email === undefined ? limit : undefined,
    })) as Order[];
  } else {
    const shop = await ctx.shop();
    page = (
      await shop.orders.list({ status, limit: ORDERS_PAGE_MAX, maxBodyBytes: MAX_TABLE_BYTES })
    ).data;
  }
  if (status !== undefined && unknownStatus(status, page)) {
    ctx.io.stderr.write(unknownStatusWarning(status));
  }
  const oldest = page.at(-1)?.createdAt;
  if (
    !options.history &&
    page.length >= ORDERS_PAGE_MAX &&
    (since === undefined || typeof oldest !== 'string' || Date.parse(oldest) >= since)
  ) {
    ctx.io.stderr.write(
      `note: only the newest ${ORDERS_PAGE_MAX} orders were searched (the most the service returns at once); older ones may match too\n`,
    );
    ctx.io.stderr.write(
      'hint: keep a local history with `astrosell orders sync` (e.g. from cron) and search it with --history\n',
    );
  }
  const at = (o: Order) => (typeof o.createdAt === 'string' ? Date.parse(o.createdAt) : Number.NaN);
  return print(ctx, ORDER, page, {
    ...options,
    filters: [
      since === undefined ? undefined : (o) => at(o) >= since,
      until === undefined ? undefined : (o) => at(o) < until,
      // Listed orders name their product by id where the service sends it, else by title.
      product &&
        ((o) =>
          typeof o.productId === 'string'
            ? o.productId === product.id
            : o.productTitle === product.title),
    ],
    // --email reads each order left (so only those), then --limit cuts.
    select: async (kept) => {
      const matched = email === undefined ? kept : await withEmail(ctx, kept, email);
      return limit === undefined ? matched : matched.slice(0, limit);
    },
  });
}

/** A product the list does not show, by id; a 404 says what was asked for. */
async function unlisted(shop: Resources, ref: string, id: string) {
  try {
    return (await shop.products.get(id)).data;
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound('product', ref);
    throw error;
  }
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
          : (await shop.orders.get(listed.invoiceId)).data;
      const address = o.customerEmail;
      if (typeof address === 'string' && address.trim().toLowerCase() === email) found[i] = o;
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, orders.length) }, worker));
  return found.filter((o): o is Order => o !== undefined);
}
