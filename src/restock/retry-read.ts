// Reads a restock must get through (the target, the pool read back, orders):
// retried on any 5xx (the client retries only 502/503/504 for reads) and on
// network failures, beyond the client's own retries.
import type { Clock } from '../context.js';
import { InterruptedError, NetworkError, ServerError } from '../errors.js';

const ATTEMPTS = 5;

export async function retryRead<T>(
  clock: Clock,
  signal: AbortSignal,
  read: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const transient = error instanceof ServerError || error instanceof NetworkError;
      if (!transient || attempt >= ATTEMPTS || signal.aborted) throw error;
      try {
        await clock.sleep(200 * 2 ** attempt, signal);
      } catch {
        throw new InterruptedError();
      }
    }
  }
}
