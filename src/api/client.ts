// The one request sender: base URL + path, auth, JSON, keep-alive, timeouts,
// proxies, retries (policy in retry.ts) and typed errors (errors.ts).
// The typed resources in resources/ sit on top of it.
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import { checkBaseUrl, isLoopbackHost, maskKey } from '../config/settings.js';
import {
  type ApiError,
  AuthError,
  InterruptedError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UsageError,
  ValidationError,
} from '../errors.js';
import { VERSION } from '../version.js';
import {
  type Outcome,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryPolicyFromEnv,
  shouldRetry,
} from './retry.js';
import { createTransport } from './transport.js';

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
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  durationMs: number;
  attempts: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  request(options: RequestOptions): Promise<ApiResponse>;
  /** GET and parse JSON. */
  getJson<T>(path: string, query?: RequestOptions['query']): Promise<{ data: T; text: string }>;
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

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function errorCode(error: unknown): string | undefined {
  let e = error as { code?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
    if (!e.cause) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Turn a transport failure into a NetworkError that says whether the request may have arrived. */
export function classifyNetworkError(error: unknown, url: URL): NetworkError {
  const code = errorCode(error) ?? 'unknown';
  const where = url.host;
  const reachedServer = NOT_SENT_CODES.has(code) ? false : 'unknown';
  const messages: Record<string, string> = {
    ECONNREFUSED: `cannot connect to ${where}: connection refused`,
    ENOTFOUND: `cannot resolve host ${url.hostname}`,
    EAI_AGAIN: `cannot resolve host ${url.hostname} (DNS temporarily unavailable)`,
    UND_ERR_CONNECT_TIMEOUT: `timed out connecting to ${where}`,
    UND_ERR_HEADERS_TIMEOUT: `timed out waiting for ${where} to answer`,
    UND_ERR_BODY_TIMEOUT: `timed out reading the answer from ${where}`,
    ECONNRESET: `connection to ${where} was reset`,
    UND_ERR_SOCKET: `connection to ${where} closed unexpectedly`,
    EPIPE: `connection to ${where} closed unexpectedly`,
  };
  const message =
    messages[code] ?? `network error talking to ${where}: ${(error as Error)?.message ?? code}`;
  return new NetworkError(message, { reachedServer, cause: error });
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
  const env = options.env;
  const useProxy =
    !isLoopbackHost(base.hostname) &&
    Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  const transport = await createTransport({
    timeoutMs: options.timeoutMs,
    // From the context's env, not process.env: undici would read the
    // latter when these are undefined ('' means "none").
    proxy: useProxy
      ? {
          httpProxy: env.http_proxy || env.HTTP_PROXY || '',
          httpsProxy: env.https_proxy || env.HTTPS_PROXY || '',
          noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
        }
      : undefined,
  });
  const headersBase = {
    authorization: `Bearer ${options.apiKey}`,
    'user-agent': `astrosell/${VERSION} node/${process.versions.node}`,
    accept: 'application/json',
  };
  const masked = maskKey(options.apiKey);
  const trace = options.trace;

  async function once(
    method: string,
    url: URL,
    body: string | Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    const started = options.clock.now();
    trace?.(
      `> ${method} ${redactUrl(url)}  (authorization: Bearer ${masked}${
        body === undefined ? '' : `, ${Buffer.byteLength(body)} bytes body`
      })`,
    );
    const res = await transport.request(url, {
      method: method as Dispatcher.HttpMethod,
      headers:
        body === undefined ? headersBase : { ...headersBase, 'content-type': 'application/json' },
      body,
      signal,
    });
    const text = await res.body.text();
    const durationMs = options.clock.now() - started;
    trace?.(
      `< ${res.statusCode} ${method} ${url.pathname}  (${durationMs} ms, ${Buffer.byteLength(text)} bytes)`,
    );
    return { status: res.statusCode, headers: res.headers, text, durationMs, attempts: 1 };
  }

  async function request(ro: RequestOptions): Promise<ApiResponse> {
    const method = ro.method.toUpperCase();
    const url = buildUrl(base, ro.path, ro.query);
    const body = ro.rawBody ?? (ro.body === undefined ? undefined : JSON.stringify(ro.body));
    const idempotent = ro.idempotent ?? (method === 'GET' || method === 'HEAD');
    const signal = ro.signal ?? options.signal;
    const started = options.clock.now();
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new InterruptedError();
      let outcome: Outcome;
      let res: ApiResponse | undefined;
      let failure: ApiError;
      try {
        res = await once(method, url, body, signal);
        res.attempts = attempt;
        // Error statuses go through the policy even for allowErrorStatus
        // callers (`astrosell api`): a read still rides out a 503.
        if (res.status < 400) return res;
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
        // A request undici refused to build never left: a bug, not the network.
        if (errorCode(error) === 'UND_ERR_INVALID_ARG') throw error;
        const netErr = classifyNetworkError(error, url);
        trace?.(`! ${method} ${url.pathname}: ${netErr.message}`);
        outcome = { kind: 'network', reachedServer: netErr.reachedServer };
        failure = netErr;
      }
      const retryAfterMs = res
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
      const reason = res ? `HTTP ${res.status}` : failure.message;
      trace?.(`… retrying ${method} ${url.pathname} in ${delay} ms (${reason})`);
      options.onRetry?.({ attempt, delayMs: delay, reason });
      try {
        await options.clock.sleep(delay, signal);
      } catch {
        throw new InterruptedError();
      }
    }
  }

  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    request,
    async getJson<T>(path: string, query?: RequestOptions['query']) {
      const res = await request({ method: 'GET', path, query });
      try {
        return { data: JSON.parse(res.text) as T, text: res.text };
      } catch {
        throw new ServerError(`the service answered ${path} with a body that is not JSON`, {
          status: res.status,
        });
      }
    },
    close: () => transport.close(),
  };
}
