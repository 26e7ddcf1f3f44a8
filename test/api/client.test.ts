// The request sender against tiny node:http servers of the test's own, so
// each test scripts exactly what the "service" does, request by request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  createClient,
  errorForStatus,
  errorMessageFromBody,
  redactUrl,
} from '../../src/api/client.js';
import { read } from '../../src/api/resources/answer.js';
import type { RetryPolicy } from '../../src/api/retry.js';
import type { Clock } from '../../src/clock.js';
import { systemClock } from '../../src/clock.js';
import {
  ApiError,
  AuthError,
  CliError,
  InterruptedError,
  InterruptedUnsentError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnusableAnswerError,
  UsageError,
  ValidationError,
} from '../../src/errors.js';

const KEY = 'nsk_test_0123456789abcdef0123';
const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 10_000 };

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  url: string;
  port: number;
  requests: Array<{
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }>;
  connections: number;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A server answering its n-th request with handlers[n] (the last one repeats). */
async function serve(...handlers: Handler[]): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state = { requests: [] as TestServer['requests'], connections: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      const i = state.requests.length;
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      handlers[Math.min(i, handlers.length - 1)]!(req, res, body);
    });
  });
  server.on('connection', (s) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  cleanups.push(close);
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    close,
  };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

/** Real time, but every wait is recorded (and optionally skipped). */
function recordingClock(skip = true): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return skip ? Promise.resolve() : systemClock.sleep(ms, signal);
    },
  };
}

async function client(url: string, extra: Partial<ClientOptions> = {}) {
  const c = await createClient({
    baseUrl: url,
    apiKey: KEY,
    timeoutMs: 5000,
    clock: recordingClock(),
    env: {},
    retryPolicy: FAST,
    ...extra,
  });
  cleanups.push(() => c.close());
  return c;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('requests', () => {
  it('joins base URL and path, sends Bearer auth, User-Agent and JSON headers', async () => {
    const srv = await serve(json(200, [{ id: 'a' }]));
    const c = await client(`${srv.url}/`);
    const { text } = await c.request({
      method: 'GET',
      path: '/products',
      query: { limit: 5, status: undefined },
    });
    expect(text).toBe('[{"id":"a"}]');
    const req = srv.requests[0]!;
    expect(req.url).toBe('/api/v1/products?limit=5');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['user-agent']).toMatch(/^astrosell\/\S+/);
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBeUndefined();
  });

  it('sends a JSON body with its content type', async () => {
    const srv = await serve(json(200, { ok: true }));
    const c = await client(srv.url);
    await c.request({ method: 'POST', path: 'warehouses', body: { name: 'X' } });
    expect(srv.requests[0]!.method).toBe('POST');
    expect(srv.requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({ name: 'X' });
  });

  it('keeps the connection alive across requests', async () => {
    const srv = await serve(json(200, []));
    const c = await client(srv.url);
    for (let i = 0; i < 6; i++) await c.request({ method: 'GET', path: '/coupons' });
    expect(srv.requests).toHaveLength(6);
    // undici's pool may open a second socket while the first is being released.
    expect(srv.connections).toBeLessThanOrEqual(2);
  });

  it('refuses plain http to a non-loopback host before connecting', async () => {
    await expect(client('http://api.astrosell.io/api/v1')).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a key undici could not send as a header, instead of retrying a "network error"', async () => {
    const srv = await serve(json(200, []));
    for (const apiKey of ['nsk_test_abc\ndef', 'nsk_test abc', 'nsk_test_\u0000x']) {
      await expect(client(srv.url, { apiKey })).rejects.toBeInstanceOf(UsageError);
    }
    expect(srv.requests).toHaveLength(0);
  });

  it('traces each request and response with the key redacted', async () => {
    const srv = await serve(json(200, []));
    const lines: string[] = [];
    const c = await client(srv.url, { trace: (l) => lines.push(l) });
    await c.request({ method: 'POST', path: '/warehouses', body: { name: 'x' } });
    expect(lines[0]).toMatch(/^> POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/warehouses/);
    expect(lines[1]).toMatch(/^< 200 POST \/api\/v1\/warehouses/);
    expect(lines.join('\n')).toContain('nsk_test_…');
    expect(lines.join('\n')).not.toContain(KEY);
  });
});

describe('errors', () => {
  it("carries the service's error message and maps statuses to types", async () => {
    const srv = await serve(
      json(401, { error: 'Invalid or revoked API key' }),
      json(404, { error: 'Product not found' }),
    );
    const c = await client(srv.url);
    await expect(c.request({ method: 'GET', path: '/products' })).rejects.toThrow(AuthError);
    const e = await c.request({ method: 'GET', path: '/products/x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect((e as Error).message).toBe('Product not found');
  });

  it('gives a clear message for an HTML 502 from a proxy', async () => {
    const srv = await serve((_q, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><h1>502 Bad Gateway</h1></html>');
    });
    const c = await client(srv.url, { retryPolicy: { ...FAST, maxAttempts: 2 } });
    const e = await c.request({ method: 'GET', path: '/products' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServerError);
    expect((e as Error).message).toBe(
      'the service answered HTTP 502 with a non-JSON text/html body (a proxy or the service is failing)',
    );
    expect(srv.requests).toHaveLength(2);
  });

  it('returns error statuses to callers that ask for them, after the same retries', async () => {
    const srv = await serve(
      json(404, { error: 'Not found' }),
      json(503, { error: 'busy' }),
      json(200, []),
      json(503, { error: 'busy' }),
    );
    const c = await client(srv.url);
    const res = await c.request({ method: 'GET', path: '/nope', allowErrorStatus: true });
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"error":"Not found"}');
    expect(srv.requests).toHaveLength(1);
    const retried = await c.request({ method: 'GET', path: '/products', allowErrorStatus: true });
    expect(retried.status).toBe(200);
    expect(srv.requests).toHaveLength(3);
    const write = await c.request({
      method: 'POST',
      path: '/products',
      body: {},
      allowErrorStatus: true,
    });
    expect(write.status).toBe(503);
    expect(srv.requests).toHaveLength(4);
  });

  it('reports a 200 answer that is not JSON', async () => {
    const srv = await serve((_q, res) => res.end('hello'));
    const c = await client(srv.url);
    await expect(read(c, '/products', undefined, (v) => v).fetch()).rejects.toBeInstanceOf(
      ServerError,
    );
  });
});

describe('retries', () => {
  it('honours Retry-After on 429, then succeeds', async () => {
    const srv = await serve(
      json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '2' }),
      json(200, []),
    );
    const clock = recordingClock();
    const retries: number[] = [];
    const c = await client(srv.url, { clock, onRetry: (i) => retries.push(i.delayMs) });
    const res = await c.request({ method: 'GET', path: '/orders' });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(retries).toEqual(clock.sleeps);
  });

  it('really waits for Retry-After (seconds) with the system clock', async () => {
    const srv = await serve(
      json(429, { error: 'slow down' }, { 'retry-after': '1' }),
      json(200, []),
    );
    const c = await client(srv.url, { clock: systemClock });
    const started = Date.now();
    await c.request({ method: 'GET', path: '/orders' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('retries 429 on a write too (a rate limiter answers before doing anything)', async () => {
    const srv = await serve(
      json(429, { error: 'slow down' }, { 'retry-after': '0' }),
      json(200, { added: 1 }),
    );
    const c = await client(srv.url);
    const res = await c.request({
      method: 'POST',
      path: '/warehouses/w/stock',
      body: { stock: 'a' },
    });
    expect(res.status).toBe(200);
    expect(srv.requests).toHaveLength(2);
  });

  it('gives up on a 429 that does not clear: RateLimitError (exit 5)', async () => {
    const srv = await serve(json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '1' }));
    const c = await client(srv.url);
    const e = await c.request({ method: 'GET', path: '/orders' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).exitCode).toBe(5);
    expect(srv.requests).toHaveLength(FAST.maxAttempts);
  });

  it('does not wait when Retry-After is past the time budget', async () => {
    const srv = await serve(json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '3600' }));
    const clock = recordingClock();
    const c = await client(srv.url, { clock });
    await expect(c.request({ method: 'GET', path: '/orders' })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(clock.sleeps).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('retries 503 for GET but not for POST', async () => {
    const srv = await serve(
      json(503, { error: 'busy' }),
      json(200, []),
      json(503, { error: 'busy' }),
    );
    const c = await client(srv.url);
    expect((await c.request({ method: 'GET', path: '/products' })).status).toBe(200);
    expect(srv.requests).toHaveLength(2);
    const e = await c
      .request({ method: 'POST', path: '/products', body: { title: 't' } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServerError);
    expect((e as Error).message).toBe('busy');
    expect(srv.requests).toHaveLength(3);
  });

  it('retries a 500 for GET (a read changes nothing), never a 4xx', async () => {
    const srv = await serve(json(500, { error: 'kaput' }), json(200, []));
    const c = await client(srv.url);
    expect((await c.request({ method: 'GET', path: '/products' })).status).toBe(200);
    expect(srv.requests).toHaveLength(2);
    const bad = await serve(json(400, { error: 'no' }));
    const c2 = await client(bad.url);
    await expect(c2.request({ method: 'GET', path: '/products' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(bad.requests).toHaveLength(1);
  });

  it('makes one attempt when the caller says retry: false', async () => {
    const srv = await serve(json(503, { error: 'busy' }));
    const c = await client(srv.url);
    await expect(c.request({ method: 'GET', path: '/x', retry: false })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(srv.requests).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('connection refused: NetworkError, reachedServer false, retried even for POST', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const c = await client(`http://127.0.0.1:${port}/api/v1`, { trace: (l) => lines.push(l) });
    const e = await c
      .request({ method: 'POST', path: '/products', body: {} })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).reachedServer).toBe(false);
    expect((e as NetworkError).exitCode).toBe(6);
    expect((e as Error).message).toBe(`cannot connect to 127.0.0.1:${port}: connection refused`);
    expect(lines.filter((l) => l.startsWith('> POST'))).toHaveLength(FAST.maxAttempts);
  });

  it("connection refused on 'localhost' (both address families) is classified the same", async () => {
    const port = await freePort();
    const c = await client(`http://localhost:${port}/api/v1`, {
      retryPolicy: { ...FAST, maxAttempts: 1 },
    });
    const e = await c.request({ method: 'GET', path: '/products' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).reachedServer).toBe(false);
  });

  it("a socket destroyed mid-request is 'unknown': a GET is retried, a POST is not", async () => {
    const drop: Handler = (req) => req.socket.destroy();
    const srv = await serve(drop, json(200, []), drop);
    const c = await client(srv.url);
    expect((await c.request({ method: 'GET', path: '/products' })).status).toBe(200);
    expect(srv.requests).toHaveLength(2);
    const e = await c
      .request({ method: 'POST', path: '/warehouses/w/stock', body: { stock: 'a' } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).reachedServer).toBe('unknown');
    expect(srv.requests).toHaveLength(3);
  });

  it('times out a silent server (exit 6)', async () => {
    const srv = await serve(() => undefined);
    const c = await client(srv.url, { timeoutMs: 200, retryPolicy: { ...FAST, maxAttempts: 2 } });
    const e = await c.request({ method: 'GET', path: '/products' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as Error).message).toContain('timed out');
    expect((e as NetworkError).exitCode).toBe(6);
    // No upper bound on the time: a client without the timeout hangs and the test times out.
    expect(srv.requests).toHaveLength(2);
  });
});

describe('cancellation (Ctrl-C)', () => {
  it('aborting during a back-off wait rejects at once with InterruptedError', async () => {
    const srv = await serve(json(429, { error: 'slow down' }, { 'retry-after': '30' }));
    const ac = new AbortController();
    const c = await client(srv.url, {
      clock: systemClock,
      signal: ac.signal,
      retryPolicy: { ...FAST, maxElapsedMs: 120_000 },
      // Once the back-off wait has begun; a client that ignored the signal would
      // sleep the 30 s out and the test would time out.
      onRetry: () => setImmediate(() => ac.abort(new Error('interrupted'))),
    });
    const e = await c.request({ method: 'GET', path: '/orders' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InterruptedError);
    expect((e as InterruptedError).exitCode).toBe(130);
    expect(srv.requests).toHaveLength(1);
  });

  // A restock sends with a signal of its own (Ctrl-C gives the request in
  // flight a grace period); waiting to resend a stock add the service
  // answered 429 (not processed), nothing is in flight: Ctrl-C ends the wait
  // at once and says no request is outstanding, so the batch is known unsent.
  it('Ctrl-C while waiting to resend a write answered 429: at once, and nothing outstanding', async () => {
    const srv = await serve(json(429, { error: 'slow down' }, { 'retry-after': '30' }));
    const ctrlC = new AbortController();
    const c = await client(srv.url, {
      clock: systemClock,
      signal: ctrlC.signal,
      retryPolicy: { ...FAST, maxElapsedMs: 120_000 },
      onRetry: () => setImmediate(() => ctrlC.abort()),
    });
    const grace = new AbortController().signal;
    const e = await c
      .request({ method: 'POST', path: '/warehouses/w/stock', body: {}, signal: grace })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InterruptedUnsentError);
    expect((e as InterruptedError).exitCode).toBe(130);
    expect(srv.requests).toHaveLength(1);
  });

  it('a wait after an answer that may have been processed (a read answered 503) is no such promise', async () => {
    const srv = await serve(json(503, { error: 'busy' }, { 'retry-after': '30' }));
    const ac = new AbortController();
    const c = await client(srv.url, {
      clock: systemClock,
      signal: ac.signal,
      retryPolicy: { ...FAST, maxElapsedMs: 120_000 },
      onRetry: () => setImmediate(() => ac.abort()),
    });
    const e = await c.request({ method: 'GET', path: '/orders' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InterruptedError);
    expect(e).not.toBeInstanceOf(InterruptedUnsentError);
  });

  it('aborting a request in flight rejects at once with InterruptedError', async () => {
    const ac = new AbortController();
    // Abort once the server holds the request (it never answers).
    const srv = await serve(() => ac.abort(new Error('interrupted')));
    const c = await client(srv.url, { signal: ac.signal });
    const e = await c.request({ method: 'GET', path: '/orders' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InterruptedError);
    // In flight: it may have been processed.
    expect(e).not.toBeInstanceOf(InterruptedUnsentError);
    expect(srv.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const srv = await serve(json(200, []));
    const ac = new AbortController();
    ac.abort();
    const c = await client(srv.url, { signal: ac.signal });
    await expect(c.request({ method: 'GET', path: '/orders' })).rejects.toBeInstanceOf(
      InterruptedError,
    );
    expect(srv.requests).toHaveLength(0);
  });
});

describe('proxies', () => {
  /** A forward proxy that records CONNECT requests and refuses them. */
  async function proxy() {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(502).end();
    });
    server.on('connect', (req: IncomingMessage, socket: Socket) => {
      seen.push(`CONNECT ${req.url} auth=${req.headers.authorization ?? '-'}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
  const once: RetryPolicy = { ...FAST, maxAttempts: 1 };

  it('tunnels https through HTTPS_PROXY, without showing the proxy the key', async () => {
    const p = await proxy();
    const c = await client('https://api.astrosell.test/api/v1', {
      env: { HTTPS_PROXY: p.url },
      retryPolicy: once,
    });
    const e = await c.request({ method: 'GET', path: '/products' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect(p.seen).toEqual(['CONNECT api.astrosell.test:443 auth=-']);
  });

  it('uses HTTP_PROXY (lower case too) when no HTTPS_PROXY is set', async () => {
    const p = await proxy();
    const c = await client('https://api.astrosell.test/api/v1', {
      env: { http_proxy: p.url },
      retryPolicy: once,
    });
    await c.request({ method: 'GET', path: '/products' }).catch(() => undefined);
    expect(p.seen).toHaveLength(1);
  });

  it('skips the proxy for hosts in NO_PROXY', async () => {
    const p = await proxy();
    const c = await client('https://api.astrosell.test/api/v1', {
      env: { HTTPS_PROXY: p.url, NO_PROXY: 'example.com,.astrosell.test' },
      retryPolicy: once,
      timeoutMs: 2000,
    });
    const e = await c.request({ method: 'GET', path: '/products' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError); // no such host, tried directly
    expect(p.seen).toEqual([]);
  });

  it('never sends loopback traffic (the sandbox) through a proxy', async () => {
    const p = await proxy();
    const srv = await serve(json(200, []));
    const c = await client(srv.url, { env: { HTTPS_PROXY: p.url, HTTP_PROXY: p.url } });
    expect((await c.request({ method: 'GET', path: '/products' })).status).toBe(200);
    expect(p.seen).toEqual([]);
  });

  it('reads proxy settings from the given env, not process.env', async () => {
    const p = await proxy();
    const before = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = p.url;
    try {
      const c = await client('https://api.astrosell.test/api/v1', {
        env: { HTTP_PROXY: 'http://127.0.0.1:9' },
        retryPolicy: once,
      });
      await c.request({ method: 'GET', path: '/products' }).catch(() => undefined);
      expect(p.seen).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = before;
    }
  });
});

describe('what is refused before a byte is sent', () => {
  it('a key with non-ASCII characters is a usage error (exit 2), not a crash', async () => {
    const srv = await serve(json(200, []));
    const e = await client(srv.url, { apiKey: 'nsk_live_pastedfromadocé€x' }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toContain('non-ASCII');
    expect((e as UsageError).message).not.toContain('pastedfromadoc');
    expect(srv.requests).toHaveLength(0);
  });

  it('a path that climbs out of the base URL is refused, key unsent', async () => {
    const srv = await serve(json(200, []));
    const c = await client(srv.url);
    for (const path of ['../../etc', '/%2e%2e/%2E%2E/admin', 'products/../../x']) {
      const e = await c.request({ method: 'GET', path }).catch((x: unknown) => x);
      expect(e, path).toBeInstanceOf(UsageError);
    }
    expect(srv.requests).toHaveLength(0);
    // Staying under the base URL is fine, `..` included.
    await c.request({ method: 'GET', path: 'products/x/../y' });
    expect(srv.requests.map((r) => r.url)).toEqual(['/api/v1/products/y']);
  });
});

describe('hints and traces', () => {
  it('a 404 under a base URL without /api/v1 says the base URL may be wrong', async () => {
    const srv = await serve(json(404, { error: 'Not found' }));
    const c = await client(srv.url.replace(/\/api\/v1$/, ''));
    const e = (await c
      .request({ method: 'GET', path: '/products' })
      .catch((x: unknown) => x)) as NotFoundError;
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.hint).toMatch(/does not end in \/api\/v1/);
    const ok = await client(srv.url);
    const e2 = (await ok
      .request({ method: 'GET', path: '/x' })
      .catch((x: unknown) => x)) as NotFoundError;
    expect(e2.hint).toBeUndefined();
  });

  it('traces never show a user or password put in the base URL', () => {
    expect(redactUrl(new URL('https://bob:s3cret@api.example.test/api/v1/products'))).toBe(
      'https://REDACTED:REDACTED@api.example.test/api/v1/products',
    );
    expect(redactUrl(new URL('https://api.example.test/api/v1'))).toBe(
      'https://api.example.test/api/v1',
    );
  });
});

/** A clock that stands still unless the test (or a fake service) moves it; waits are recorded, not slept. */
function manualClock(start = 1_000_000): Clock & { t: number; sleeps: number[] } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
    },
  };
  return c;
}

/** Answers after moving the clock on by `ms`, as if the request took that long. */
const tookMs =
  (clock: { t: number }, ms: number, handler: Handler): Handler =>
  (req, res, body) => {
    clock.t += ms;
    handler(req, res, body);
  };

describe('traces, exactly (--verbose)', () => {
  const POLICY: RetryPolicy = {
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxElapsedMs: 10_000,
  };

  it('a request, its body size and the answer with its duration and size', async () => {
    const clock = manualClock();
    const srv = await serve(tookMs(clock, 42, json(200, { ok: true })));
    const lines: string[] = [];
    const c = await client(srv.url, { clock, trace: (l) => lines.push(l) });
    const res = await c.request({ method: 'post', path: '/warehouses', body: { name: 'xy' } });
    expect(res.durationMs).toBe(42);
    expect(lines).toEqual([
      `> POST ${srv.url}/warehouses  (authorization: Bearer nsk_test_…0123, 13 bytes body)`,
      '< 200 POST /api/v1/warehouses  (42 ms, 11 bytes)',
    ]);
    await c.request({ method: 'GET', path: '/coupons' });
    expect(lines[2]).toBe(`> GET ${srv.url}/coupons  (authorization: Bearer nsk_test_…0123)`);
  });

  it('a retry after an error status: the wait and the reason', async () => {
    const clock = manualClock();
    const srv = await serve(json(503, { error: 'busy' }), json(200, []));
    const lines: string[] = [];
    const c = await client(srv.url, {
      clock,
      trace: (l) => lines.push(l),
      retryPolicy: POLICY,
      random: () => 0,
    });
    await c.request({ method: 'GET', path: '/coupons' });
    expect(clock.sleeps).toEqual([50]);
    expect(lines).toContain('… retrying GET /api/v1/coupons in 50 ms (HTTP 503)');
  });

  it('a retry after a network failure: the failure, then the wait', async () => {
    const clock = manualClock();
    const port = await freePort();
    const lines: string[] = [];
    const c = await client(`http://127.0.0.1:${port}/api/v1`, {
      clock,
      trace: (l) => lines.push(l),
      retryPolicy: { ...POLICY, maxAttempts: 2 },
      random: () => 1,
    });
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(NetworkError);
    const refused = `cannot connect to 127.0.0.1:${port}: connection refused`;
    expect(lines.filter((l) => !l.startsWith('>'))).toEqual([
      `! GET /api/v1/x: ${refused}`,
      `… retrying GET /api/v1/x in 100 ms (${refused})`,
      `! GET /api/v1/x: ${refused}`,
    ]);
  });

  it('a streamed answer is traced when its body has been read', async () => {
    const clock = manualClock();
    const srv = await serve(tookMs(clock, 7, json(200, [1, 2])));
    const lines: string[] = [];
    const c = await client(srv.url, { clock, trace: (l) => lines.push(l) });
    const s = await c.stream({ method: 'GET', path: '/orders' });
    clock.t += 5;
    for await (const _ of s.body) {
      // drain
    }
    expect(lines[1]).toBe('< 200 GET /api/v1/orders  (12 ms, 5 bytes)');
  });
});

describe('URLs', () => {
  it('joins however many slashes, keeps a query given in the path', async () => {
    const srv = await serve(json(200, []));
    const c = await client(`${srv.url}//`);
    expect(c.baseUrl).toBe(srv.url);
    await c.request({ method: 'GET', path: '//products' });
    await c.request({ method: 'GET', path: 'orders?status=pending', query: { limit: 2 } });
    await c.request({ method: 'GET', path: '/coupons' });
    expect(srv.requests.map((r) => r.url)).toEqual([
      '/api/v1/products',
      '/api/v1/orders?status=pending&limit=2',
      '/api/v1/coupons',
    ]);
  });

  it('a query or fragment on the base URL is not sent, and does not name another service', async () => {
    const srv = await serve(json(200, []));
    for (const spelled of [`${srv.url}/?x=1`, `${srv.url}#x`, `${srv.url}///?a=b#c`]) {
      const c = await client(spelled);
      // The restock's pool lock and journal are keyed by it: one service, one name.
      expect(c.baseUrl).toBe(srv.url);
      await c.request({ method: 'GET', path: '/products' });
    }
    expect(srv.requests.map((r) => r.url)).toEqual(Array(3).fill('/api/v1/products'));
  });

  it('a path leading outside the base URL: the exact refusal', async () => {
    const srv = await serve(json(200, []));
    const c = await client(srv.url);
    await expect(c.request({ method: 'GET', path: '/products/%2e%2e/../../x' })).rejects.toThrow(
      new UsageError(`the path "/products/%2e%2e/../../x" leads outside the base URL ${srv.url}`),
    );
    expect(srv.requests).toHaveLength(0);
  });

  it('redactUrl: a user alone, or a password alone, is redacted too', () => {
    expect(redactUrl(new URL('https://bob@api.example.test/x'))).toBe(
      'https://REDACTED@api.example.test/x',
    );
    expect(redactUrl(new URL('https://:pw@api.example.test/x'))).toBe(
      'https://:REDACTED@api.example.test/x',
    );
  });
});

describe('error messages from bodies', () => {
  it.each<[number, string, string | undefined, string]>([
    [400, '{"error":"bad","message":"worse"}', undefined, 'bad'],
    [400, '{"error":"","message":"worse"}', undefined, 'worse'],
    [400, '{"message":5}', undefined, 'the service answered HTTP 400'],
    [400, '{"message":""}', undefined, 'the service answered HTTP 400'],
    [
      418,
      'oops',
      'text/plain ; charset=utf-8',
      'the service answered HTTP 418 with a non-JSON text/plain body',
    ],
    [
      499,
      '[1]',
      'application/json',
      'the service answered HTTP 499 with a non-JSON application/json body',
    ],
    [500, 'x', undefined, 'the service answered HTTP 500 (a proxy or the service is failing)'],
    [499, 'x', undefined, 'the service answered HTTP 499'],
  ])('%i %j (%s)', (status, text, type, message) => {
    expect(errorMessageFromBody(status, text, type)).toBe(message);
  });

  it('a 429 reads Retry-After only with both the answer and the time', () => {
    const r = {
      status: 429,
      headers: { 'retry-after': '2' },
      text: '',
      durationMs: 0,
      attempts: 1,
    };
    expect((errorForStatus(429, '', undefined, 0) as RateLimitError).retryAfterMs).toBeUndefined();
    expect((errorForStatus(429, '', r) as RateLimitError).retryAfterMs).toBeUndefined();
    expect((errorForStatus(429, '', r, 0) as RateLimitError).retryAfterMs).toBe(2000);
  });
});

describe('status boundaries', () => {
  it.each([
    [299, 'ok'],
    [300, 'redirect'],
    [399, 'redirect'],
    [400, 'error'],
  ])('HTTP %i: %s', async (status, what) => {
    const srv = await serve(json(status, { error: 'e' }));
    const c = await client(srv.url);
    const r = await c.request({ method: 'GET', path: '/x' }).catch((x: unknown) => x);
    if (what === 'ok') expect((r as { status: number }).status).toBe(status);
    if (what === 'redirect')
      expect((r as Error).message).toMatch(/a redirect \(no Location given\)/);
    if (what === 'error') expect(r).toBeInstanceOf(ApiError);
    if (what === 'error') expect((r as Error).message).toBe('e');
  });

  it('a redirect names where it points, without credentials, and is not followed', async () => {
    const srv = await serve(
      json(301, {}, { location: '/api/v2/products', 'x-request-id': 'req-1' }),
      json(302, {}, { location: 'https://u:p@elsewhere.test/x' }),
      json(307, {}, { location: 'http://[bad' }),
    );
    const c = await client(srv.url);
    const first = (await c
      .request({ method: 'GET', path: '/products' })
      .catch((x) => x)) as ApiError;
    expect(first.message).toBe(
      `the service answered HTTP 301, a redirect (to http://127.0.0.1:${srv.port}/api/v2/products); not followed, so the API key does not travel to another address`,
    );
    expect(first.status).toBe(301);
    expect(first.requestId).toBe('req-1');
    expect(first.exitCode).toBe(1);
    expect(first.hint).toBe(
      'if the service has moved, set the new base URL (--base-url or ASTROSELL_BASE_URL)',
    );
    const second = (await c.request({ method: 'GET', path: '/p' }).catch((x) => x)) as Error;
    expect(second.message).toContain('(to https://REDACTED:REDACTED@elsewhere.test/x)');
    const third = (await c.request({ method: 'GET', path: '/p' }).catch((x) => x)) as Error;
    expect(third.message).toContain('(to "http://[bad")');
    expect(srv.requests).toHaveLength(3);
  });

  it('a stream answered with an error status throws the same error as a fetch', async () => {
    const srv = await serve(json(404, { error: 'Product not found' }));
    const c = await client(srv.url);
    const e = await c.stream({ method: 'GET', path: '/products/x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect((e as Error).message).toBe('Product not found');
  });

  it('the base-URL hint also when /api/v1 is not at its end', async () => {
    const srv = await serve(json(404, { error: 'Not found' }));
    const c = await client(`${srv.url}/shop`);
    const e = (await c.request({ method: 'GET', path: '/x' }).catch((x) => x)) as NotFoundError;
    expect(e.hint).toBe(
      `the base URL http://127.0.0.1:${srv.port}/api/v1/shop does not end in /api/v1; is it right?`,
    );
  });
});

describe('body size limits', () => {
  const body = 'x'.repeat(100);
  const declared: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
    res.end(body);
  };
  const chunked: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(body.slice(0, 50));
    res.end(body.slice(50));
  };
  it.each([
    ['declared', declared],
    ['streamed', chunked],
  ])('%s: exactly the limit is read, one byte less refuses', async (_what, handler) => {
    // Declared: the whole (small) body has arrived when it is refused, the
    // case where a destroyed body's 'error' once crashed the process.
    const srv = await serve(handler);
    const c = await client(srv.url);
    const ok = await c.request({ method: 'GET', path: '/x', maxBodyBytes: 100 });
    expect(ok.text).toBe(body);
    const e = await c
      .request({ method: 'GET', path: '/x', maxBodyBytes: 99 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e).not.toBeInstanceOf(NetworkError);
    expect((e as Error).message).toBe(
      'the answer from /api/v1/x is larger than 0 MiB; not holding it in memory',
    );
    expect(srv.requests).toHaveLength(2);
  });
});

describe('more of what the client decides', () => {
  it('the key refusal says where to look', async () => {
    const e = await client('http://127.0.0.1:1/api/v1', { apiKey: 'nsk x' }).catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toBe(
      'the API key contains spaces, line breaks, control or non-ASCII characters',
    );
    expect((e as UsageError).hint).toBe(
      'check ASTROSELL_API_KEY, or store the key again with `astrosell keys add <name>`',
    );
  });

  it('HEAD is a read: retried on 503', async () => {
    const srv = await serve(json(503, {}), json(200, {}));
    const c = await client(srv.url);
    expect((await c.request({ method: 'head', path: '/x' })).status).toBe(200);
    expect(srv.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
  });

  it('a whole-request timeout may have reached the service', async () => {
    const srv = await serve(() => undefined);
    const c = await client(srv.url, { timeoutMs: 150, retryPolicy: { ...FAST, maxAttempts: 1 } });
    const e = (await c.request({ method: 'GET', path: '/x' }).catch((x) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.reachedServer).toBe('unknown');
    expect(e.message).toBe(
      `timed out after 0.2s talking to 127.0.0.1:${srv.port} (the whole request: connecting, the answer and its body)`,
    );
  });

  it('a write cancelled in flight is an interruption, not a network error', async () => {
    const srv = await serve(() => undefined);
    const c = await client(srv.url);
    const ctl = new AbortController();
    const pending = c.request({ method: 'POST', path: '/x', body: {}, signal: ctl.signal });
    while (srv.requests.length === 0) await new Promise((r) => setImmediate(r));
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });

  it('a request undici refuses to build is not retried as a network error', async () => {
    const srv = await serve(json(200, {}));
    const c = await client(srv.url);
    const e = await c.request({ method: 'BAD METHOD', path: '/x' }).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(NetworkError);
    expect((e as { code?: string }).code).toBe('UND_ERR_INVALID_ARG');
    expect(srv.requests).toHaveLength(0);
  });

  it('an answer to a read that is not JSON names the path and status', async () => {
    const srv = await serve((_req, res) => res.writeHead(202).end('<html>'));
    const c = await client(srv.url);
    const e = (await read(c, '/x', undefined, (v) => v)
      .fetch()
      .catch((x: unknown) => x)) as ServerError;
    expect(e).toBeInstanceOf(ServerError);
    expect(e.message).toBe('the service answered /x with a body that is not JSON');
    expect(e.status).toBe(202);
  });

  it('a stream cut mid-body is a network error; cancelled, an interruption', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('[1,');
      setImmediate(() => res.socket?.destroy());
    });
    const c = await client(srv.url);
    const s = await c.stream({ method: 'GET', path: '/x' });
    const e = await (async () => {
      for await (const _ of s.body) {
        // drain
      }
    })().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as Error).message).not.toMatch(/timed out/);

    const held = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[1,');
    });
    const ctl = new AbortController();
    const c2 = await client(held.url);
    const s2 = await c2.stream({ method: 'GET', path: '/x', signal: ctl.signal });
    const it2 = s2.body[Symbol.asyncIterator]();
    await it2.next();
    ctl.abort();
    await expect(it2.next()).rejects.toBeInstanceOf(InterruptedError);
  });

  describe('a body read as it arrives (consume)', () => {
    const cut: Handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('[1,');
      setImmediate(() => res.socket?.destroy());
    };
    const drain = async (body: AsyncIterable<Buffer>) => {
      let text = '';
      for await (const chunk of body) text += chunk;
      if (!text.endsWith(']')) throw new UnusableAnswerError('not a whole list', { status: 200 });
      return JSON.parse(text) as number[];
    };

    it('a read cut off mid-body is read again, per the policy', async () => {
      const srv = await serve(cut, json(200, [1, 2]));
      const clock = recordingClock();
      const c = await client(srv.url, { clock });
      expect(await c.consume({ method: 'GET', path: '/x' }, drain)).toEqual([1, 2]);
      expect(srv.requests).toHaveLength(2);
      expect(clock.sleeps).toHaveLength(1);
    });

    it('a body the reader finds unusable is read again; still unusable after the last try, it is thrown', async () => {
      const half: Handler = (_req, res) => res.writeHead(200).end('[1,');
      const srv = await serve(half);
      const c = await client(srv.url);
      const e = await c.consume({ method: 'GET', path: '/x' }, drain).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnusableAnswerError);
      expect(srv.requests).toHaveLength(FAST.maxAttempts);
    });

    it('a write whose body is unusable is not sent again', async () => {
      const half: Handler = (_req, res) => res.writeHead(200).end('[1,');
      const srv = await serve(half);
      const c = await client(srv.url);
      const e = await c
        .consume({ method: 'POST', path: '/x', body: {} }, drain)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnusableAnswerError);
      expect(srv.requests).toHaveLength(1);
    });

    it('Ctrl-C during the wait before reading again ends it at once', async () => {
      const srv = await serve(cut);
      const ctl = new AbortController();
      const clock: Clock = {
        now: () => Date.now(),
        sleep: (ms, signal) => {
          ctl.abort();
          return systemClock.sleep(ms, signal);
        },
      };
      const c = await client(srv.url, {
        clock,
        retryPolicy: { ...FAST, baseDelayMs: 60_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 },
      });
      const started = Date.now();
      const e = await c
        .consume({ method: 'GET', path: '/x', signal: ctl.signal }, drain)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InterruptedError);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(srv.requests).toHaveLength(1);
    });
  });

  it('close() ends the client: a request after it fails', async () => {
    const srv = await serve(json(200, []));
    const c = await createClient({
      baseUrl: srv.url,
      apiKey: KEY,
      timeoutMs: 5000,
      clock: recordingClock(),
      env: {},
      retryPolicy: { ...FAST, maxAttempts: 1 },
    });
    await c.request({ method: 'GET', path: '/x' });
    await c.close();
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(NetworkError);
    expect(srv.requests).toHaveLength(1);
  });
});
