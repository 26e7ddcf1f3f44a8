import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  type Outcome,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryPolicyFromEnv,
  shouldRetry,
} from '../../src/api/retry.js';
import { UsageError } from '../../src/errors.js';
import { freshImport } from '../helpers/fresh.js';

const status = (s: number): Outcome => ({ kind: 'status', status: s });
const notSent: Outcome = { kind: 'network', reachedServer: false };
const maybeSent: Outcome = { kind: 'network', reachedServer: 'unknown' };
const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxElapsedMs: 5000,
};

describe('isRetryable', () => {
  it('retries reads on 429 and 502/503/504 only', () => {
    for (const s of [429, 502, 503, 504]) expect(isRetryable(status(s), true)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 500, 501])
      expect(isRetryable(status(s), true)).toBe(false);
  });
  it('retries writes on 429 only: a 5xx may have been processed', () => {
    expect(isRetryable(status(429), false)).toBe(true);
    for (const s of [500, 502, 503, 504]) expect(isRetryable(status(s), false)).toBe(false);
  });
  it('retries reads on any connection failure', () => {
    expect(isRetryable(notSent, true)).toBe(true);
    expect(isRetryable(maybeSent, true)).toBe(true);
  });
  it('retries writes only when the request provably never reached the service', () => {
    expect(isRetryable(notSent, false)).toBe(true);
    expect(isRetryable(maybeSent, false)).toBe(false);
  });
});

describe('retryDelay', () => {
  it('grows exponentially, jittered between half and all of the ceiling', () => {
    expect(retryDelay(1, undefined, policy, () => 0)).toBe(50);
    expect(retryDelay(1, undefined, policy, () => 1)).toBe(100);
    expect(retryDelay(2, undefined, policy, () => 0)).toBe(100);
    expect(retryDelay(3, undefined, policy, () => 1)).toBe(400);
    for (let i = 0; i < 50; i++) {
      const d = retryDelay(3, undefined, policy);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
  it('is capped at maxDelayMs', () => {
    expect(retryDelay(20, undefined, policy, () => 1)).toBe(1000);
    expect(retryDelay(60, undefined, DEFAULT_RETRY_POLICY, () => 1)).toBe(
      DEFAULT_RETRY_POLICY.maxDelayMs,
    );
  });
  it('is never shorter than Retry-After, even past maxDelayMs', () => {
    expect(retryDelay(1, 3000, policy, () => 1)).toBe(3000);
    expect(retryDelay(5, 20, policy, () => 0)).toBe(500);
    expect(retryDelay(1, 0, policy, () => 0)).toBe(50);
  });
});

describe('shouldRetry', () => {
  const base = {
    outcome: status(503),
    idempotent: true,
    attempt: 1,
    elapsedMs: 0,
    nextDelayMs: 100,
    policy,
  };
  it('retries a retryable outcome within budget', () => {
    expect(shouldRetry(base)).toBe(true);
  });
  it('stops at maxAttempts', () => {
    expect(shouldRetry({ ...base, attempt: 3 })).toBe(true);
    expect(shouldRetry({ ...base, attempt: 4 })).toBe(false);
  });
  it('stops when the next wait would end past the time budget', () => {
    expect(shouldRetry({ ...base, elapsedMs: 4900, nextDelayMs: 100 })).toBe(true);
    expect(shouldRetry({ ...base, elapsedMs: 4900, nextDelayMs: 101 })).toBe(false);
    expect(shouldRetry({ ...base, nextDelayMs: 3_600_000 })).toBe(false);
  });
  it('never retries what is not retryable', () => {
    expect(shouldRetry({ ...base, outcome: status(404) })).toBe(false);
    expect(shouldRetry({ ...base, outcome: status(503), idempotent: false })).toBe(false);
    expect(shouldRetry({ ...base, outcome: maybeSent, idempotent: false })).toBe(false);
    expect(shouldRetry({ ...base, outcome: notSent, idempotent: false })).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Mon, 01 Jun 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 01 Jun 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores missing or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retryPolicyFromEnv', () => {
  it('keeps the default without ASTROSELL_MAX_RETRIES', () => {
    expect(retryPolicyFromEnv({})).toBe(DEFAULT_RETRY_POLICY);
  });
  it('caps the retries', () => {
    expect(retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: '0' }).maxAttempts).toBe(1);
    expect(retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: '3' }).maxAttempts).toBe(4);
  });
  it('refuses nonsense as a usage error', () => {
    for (const v of ['-1', 'many', '11', '1.5']) {
      expect(() => retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: v })).toThrow(UsageError);
    }
  });
});

describe('parseRetryAfter, edge cases', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it.each<[string, number | undefined]>([
    ['', undefined],
    ['   ', undefined],
    [' 3 ', 3000],
    ['12', 12_000],
    ['1.5', 1500],
    ['1.25', 1250],
    ['0.0004', 0],
    ['12a', undefined],
    ['a12', undefined],
    ['1e3', undefined],
    ['Mon, 01 Jun 2026 12:00:01 GMT', 1000],
    ['Mon, 01 Jun 2026 12:00:00 GMT', 0],
  ])('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('retryPolicyFromEnv, edge cases', () => {
  it.each([
    ['10', 11],
    [' 3 ', 4],
    ['03', 4],
    ['', DEFAULT_RETRY_POLICY.maxAttempts],
    ['  ', DEFAULT_RETRY_POLICY.maxAttempts],
  ])('%j → %i attempts', (value, attempts) => {
    const p = retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: value });
    expect(p).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: attempts });
  });
  it('keeps the rest of the given policy', () => {
    expect(retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: '2' }, policy)).toEqual({
      ...policy,
      maxAttempts: 3,
    });
  });
  it.each(['11', '100', '-1', '1.5', 'many', '1 2'])('refuses %j with the exact message', (v) => {
    expect(() => retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: v })).toThrow(
      new UsageError(`ASTROSELL_MAX_RETRIES must be a whole number from 0 to 10, not "${v}"`),
    );
  });
});

describe('DEFAULT_RETRY_POLICY', () => {
  it('is five tries, 250 ms base, 20 s cap, two minutes in all', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 20_000,
      maxElapsedMs: 120_000,
    });
  });
});

describe('retryable read statuses, one by one', () => {
  it.each([429, 502, 503, 504])('%i is retried for a read', (s) => {
    expect(isRetryable(status(s), true)).toBe(true);
  });
  it.each([500, 501, 505, 408])('%i is not', (s) => {
    expect(isRetryable(status(s), true)).toBe(false);
  });
});

describe('the tables, loaded inside the test', () => {
  it('the default policy and the read statuses retried', async () => {
    const fresh = await freshImport<typeof import('../../src/api/retry.js')>(
      import.meta.url,
      '../../src/api/retry.js',
    );
    expect(fresh.DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 20_000,
      maxElapsedMs: 120_000,
    });
    const retried = [400, 429, 500, 502, 503, 504].filter((s) =>
      fresh.isRetryable(status(s), true),
    );
    expect(retried).toEqual([429, 502, 503, 504]);
  });
});
