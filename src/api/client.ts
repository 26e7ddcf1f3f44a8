// The one request sender: base URL + path, auth, JSON, keep-alive, timeouts,
// proxies, retries (policy in retry.ts) and typed errors (errors.ts).
// The typed resources in resources/ sit on top of it.
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import { checkBaseUrl, isLoopbackHost, maskKey, withoutCredentials } from '../config/settings.js';
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
} from '../errors.js';
import { VERSION } from '../version.js';
import { classifyNetworkError, errorCode, type ProxyInUse, proxySettings } from './network.js';
import {
  type Outcome,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryPolicyFromEnv,
  shouldRetry,
} from './retry.js';
import { createTransport } from './transport.js';

export { classifyNetworkError, type ProxyInUse, proxySettings };

export interface RequestOptions {
  method: string;
  /** Path under the base URL, e.g. `/products` or `products/abc`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  /** A body already serialised (e.g. `astrosell api --input`). */
  rawBody?: string | Uint8Array;
  /** Safe to resend whatever happened. Default: true for GET and HEAD only. */
  idempotent?: boolean;
  /** Retry per the policy (default true). False: one attempt, the caller reconciles. */
  retry?: boolean;
  /** Return non-2xx responses instead of throwing (for `astrosell api`). */
  allowErrorStatus?: boolean;
  /** Refuse a body larger than this (it would be held in memory whole); none: no limit. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

/** A 2xx answer whose body is read as it arrives, under the same whole-request timeout. */
export interface ApiStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  durationMs: number;
  attempts: number;
}

export interface ApiClient {
  /**
   * The base URL as requests use it: no query or fragment (they are not
   * sent), no trailing slash. What names the service in a restock's lock
   * and journal, so two spellings of one address are one service.
   */
  readonly baseUrl: string;
  request(options: RequestOptions): Promise<ApiResponse>;
  /** A request whose body is handed over unread (--json to stdout: bounded memory). */
  stream(options: Omit<RequestOptions, 'allowErrorStatus'>): Promise<ApiStream>;
  /**
   * A request whose body `consume` reads as it arrives. A body cut off, or
   * one `consume` finds unusable (UnusableAnswerError), is a failed attempt
   * like any other: a read is sent again, per the retry policy.
   */
  consume<T>(
    options: Omit<RequestOptions, 'allowErrorStatus'>,
    consume: (body: AsyncIterable<Buffer>) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  retryPolicy?: RetryPolicy;
  random?: () => number;
  /** --verbose: one line per request and response, key redacted, no bodies. */
  trace?: (line: string) => void;
  /** Default cancellation for every request (Ctrl-C). */
  signal?: AbortSignal;
  /** Told about each retry wait, e.g. to show "rate limited, retrying in 2s". */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** A URL for traces: user and password, if someone put them there, replaced. */
export function redactUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const shown = new URL(url.href);
  shown.username = shown.username ? 'REDACTED' : '';
  shown.password = shown.password ? 'REDACTED' : '';
  return shown.href;
}

function headerValue(h: ApiResponse['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The service's own `{"error": …}` message, or a clear stand-in for non-JSON bodies. */
export function errorMessageFromBody(status: number, text: string, contentType?: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { error?: unknown; message?: unknown };
      if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
      if (typeof parsed.message === 'string' && parsed.message) return parsed.message;
    } catch {
      // fall through: not JSON after all
    }
  }
  // An empty body (e.g. HEAD) is not "a non-JSON application/json body".
  const kind = trimmed ? contentType?.split(';')[0]?.trim() : undefined;
  return `the service answered HTTP ${status}${kind ? ` with a non-JSON ${kind} body` : ''}${
    status >= 500 ? ' (a proxy or the service is failing)' : ''
  }`;
}

/** `now` (the caller's clock) dates a Retry-After given as an HTTP date. */
export function errorForStatus(
  status: number,
  text: string,
  res?: ApiResponse,
  now?: number,
): ApiError {
  const contentType = res ? headerValue(res.headers, 'content-type') : undefined;
  const requestId = res ? headerValue(res.headers, 'x-request-id') : undefined;
  const message = errorMessageFromBody(status, text, contentType);
  if (status === 401 || status === 403) {
    return new AuthError(message, {
      status,
      requestId,
      hint: 'check the key with `astrosell keys status`, or add a new one with `astrosell keys add <name>`',
    });
  }
  if (status === 404) return new NotFoundError(message, { requestId });
  if (status === 429) {
    const retryAfterMs =
      res && now !== undefined
        ? parseRetryAfter(headerValue(res.headers, 'retry-after'), now)
        : undefined;
    return new RateLimitError(`${message} (still rate limited after retries)`, {
      retryAfterMs,
      requestId,
    });
  }
  if (status >= 500) return new ServerError(message, { status, requestId });
  return new ValidationError(message, { status, requestId });
}

function buildUrl(base: URL, path: string, query?: RequestOptions['query']): URL {
  const basePath = base.pathname.replace(/\/+$/, '');
  const rel = path.replace(/^\/+/, '');
  const url = new URL(base.href);
  url.pathname = `${basePath}/${rel.split('?')[0]}`;
  // `..` segments (even as %2e%2e) resolve away: the key would go to a path outside the base URL.
  if (!url.pathname.startsWith(`${basePath}/`)) {
    throw new UsageError(`the path "${path}" leads outside the base URL ${base.href}`);
  }
  url.search = rel.includes('?') ? rel.slice(rel.indexOf('?')) : '';
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url;
}

/** The whole request, from connecting to the last byte of the body, against one timer. */
interface Deadline {
  signal: AbortSignal;
  expired(): boolean;
  clear(): void;
}

function startDeadline(ms: number, outer: AbortSignal | undefined): Deadline {
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new Error('timeout')), ms);
  // The socket keeps the process alive while a request is in flight; the timer need not.
  handle.unref();
  return {
    signal: outer ? AbortSignal.any([outer, timer.signal]) : timer.signal,
    expired: () => timer.signal.aborted,
    clear: () => clearTimeout(handle),
  };
}

export async function createClient(options: ClientOptions): Promise<ApiClient> {
  const base = checkBaseUrl(options.baseUrl);
  // undici refuses such a header ("invalid authorization header", exit 1);
  // a key is printable ASCII.
  if (/[^\x21-\x7e]/.test(options.apiKey)) {
    throw new UsageError(
      'the API key contains spaces, line breaks, control or non-ASCII characters',
      {
        hint: 'check ASTROSELL_API_KEY, or store the key again with `astrosell keys add <name>`',
      },
    );
  }
  const policy = options.retryPolicy ?? retryPolicyFromEnv(options.env);
  const random = options.random ?? Math.random;
  const proxies = isLoopbackHost(base.hostname) ? undefined : proxySettings(options.env);
  const proxy =
    proxies && (base.protocol === 'https:' ? (proxies.https ?? proxies.http) : proxies.http);
  const transport = await createTransport({
    timeoutMs: options.timeoutMs,
    proxy:
      proxy && proxies
        ? { httpProxy: proxies.httpProxy, httpsProxy: proxies.httpsProxy, noProxy: proxies.noProxy }
        : undefined,
  });
  const headersBase = {
    authorization: `Bearer ${options.apiKey}`,
    'user-agent': `astrosell/${VERSION} node/${process.versions.node}`,
    accept: 'application/json',
  };
  const masked = maskKey(options.apiKey);
  const trace = options.trace;
  const timeoutS = Math.round(options.timeoutMs / 100) / 10;

  const timedOut = (url: URL, error: unknown) =>
    new NetworkError(
      `timed out after ${timeoutS}s talking to ${url.host} (the whole request: connecting, the answer and its body)`,
      { reachedServer: 'unknown', cause: error },
    );

  /** A stream's errors in our terms: the timer, Ctrl-C or the network. */
  async function* guarded(
    body: AsyncIterable<Buffer>,
    { method, url, status, started }: { method: string; url: URL; status: number; started: number },
    deadline: Deadline,
    outer: AbortSignal | undefined,
  ): AsyncIterable<Buffer> {
    let bytes = 0;
    try {
      for await (const chunk of body) {
        bytes += chunk.length;
        yield chunk;
      }
      trace?.(
        `< ${status} ${method} ${url.pathname}  (${options.clock.now() - started} ms, ${bytes} bytes)`,
      );
    } catch (error) {
      if (outer?.aborted) throw new InterruptedError();
      if (deadline.expired()) throw timedOut(url, error);
      throw classifyNetworkError(error, url, proxy);
    } finally {
      deadline.clear();
    }
  }

  async function readBody(
    body: Dispatcher.ResponseData['body'],
    url: URL,
    declared: string | string[] | undefined,
    maxBytes: number | undefined,
  ): Promise<string> {
    if (maxBytes === undefined) return body.text();
    const tooLarge = () => {
      // Destroyed before its end, undici's body emits an 'error' (request
      // aborted); with no listener that would crash the caller's process.
      body.on('error', () => undefined);
      body.destroy();
      return new CliError(
        `the answer from ${url.pathname} is larger than ${Math.round(maxBytes / 2 ** 20)} MiB; not holding it in memory`,
        'failure',
        { hint: 'pass --json to write it out as it arrives (e.g. `… --json > out.json`)' },
      );
    };
    if (Number(Array.isArray(declared) ? declared[0] : declared) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function once(
    method: string,
    url: URL,
    body: string | Uint8Array | undefined,
    signal: AbortSignal | undefined,
    mode: { stream: boolean; maxBytes?: number | undefined },
  ): Promise<ApiResponse & { stream?: AsyncIterable<Buffer> }> {
    const started = options.clock.now();
    trace?.(
      `> ${method} ${redactUrl(url)}  (authorization: Bearer ${masked}${
        body === undefined ? '' : `, ${Buffer.byteLength(body)} bytes body`
      })`,
    );
    const deadline = startDeadline(options.timeoutMs, signal);
    let handedOver = false;
    try {
      const res = await transport.request(url, {
        method: method as Dispatcher.HttpMethod,
        headers:
          body === undefined ? headersBase : { ...headersBase, 'content-type': 'application/json' },
        body,
        signal: deadline.signal,
      });
      const base = { status: res.statusCode, headers: res.headers, attempts: 1 };
      if (mode.stream && res.statusCode >= 200 && res.statusCode < 300) {
        handedOver = true;
        return {
          ...base,
          text: '',
          durationMs: options.clock.now() - started,
          stream: guarded(
            res.body as AsyncIterable<Buffer>,
            { method, url, status: res.statusCode, started },
            deadline,
            signal,
          ),
        };
      }
      const text = await readBody(res.body, url, res.headers['content-length'], mode.maxBytes);
      const durationMs = options.clock.now() - started;
      trace?.(
        `< ${res.statusCode} ${method} ${url.pathname}  (${durationMs} ms, ${Buffer.byteLength(text)} bytes)`,
      );
      return { ...base, text, durationMs };
    } catch (error) {
      if (deadline.expired() && !signal?.aborted) throw timedOut(url, error);
      throw error;
    } finally {
      if (!handedOver) deadline.clear();
    }
  }

  type Answered = ApiResponse & { stream?: AsyncIterable<Buffer>; consumed?: unknown };

  async function request(
    ro: RequestOptions,
    stream = false,
    consume?: (body: AsyncIterable<Buffer>) => Promise<unknown>,
  ): Promise<Answered> {
    const method = ro.method.toUpperCase();
    const url = buildUrl(base, ro.path, ro.query);
    const body = ro.rawBody ?? (ro.body === undefined ? undefined : JSON.stringify(ro.body));
    const idempotent = ro.idempotent ?? (method === 'GET' || method === 'HEAD');
    const signal = ro.signal ?? options.signal;
    const started = options.clock.now();
    /** The last attempt (if any) was answered or failed without being processed. */
    let unprocessed = true;
    for (let attempt = 1; ; attempt++) {
      // No request outstanding: none made yet, or the last one ended.
      if (signal?.aborted)
        throw unprocessed ? new InterruptedUnsentError() : new InterruptedError();
      let outcome: Outcome;
      let res: Answered | undefined;
      let failure: ApiError;
      try {
        res = await once(method, url, body, signal, {
          stream: stream || consume !== undefined,
          maxBytes: ro.maxBodyBytes,
        });
        res.attempts = attempt;
        if (res.status >= 300 && res.status < 400) throw redirectError(res, url);
        // Error statuses go through the policy even for allowErrorStatus
        // callers (`astrosell api`): a read still rides out a 503.
        if (res.status < 400) {
          if (consume) res.consumed = await consume(res.stream!);
          return res;
        }
        outcome = { kind: 'status', status: res.status };
        failure = errorForStatus(res.status, res.text, res, options.clock.now());
        if (failure instanceof NotFoundError && !/\/api\/v1\/?$/.test(base.pathname)) {
          // A base URL without /api/v1 makes every route a 404: say so.
          failure = new NotFoundError(failure.message, {
            requestId: failure.requestId,
            hint: `the base URL ${base.origin}${base.pathname} does not end in /api/v1; is it right?`,
          });
        }
      } catch (error) {
        if (signal?.aborted) throw new InterruptedError();
        if (error instanceof UnusableAnswerError) {
          outcome = { kind: 'unusable' };
          failure = error;
        } else {
          // Ours (a redirect, an answer too large): not the network, not worth a retry.
          if (error instanceof CliError && !(error instanceof NetworkError)) throw error;
          // A request undici refused to build never left: a bug, not the network.
          if (errorCode(error) === 'UND_ERR_INVALID_ARG') throw error;
          const netErr =
            error instanceof NetworkError ? error : classifyNetworkError(error, url, proxy);
          outcome = { kind: 'network', reachedServer: netErr.reachedServer };
          failure = netErr;
        }
        trace?.(`! ${method} ${url.pathname}: ${failure.message}`);
      }
      const retryAfterMs =
        res && outcome.kind === 'status'
          ? parseRetryAfter(headerValue(res.headers, 'retry-after'), options.clock.now())
          : undefined;
      const delay = retryDelay(attempt, retryAfterMs, policy, random);
      const retry =
        ro.retry !== false &&
        shouldRetry({
          outcome,
          idempotent,
          attempt,
          elapsedMs: options.clock.now() - started,
          nextDelayMs: delay,
          policy,
        });
      if (!retry) {
        if (res && ro.allowErrorStatus) return res;
        throw failure;
      }
      const reason = outcome.kind === 'status' ? `HTTP ${outcome.status}` : failure.message;
      trace?.(`… retrying ${method} ${url.pathname} in ${delay} ms (${reason})`);
      options.onRetry?.({ attempt, delayMs: delay, reason });
      // A 429 is answered before anything is done; a connection refused never arrived.
      unprocessed =
        outcome.kind === 'status'
          ? outcome.status === 429
          : outcome.kind === 'network' && outcome.reachedServer === false;
      // Waiting to resend a write that was not processed, nothing is in
      // flight: Ctrl-C (the client's signal) ends the wait at once, even when
      // the caller's own signal would give a request in flight more time.
      const wait =
        unprocessed && !idempotent && signal && options.signal && signal !== options.signal
          ? AbortSignal.any([signal, options.signal])
          : signal;
      try {
        await options.clock.sleep(delay, wait);
      } catch {
        throw unprocessed ? new InterruptedUnsentError() : new InterruptedError();
      }
    }
  }

  return {
    baseUrl: `${base.origin}${base.pathname.replace(/\/+$/, '')}`,
    request: (ro) => request(ro),
    async stream(ro) {
      const res = await request(ro, true);
      // Only 2xx answers come back from a streamed request; they carry the body.
      return { status: res.status, headers: res.headers, body: res.stream! };
    },
    async consume<T>(
      ro: Omit<RequestOptions, 'allowErrorStatus'>,
      consume: (body: AsyncIterable<Buffer>) => Promise<T>,
    ) {
      return (await request(ro, false, consume)).consumed as T;
    },
    close: () => transport.close(),
  };
}

/**
 * 3xx answers are never followed: the key would travel with the request to
 * wherever the Location points. Not an empty success either.
 */
export function redirectError(res: ApiResponse, url: URL): CliError {
  const location = headerValue(res.headers, 'location');
  let where = 'no Location given';
  if (location) {
    try {
      where = `to ${redactUrl(new URL(location, url))}`;
    } catch {
      where = `to ${JSON.stringify(withoutCredentials(location))}`;
    }
  }
  return new ApiError(
    `the service answered HTTP ${res.status}, a redirect (${where}); not followed, so the API key does not travel to another address`,
    'failure',
    {
      status: res.status,
      requestId: headerValue(res.headers, 'x-request-id'),
      hint: 'if the service has moved, set the new base URL (--base-url or ASTROSELL_BASE_URL)',
    },
  );
}
