import { describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  classifyNetworkError,
  errorForStatus,
  errorMessageFromBody,
} from '../../src/api/client.js';
import {
  AuthError,
  ExitCode,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../src/errors.js';

const res = (status: number, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  headers,
  text: '',
  durationMs: 1,
  attempts: 1,
});

describe('errorMessageFromBody', () => {
  it("uses the service's own error message", () => {
    expect(errorMessageFromBody(404, '{"error":"Product not found"}')).toBe('Product not found');
    expect(errorMessageFromBody(400, ' {"message":"bad limit"}\n')).toBe('bad limit');
  });
  it('gives a clear message for an HTML page from a proxy', () => {
    const msg = errorMessageFromBody(
      502,
      '<html><body>Bad Gateway</body></html>',
      'text/html; charset=utf-8',
    );
    expect(msg).toBe(
      'the service answered HTTP 502 with a non-JSON text/html body (a proxy or the service is failing)',
    );
    expect(msg).not.toContain('<html>');
  });
  it('copes with empty, broken or unhelpful JSON bodies', () => {
    expect(errorMessageFromBody(500, '')).toBe(
      'the service answered HTTP 500 (a proxy or the service is failing)',
    );
    expect(errorMessageFromBody(405, '', 'application/json; charset=utf-8')).toBe(
      'the service answered HTTP 405',
    );
    expect(errorMessageFromBody(400, '{"error":')).toBe('the service answered HTTP 400');
    expect(errorMessageFromBody(400, '{"error":{"code":1}}')).toBe('the service answered HTTP 400');
  });
});

describe('errorForStatus', () => {
  it('maps 401 and 403 to AuthError (exit 3) with a hint', () => {
    for (const s of [401, 403]) {
      const e = errorForStatus(s, '{"error":"Invalid or revoked API key"}', res(s));
      expect(e).toBeInstanceOf(AuthError);
      expect(e.exitCode).toBe(ExitCode.auth);
      expect(e.status).toBe(s);
      expect(e.message).toBe('Invalid or revoked API key');
      expect(e.hint).toContain('astrosell keys');
    }
  });
  it('maps 404 to NotFoundError (exit 4) with the request id', () => {
    const e = errorForStatus(
      404,
      '{"error":"Order not found"}',
      res(404, { 'x-request-id': 'req_1' }),
    );
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.exitCode).toBe(4);
    expect(e.requestId).toBe('req_1');
  });
  it('maps 400 and other 4xx to ValidationError (exit 2)', () => {
    for (const s of [400, 405, 409, 413, 422]) {
      const e = errorForStatus(s, '{"error":"limit must be 1-200"}');
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.exitCode).toBe(2);
    }
  });
  it('maps 429 to RateLimitError (exit 5) carrying Retry-After', () => {
    const e = errorForStatus(
      429,
      '{"error":"Rate limit exceeded"}',
      res(429, { 'retry-after': '7' }),
      Date.now(),
    );
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.exitCode).toBe(5);
    expect((e as RateLimitError).retryAfterMs).toBe(7000);
    expect(e.message).toContain('Rate limit exceeded');
  });
  it('maps 5xx to ServerError (exit 1)', () => {
    for (const s of [500, 502, 503, 504]) {
      const e = errorForStatus(s, '<h1>oops</h1>', res(s, { 'content-type': 'text/html' }));
      expect(e).toBeInstanceOf(ServerError);
      expect(e.exitCode).toBe(1);
      expect(e.message).toContain(`HTTP ${s}`);
    }
  });
});

describe('classifyNetworkError', () => {
  const url = new URL('https://api.astrosell.io/api/v1/products');
  const err = (code: string, cause?: unknown, syscall?: string) =>
    Object.assign(new Error(`boom ${code}`), { code, cause, syscall });

  it('says a refused, unresolvable or connect-timed-out request never reached the service', () => {
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'UND_ERR_CONNECT_TIMEOUT',
      'EHOSTUNREACH',
    ]) {
      // As Node shapes them: met while connecting.
      const e = classifyNetworkError(err(code, undefined, 'connect'), url);
      expect(e).toBeInstanceOf(NetworkError);
      expect(e.exitCode).toBe(ExitCode.network);
      expect(e.reachedServer).toBe(false);
    }
    expect(classifyNetworkError(err('ECONNREFUSED'), url).message).toBe(
      'cannot connect to api.astrosell.io: connection refused',
    );
  });
  it("says 'unknown' for resets, closed sockets and timeouts after sending", () => {
    for (const code of [
      'ECONNRESET',
      'UND_ERR_SOCKET',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
      'EPIPE',
    ]) {
      expect(classifyNetworkError(err(code), url).reachedServer).toBe('unknown');
    }
    expect(classifyNetworkError(err('UND_ERR_HEADERS_TIMEOUT'), url).message).toContain(
      'timed out',
    );
  });
  it('looks through undici socket errors to the cause', () => {
    const refused = err('ECONNREFUSED', undefined, 'connect');
    const e = classifyNetworkError(err('UND_ERR_SOCKET', refused), url);
    expect(e.reachedServer).toBe(false);
  });
  it('is conservative about errors it does not know', () => {
    const e = classifyNetworkError(new Error('weird'), url);
    expect(e.reachedServer).toBe('unknown');
    expect(e.message).toContain('weird');
  });
});
