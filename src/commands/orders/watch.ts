// `orders watch`: polls the newest page of orders and prints each order not
// seen before, once, as it arrives — from now on, or from --since. A failed
// poll after the client's own retries is not the end when the retry policy
// would retry that read (429, 5xx, network): it waits as the policy says
// (longer each time, never shorter than Retry-After) and polls again, until
// Ctrl-C or --max-orders.
import type { Order } from '../../api/resources/index.js';
import { ORDERS_PAGE_MAX } from '../../api/resources/orders.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  outcomeOf,
  retryDelay,
  retryPolicyFromEnv,
} from '../../api/retry.js';
import type { Context } from '../../context.js';
import { type ApiError, EXIT_CODES, UsageError } from '../../errors.js';
import { ORDER } from '../../records/order.js';
import type { RecordFlags } from '../../render/formats.js';
import { MAX_TABLE_BYTES, print } from '../print.js';
import { parseDuration, parseWhen } from '../when.js';

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
  const policy = retryPolicyFromEnv(ctx.env, DEFAULT_RETRY_POLICY);
  let printed = 0;

  /** Each poll's orders not printed before, oldest first; ends at --max-orders or Ctrl-C. */
  async function* arriving(): AsyncGenerator<Order[]> {
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
    let failures = 0;
    let first = true;
    while (!ctx.signal.aborted) {
      let page: Order[];
      try {
        // Leniently: an entry without an invoice id cannot be told from another, so it is skipped.
        page = (await shop.orders.newest({ status: options.status, maxBodyBytes: MAX_TABLE_BYTES }))
          .data.orders;
        failures = 0;
      } catch (error) {
        if (ctx.signal.aborted) return;
        if (!passing(error)) throw error;
        failures++;
        const wait = retryDelay(
          Math.min(failures, 10),
          (error as { retryAfterMs?: number }).retryAfterMs,
          policy,
        );
        ctx.io.stderr.write(`${error.message}; polling again in ${(wait / 1000).toFixed(1)}s…\n`);
        if (!(await pause(ctx, wait))) return;
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
      } else if (fresh.length >= ORDERS_PAGE_MAX) {
        ctx.io.stderr.write(
          `warning: ${ORDERS_PAGE_MAX} or more new orders since the last poll; some may have been missed (poll more often with --interval)\n`,
        );
      }
      first = false;
      const left = options.maxOrders === undefined ? due.length : options.maxOrders - printed;
      const batch = due.slice(0, left);
      printed += batch.length;
      yield batch;
      if (options.maxOrders !== undefined && printed >= options.maxOrders) return;
      if (!(await pause(ctx, intervalMs))) return;
    }
  }

  await print(ctx, ORDER, arriving(), { fields: options.fields, format: options.format });
  if (options.maxOrders !== undefined && printed >= options.maxOrders) return 0;
  // Stopping is how a watch ends: a plain line, not an error; the exit code still says it was stopped.
  ctx.io.stderr.write(
    `Stopped watching; ${printed} new order${printed === 1 ? '' : 's'} printed.\n`,
  );
  return EXIT_CODES.interrupted;
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
