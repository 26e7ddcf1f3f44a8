// Reading the pool back: what reconciles a batch whose outcome is not known
// (reconcile.ts holds the pure classification), and the retried reads it needs.
import type { Context } from '../context.js';
import { InterruptedError, NetworkError, ServerError } from '../errors.js';
import { classify } from './reconcile.js';
import type { Run } from './run.js';
import { readOrders, readPool } from './target.js';

export async function reconcileBatch(
  run: Run,
  batch: readonly string[],
  sentAt: number,
  settleMs: number,
) {
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
  return classify(batch, pool, target.removeSold, orders);
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
