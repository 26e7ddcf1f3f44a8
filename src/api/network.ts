// Network failures in the user's terms (did the request reach the service?
// is it the proxy that fails?) and the proxy settings, checked.
import { isIP } from 'node:net';
import { withoutCredentials } from '../config/settings.js';
import { NetworkError, UsageError } from '../errors.js';

// Codes that say the request never reached the service, whenever they come:
// the name did not resolve, the connection was never made, or TLS refused
// the service before a byte of the request was sent.
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);
// Codes that say so only when connecting: on a connection already open
// (an ICMP "unreachable" after the request went out, a firewall's reject)
// the request may have arrived, and been acted on.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Whether the failure proves the request never reached the service; else unknown. */
function reached(error: unknown, code: string): false | 'unknown' {
  if (NOT_SENT_CODES.has(code)) return false;
  if (CONNECT_CODES.has(code) && syscallOf(error, code) === 'connect') return false;
  return 'unknown';
}

type Failure = { code?: string; syscall?: string; cause?: unknown; errors?: unknown[] };

/**
 * The system call of the error (in the cause chain) that carries `code`. A
 * host with several addresses is tried address by address (Node's "happy
 * eyeballs"), and the failure is an AggregateError of each try: `connect`
 * when every try failed connecting.
 */
function syscallOf(error: unknown, code: string): string | undefined {
  let e = error as Failure | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.code === code) {
      const tries = e.errors as Failure[] | undefined;
      if (e.syscall === undefined && Array.isArray(tries) && tries.length) {
        return tries.every((t) => t?.syscall === 'connect') ? 'connect' : undefined;
      }
      return e.syscall;
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

export function errorCode(error: unknown): string | undefined {
  let e = error as { code?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
    if (!e.cause) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Where a connection failed: the address and port (or host name) the error names. */
function failedEndpoint(error: unknown): { address?: string; port?: number; hostname?: string } {
  type At = {
    address?: string;
    port?: number;
    hostname?: string;
    cause?: unknown;
    errors?: unknown[];
  };
  let e = error as At;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.address || e.hostname) return e;
    // Several addresses tried (happy eyeballs): they share the port, and the first names it.
    e = (Array.isArray(e.errors) && e.errors.length ? e.errors[0] : e.cause) as At;
  }
  return {};
}

/** The proxy a request goes through, for naming it when it is the proxy that fails. */
export interface ProxyInUse {
  url: URL;
  /** The variable it came from, e.g. HTTPS_PROXY. */
  variable: string;
}

function proxyFailure(error: unknown, proxy: ProxyInUse, target: URL): NetworkError | undefined {
  const code = errorCode(error) ?? 'unknown';
  const name = `the proxy ${proxy.url.host} (${proxy.variable})`;
  const message = (error as Error)?.message ?? '';
  const tunnel = /^Proxy response \((\d+)\)/.exec(message);
  if (tunnel) {
    return new NetworkError(`${name} refused the tunnel to ${target.host} (HTTP ${tunnel[1]})`, {
      reachedServer: false,
      cause: error,
    });
  }
  const at = failedEndpoint(error);
  const proxyHost = proxy.url.hostname.replace(/^\[|\]$/g, '');
  const proxyPort = Number(proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80));
  // A proxy named by address must match it; by host name, its port must.
  const isProxy =
    at.hostname === proxyHost ||
    (at.port === proxyPort && (at.address === proxyHost || isIP(proxyHost) === 0));
  if (!isProxy) return undefined;
  const what: Record<string, string> = {
    ECONNREFUSED: 'refused the connection',
    ENOTFOUND: 'is a host name that does not resolve',
    EAI_AGAIN: 'could not be resolved (DNS temporarily unavailable)',
    UND_ERR_CONNECT_TIMEOUT: 'did not accept the connection in time',
    ECONNRESET: 'reset the connection',
  };
  if (!what[code]) return undefined;
  return new NetworkError(`cannot reach ${target.host}: ${name} ${what[code]}`, {
    reachedServer: reached(error, code),
    cause: error,
  });
}

/** Turn a transport failure into a NetworkError that says whether the request may have arrived. */
export function classifyNetworkError(error: unknown, url: URL, proxy?: ProxyInUse): NetworkError {
  const viaProxy = proxy ? proxyFailure(error, proxy, url) : undefined;
  if (viaProxy) return viaProxy;
  const code = errorCode(error) ?? 'unknown';
  const where = url.host;
  const reachedServer = reached(error, code);
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

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/**
 * The proxy settings from the command's environment, each checked: undici
 * would otherwise fail later with "Invalid URL", or take `garbage` for a
 * host name and blame the target. Values are never echoed whole (they may
 * carry a proxy password).
 */
export function proxySettings(env: NodeJS.ProcessEnv): {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  https?: ProxyInUse;
  http?: ProxyInUse;
} {
  const checked = (variable: (typeof PROXY_VARIABLES)[number]): ProxyInUse | undefined => {
    const raw = env[variable]?.trim();
    if (!raw) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:', 'socks:', 'socks5:'].includes(url.protocol) || !url.hostname) {
      throw new UsageError(
        `${variable} is not a URL (it holds ${JSON.stringify(withoutCredentials(raw))})`,
        {
          hint: `set it to the proxy's address, e.g. ${variable}=http://proxy.example.com:3128, or unset it`,
        },
      );
    }
    return { url, variable: variable.toUpperCase() };
  };
  // Lower case first, as curl and undici read them.
  const https = checked('https_proxy') ?? checked('HTTPS_PROXY');
  const http = checked('http_proxy') ?? checked('HTTP_PROXY');
  return {
    // From the context's env, not process.env: undici would read the
    // latter when these are undefined ('' means "none").
    httpProxy: http?.url.href ?? '',
    httpsProxy: https?.url.href ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    https,
    http,
  };
}
