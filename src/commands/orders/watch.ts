// `orders watch`: polls the newest page of orders and prints each order not
// seen before, once, as it arrives — from now on, or from --since. A failed
// poll after the client's own retries is not the end when the retry policy
// would retry that read (429, 5xx, network): it waits as the policy says
// (longer each time, never shorter than Retry-After) and polls again, until
// Ctrl-C or --max-orders.
import type { Order } from '../../api/resources/index.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  outcomeOf,
  retryDelay,
  retryPolicyFromEnv,
} from '../../api/retry.js';
import type { Context } from '../../context.js';
import { type ApiError, InterruptedError, UsageError } from '../../errors.js';
import { money, sanitizeForTerminal, text, truncate, tsvCell } from '../../render/format.js';
import type { RecordFlags } from '../../render/formats.js';
import { painter } from '../../render/output.js';
import {
  checkFields,
  chooseFormat,
  csvLine,
  type Format,
  fieldColumns,
  getPath,
  pick,
  plain,
  recordsOf,
} from '../../render/records.js';
import { ORDER_VIEW, orderColumns } from '../columns.js';
import { MAX_TABLE_BYTES } from '../show.js';
import { PAGE_CAP } from './list.js';
import { parseDuration, parseWhen } from './when.js';

export interface WatchOptions extends RecordFlags {
  status?: string;
  interval?: string;
  since?: string;
  maxOrders?: number;
}

/** Invoice ids remembered, so an order still on the page is not printed twice. */
const REMEMBER = 10_000;

export async function run(ctx: Context, options: WatchOptions): Promise<number> {
  if (options.status !== undefined && options.status.trim() === '') {
    throw new UsageError('--status must not be empty');
  }
  const intervalMs = parseDuration('--interval', options.interval ?? '10s');
  if (intervalMs < 100) throw new UsageError('--interval must be at least 100ms');
  const since =
    options.since === undefined ? undefined : parseWhen('--since', options.since, ctx.clock.now());
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  checkFields(
    options.fields,
    [],
    ORDER_VIEW.fields.concat(['productId', 'quantity', 'deliveredItems']),
  );
  const print = await printer(ctx, format, options.fields);
  const policy = retryPolicyFromEnv(ctx.env, DEFAULT_RETRY_POLICY);
  const shop = await ctx.shop();

  const seen = new Set<string>();
  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > REMEMBER) seen.delete(seen.values().next().value as string);
  };
  if (ctx.io.stderrIsTTY) {
    ctx.io.stderr.write(
      `Watching ${options.status ? `${options.status} ` : ''}orders every ${intervalMs / 1000}s (Ctrl-C to stop)…\n`,
    );
  }
  let printed = 0;
  let failures = 0;
  let first = true;
  while (!ctx.signal.aborted) {
    let page: Order[];
    try {
      const answer = await shop.orders.list({
        status: options.status,
        limit: PAGE_CAP,
        maxBodyBytes: MAX_TABLE_BYTES,
      });
      page = recordsOf(answer.raw, false).filter(
        (o): o is Order => typeof (o as Order).invoiceId === 'string',
      );
      failures = 0;
    } catch (error) {
      if (ctx.signal.aborted) break;
      if (!passing(error)) throw error;
      failures++;
      const wait = retryDelay(
        Math.min(failures, 10),
        (error as { retryAfterMs?: number }).retryAfterMs,
        policy,
      );
      ctx.io.stderr.write(`${error.message}; polling again in ${(wait / 1000).toFixed(1)}s…\n`);
      if (!(await pause(ctx, wait))) break;
      continue;
    }
    // Newest first from the service; printed oldest first.
    const fresh = page.filter((o) => !seen.has(o.invoiceId)).reverse();
    for (const o of fresh) remember(o.invoiceId);
    let due = fresh;
    if (first) {
      due =
        since === undefined
          ? []
          : fresh.filter(
              (o) => typeof o.createdAt === 'string' && Date.parse(o.createdAt) >= since,
            );
    } else if (fresh.length >= PAGE_CAP) {
      ctx.io.stderr.write(
        `warning: ${PAGE_CAP} or more new orders since the last poll; some may have been missed (poll more often with --interval)\n`,
      );
    }
    first = false;
    for (const o of due) {
      print(o);
      printed++;
      if (options.maxOrders !== undefined && printed >= options.maxOrders) return 0;
    }
    if (!(await pause(ctx, intervalMs))) break;
  }
  throw new InterruptedError(
    `stopped watching; ${printed} new order${printed === 1 ? '' : 's'} printed`,
  );
}

/** Errors a later poll may not meet: those the retry policy retries a read on. */
function passing(error: unknown): error is ApiError {
  const outcome = outcomeOf(error);
  return outcome !== undefined && isRetryable(outcome, true);
}

/** Waits; false when Ctrl-C came first. */
async function pause(ctx: Context, ms: number): Promise<boolean> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
    return true;
  } catch {
    return false;
  }
}

/** How one order is printed: each call writes whole lines at once. */
async function printer(
  ctx: Context,
  format: Format,
  fields: readonly string[] | undefined,
): Promise<(o: Order) => void> {
  const out = (s: string) => ctx.io.stdout.write(s);
  const now = () => ctx.clock.now();
  switch (format) {
    case 'json':
    case 'ndjson':
      return (o) => out(`${JSON.stringify(fields ? pick(o, fields) : o)}\n`);
    case 'csv': {
      const cols = fields ?? ORDER_VIEW.fields;
      out(csvLine(cols));
      return (o) => out(csvLine(cols.map((f) => plain(getPath(o, f)))));
    }
    case 'tsv':
      return (o) => {
        const cells = fields
          ? fields.map((f) => plain(getPath(o, f)))
          : orderColumns(false, now()).map((c) => c.value(o));
        out(`${cells.map(tsvCell).join('\t')}\n`);
      };
    default: {
      const [paint, { default: width }] = await Promise.all([
        painter(ctx.io.color),
        import('string-width'),
      ]);
      const pad = (s: string, n: number) => {
        const cut = truncate(sanitizeForTerminal(s), n, width);
        return cut + ' '.repeat(Math.max(0, n - width(cut)));
      };
      if (fields) {
        return (o) => {
          const cols = fieldColumns(fields, ORDER_VIEW, true, now());
          out(`${cols.map((c) => sanitizeForTerminal(tsvCell(c.value(o)))).join('  ')}\n`);
        };
      }
      const tone = (s: string) =>
        s === 'completed' ? 'good' : s === 'refunded' || s === 'failed' ? 'bad' : 'warn';
      return (o) => {
        const at = typeof o.createdAt === 'string' ? new Date(o.createdAt) : undefined;
        const time = at && !Number.isNaN(at.getTime()) ? at.toTimeString().slice(0, 8) : '';
        const status = text(o.status);
        out(
          `${[
            paint('dim', time.padEnd(8)),
            pad(text(o.invoiceId), 10),
            pad(text(o.productTitle), 30),
            money(o.total, o.currency, true).padStart(10),
            paint(tone(status), status.padEnd(10)),
            text(o.gateway),
          ]
            .join('  ')
            .trimEnd()}\n`,
        );
      };
    }
  }
}
