// The one retry policy, as pure functions (tested in test/api/retry.test.ts).
//
// Reads (GET/HEAD) are retried on connection failures, 429, any of
// 500/502/503/504 (a read changes nothing, so asking again is safe), and on
// an answer that arrived cut off or malformed.
// Writes are retried only when the request provably never reached the
// service (connection refused, DNS failure, connect timeout) or on 429,
// which a rate limiter answers before doing anything. Anything else on a
// write — a timeout, a reset mid-request, a 5xx — may have been processed,
// and resending could store serials twice; the caller must reconcile.
//
// Waits grow exponentially with full jitter, never shorter than the
// service's Retry-After, and the whole affair is bounded in tries and time.
// The client applies it to every request (client.ts); `orders watch` uses
// the same rules between its polls.
import {
  ApiError,
  NetworkError,
  RateLimitError,
  UnusableAnswerError,
  UsageError,
} from '../errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up when the next wait would end past this much time since the first try. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxElapsedMs: 120_000,
};

/**
 * ASTROSELL_MAX_RETRIES (0–10) caps the number of retries, for CI jobs that
 * would rather fail fast (and for tests); the time budget still applies.
 */
export function retryPolicyFromEnv(
  env: NodeJS.ProcessEnv,
  base: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPolicy {
  const raw = env.ASTROSELL_MAX_RETRIES?.trim();
  if (!raw) return base;
  if (!/^\d+$/.test(raw) || Number(raw) > 10) {
    throw new UsageError(`ASTROSELL_MAX_RETRIES must be a whole number from 0 to 10, not "${raw}"`);
  }
  return { ...base, maxAttempts: Number(raw) + 1 };
}

export type Outcome =
  | { kind: 'status'; status: number }
  | { kind: 'network'; reachedServer: false | 'unknown' }
  /** A 2xx whose body was cut off or is not what it claims to be. */
  | { kind: 'unusable' };

const RETRYABLE_READ_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryable(outcome: Outcome, idempotent: boolean): boolean {
  if (outcome.kind === 'status') {
    if (outcome.status === 429) return true;
    return idempotent && RETRYABLE_READ_STATUS.has(outcome.status);
  }
  if (outcome.kind === 'unusable') return idempotent;
  return idempotent || outcome.reachedServer === false;
}

/** What a failure the client threw says about the request; undefined: not the service's doing. */
export function outcomeOf(error: unknown): Outcome | undefined {
  if (error instanceof NetworkError) return { kind: 'network', reachedServer: error.reachedServer };
  if (error instanceof UnusableAnswerError) return { kind: 'unusable' };
  if (error instanceof RateLimitError) return { kind: 'status', status: 429 };
  if (error instanceof ApiError && error.status !== undefined) {
    return { kind: 'status', status: error.status };
  }
  return undefined;
}

/** Exponential back-off with full jitter, floored at Retry-After. `attempt` counts from 1. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: spreads clients out without ever waiting ~0.
  const backoff = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(backoff, retryAfterMs ?? 0);
}

export function shouldRetry(input: {
  outcome: Outcome;
  idempotent: boolean;
  attempt: number;
  elapsedMs: number;
  nextDelayMs: number;
  policy: RetryPolicy;
}): boolean {
  const { outcome, idempotent, attempt, elapsedMs, nextDelayMs, policy } = input;
  if (!isRetryable(outcome, idempotent)) return false;
  if (attempt >= policy.maxAttempts) return false;
  return elapsedMs + nextDelayMs <= policy.maxElapsedMs;
}

/** Retry-After is either delta-seconds or an HTTP date. Returns milliseconds, or undefined. */
export function parseRetryAfter(
  value: string | undefined | null,
  nowMs: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
