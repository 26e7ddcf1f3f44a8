// Reading the pool back: what reconciles a batch whose outcome is not known
// (reconcile.ts holds the pure classification), and the retried reads it needs.
import type { Context } from '../context.js';
import { InterruptedError, NetworkError, ServerError } from '../errors.js';
import { type Classified, classify } from './reconcile.js';
import type { Run } from './run.js';
import { readOrders, readPool } from './target.js';

function sameSerials(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const n = new Map<string, number>();
  for (const x of a) n.set(x, (n.get(x) ?? 0) + 1);
  for (const x of b) {
    const k = n.get(x);
    if (!k) return false;
    n.set(x, k - 1);
  }
  return true;
}

/**
 * `added`: the service's count for a batch it answered `truncated`/`capped`.
 * In a pool that keeps duplicates, a serial found there may be an older copy
 * (already in the pool, or stored from earlier in the input) rather than one
 * this batch stored; then more serials are found than were added, and which
 * were stored cannot be told copy by copy. The first `added` serials of the
 * batch (what a truncated list keeps) are then taken as stored when they are
 * exactly the newest items of the pool; otherwise every serial found is of
 * unknown fate (listed in the uncertain file, never assumed stored, never resent).
 */
export async function reconcileBatch(
  run: Run,
  batch: readonly string[],
  sentAt: number,
  settleMs: number,
  added?: number,
): Promise<Classified> {
  const { api, target } = run;
  // Give a request the service may still be working on a moment to land.
  if (settleMs > 0) await pause(run, settleMs);
  const pool = await withReadRetry(run, () => readPool(api, target, run.sendSignal));
  run.state.poolTotal = pool.length;
  // Orders are read after the pool: a key sold after the pool read was still in it.
  let orders: Awaited<ReturnType<typeof readOrders>>;
  if (target.removeSold) {
    orders = await withReadRetry(run, () => readOrders(api, sentAt, run.sendSignal)).catch(
      (error) => {
        if (error instanceof InterruptedError) throw error;
        return undefined; // unreadable: absence then proves nothing
      },
    );
  }
  const all = classify(batch, pool, target.removeSold, orders);
  if (added === undefined || run.effectiveDedup || all.stored + all.sold <= added) return all;
  // Taken as stored only on two signs at once: the batch's first `added`
  // serials are the newest items of the pool, as a pool listed oldest first
  // shows right after the add. Anything else: unknown, never assumed.
  const prefix = batch.slice(0, added);
  if (added > 0 && sameSerials(prefix, pool.slice(pool.length - added))) {
    return { stored: added, sold: 0, absent: batch.slice(added), unknown: [] };
  }
  // The serials found (stored or sold): the batch less the absent and unknown, copy by copy.
  const notFound = new Map<string, number>();
  for (const x of [...all.absent, ...all.unknown]) notFound.set(x, (notFound.get(x) ?? 0) + 1);
  const unknown = [...all.unknown];
  for (const x of batch) {
    const n = notFound.get(x) ?? 0;
    if (n > 0) notFound.set(x, n - 1);
    else unknown.push(x);
  }
  return { stored: 0, sold: 0, absent: all.absent, unknown };
}

async function pause(run: Run, ms: number): Promise<void> {
  try {
    await run.ctx.clock.sleep(ms, run.sendSignal);
  } catch {
    throw new InterruptedError();
  }
}

/** Reads that reconcile must get through: retried on 5xx and network failures beyond the client's own retries. */
function withReadRetry<T>(run: Run, read: () => Promise<T>): Promise<T> {
  return retryRead(run.ctx, run.sendSignal, read);
}

export async function retryRead<T>(
  ctx: Context,
  signal: AbortSignal,
  read: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const transient = error instanceof ServerError || error instanceof NetworkError;
      if (!transient || attempt >= 5) throw error;
      try {
        await ctx.clock.sleep(200 * 2 ** attempt, signal);
      } catch {
        throw new InterruptedError();
      }
    }
  }
}
