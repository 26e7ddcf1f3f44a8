// The retry policy as rules a user can hold us to: what is retried, how
// long each wait is, when retrying stops. The client (client.test.ts), the
// pool read-back of a restock and `orders watch` all follow these.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  type Outcome,
  outcomeOf,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryPolicyFromEnv,
  shouldRetry,
} from '../../src/api/retry.js';
import {
  AuthError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnusableAnswerError,
  UsageError,
  ValidationError,
} from '../../src/errors.js';

const status = (s: number): Outcome => ({ kind: 'status', status: s });
const notSent: Outcome = { kind: 'network', reachedServer: false };
const maybeSent: Outcome = { kind: 'network', reachedServer: 'unknown' };
const unusable: Outcome = { kind: 'unusable' };
const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxElapsedMs: 5000,
};

describe('what is retried', () => {
  // [what happened, retried for a read (GET), retried for a write (POST)]
  it.each<[string, Outcome, boolean, boolean]>([
    ['429: answered before anything was done', status(429), true, true],
    ['500: the service failed', status(500), true, false],
    ['502: a gateway gave up', status(502), true, false],
    ['503: the service is busy', status(503), true, false],
    ['504: a gateway timed out', status(504), true, false],
    ['501: not implemented, will not change', status(501), false, false],
    ['400: refused as invalid', status(400), false, false],
    ['401: the key is refused', status(401), false, false],
    ['404: not found', status(404), false, false],
    ['409: conflict', status(409), false, false],
    ['connection refused, DNS: never reached the service', notSent, true, true],
    ['reset or timed out: may have been processed', maybeSent, true, false],
    ['a 2xx cut off or malformed', unusable, true, false],
  ])('%s → read %s, write %s', (_, outcome, read, write) => {
    expect(isRetryable(outcome, true)).toBe(read);
    expect(isRetryable(outcome, false)).toBe(write);
  });
});

describe('errors the client throws, read as outcomes', () => {
  it.each<[string, unknown, Outcome | undefined]>([
    ['rate limited', new RateLimitError('slow'), status(429)],
    ['a 503', new ServerError('busy', { status: 503 }), status(503)],
    ['a 404', new NotFoundError('gone'), status(404)],
    ['a 401', new AuthError('no', { status: 401 }), status(401)],
    ['a 422', new ValidationError('bad', { status: 422 }), status(422)],
    ['refused', new NetworkError('refused', { reachedServer: false }), notSent],
    ['reset', new NetworkError('reset', { reachedServer: 'unknown' }), maybeSent],
    ['an unusable answer', new UnusableAnswerError('cut', { status: 200 }), unusable],
    ['our own usage error', new UsageError('no'), undefined],
    ['a bug', new TypeError('x is undefined'), undefined],
  ])('%s', (_, error, outcome) => {
    expect(outcomeOf(error)).toEqual(outcome);
  });
});

describe('how long each wait is', () => {
  it('doubles each attempt, jittered between half and all of it', () => {
    // attempt 1: 50–100, 2: 100–200, 3: 200–400
    for (const [attempt, low, high] of [
      [1, 50, 100],
      [2, 100, 200],
      [3, 200, 400],
    ] as const) {
      expect(retryDelay(attempt, undefined, policy, () => 0)).toBe(low);
      expect(retryDelay(attempt, undefined, policy, () => 1)).toBe(high);
      for (let i = 0; i < 20; i++) {
        const d = retryDelay(attempt, undefined, policy);
        expect(d).toBeGreaterThanOrEqual(low);
        expect(d).toBeLessThanOrEqual(high);
      }
    }
  });
  it('never waits longer than the cap, however many attempts', () => {
    expect(retryDelay(20, undefined, policy, () => 1)).toBe(policy.maxDelayMs);
    expect(retryDelay(60, undefined, policy, () => 1)).toBe(policy.maxDelayMs);
  });
  it('never waits less than Retry-After, even past the cap', () => {
    expect(retryDelay(1, 3000, policy, () => 1)).toBe(3000);
    // A Retry-After shorter than the back-off does not shorten it.
    expect(retryDelay(5, 20, policy, () => 0)).toBe(500);
  });
});

describe('when retrying stops', () => {
  const base = {
    outcome: status(503),
    idempotent: true,
    attempt: 1,
    elapsedMs: 0,
    nextDelayMs: 100,
    policy,
  };
  it('after the last allowed attempt', () => {
    expect(shouldRetry({ ...base, attempt: policy.maxAttempts - 1 })).toBe(true);
    expect(shouldRetry({ ...base, attempt: policy.maxAttempts })).toBe(false);
  });
  it('when the next wait would end past the time budget', () => {
    expect(shouldRetry({ ...base, elapsedMs: 4900, nextDelayMs: 100 })).toBe(true);
    expect(shouldRetry({ ...base, elapsedMs: 4900, nextDelayMs: 101 })).toBe(false);
    // A Retry-After of an hour is not waited for.
    expect(shouldRetry({ ...base, nextDelayMs: 3_600_000 })).toBe(false);
  });
  it('at once for what is not retried', () => {
    expect(shouldRetry({ ...base, outcome: status(404) })).toBe(false);
    expect(shouldRetry({ ...base, idempotent: false })).toBe(false);
    expect(shouldRetry({ ...base, outcome: notSent, idempotent: false })).toBe(true);
  });
  it('by default: five tries within two minutes', () => {
    const d = DEFAULT_RETRY_POLICY;
    const at = { ...base, policy: d };
    expect(shouldRetry({ ...at, attempt: 4 })).toBe(true);
    expect(shouldRetry({ ...at, attempt: 5 })).toBe(false);
    expect(shouldRetry({ ...at, elapsedMs: 119_000, nextDelayMs: 2_000 })).toBe(false);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it.each<[string | undefined | null, number | undefined]>([
    ['2', 2000],
    [' 3 ', 3000],
    ['1.5', 1500],
    ['0', 0],
    ['Mon, 01 Jun 2026 12:00:30 GMT', 30_000],
    // A date already past: no wait, never a negative one.
    ['Mon, 01 Jun 2026 11:00:00 GMT', 0],
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['12a', undefined],
    ['1e3', undefined],
  ])('%j → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('ASTROSELL_MAX_RETRIES', () => {
  it.each([
    ['0', 1],
    ['3', 4],
    [' 3 ', 4],
    ['10', 11],
    ['', DEFAULT_RETRY_POLICY.maxAttempts],
  ])('%j → %i attempts', (value, attempts) => {
    expect(retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: value }).maxAttempts).toBe(attempts);
  });
  it('changes the number of tries only, not the waits or the time budget', () => {
    const p = retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: '2' }, policy);
    expect(p.maxDelayMs).toBe(policy.maxDelayMs);
    expect(p.maxElapsedMs).toBe(policy.maxElapsedMs);
  });
  it.each(['11', '-1', '1.5', 'many', '1 2'])('refuses %j as a usage error naming it', (v) => {
    expect(() => retryPolicyFromEnv({ ASTROSELL_MAX_RETRIES: v })).toThrow(
      new UsageError(`ASTROSELL_MAX_RETRIES must be a whole number from 0 to 10, not "${v}"`),
    );
  });
});
