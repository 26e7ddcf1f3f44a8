// Network failures in the user's terms, table by table: which error code a
// Node/undici error carries, the message and "did it reach the service" for
// each (a connection refused or unreachable proves nothing was sent only
// while connecting), when it is the proxy that fails, and the proxy settings as read from
// the environment. Errors are built the way Node and undici shape them:
// {code, syscall, address, port, hostname, cause}.
import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  errorCode,
  type ProxyInUse,
  proxySettings,
} from '../../src/api/network.js';
import { NetworkError, UsageError } from '../../src/errors.js';

type Shape = {
  code?: unknown;
  /** The system call that failed: `connect` while connecting, `read`/`write` on an open connection. */
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
  cause?: unknown;
};

/** An Error as Node or undici throws it. */
function netError(message: string, shape: Shape = {}): Error {
  return Object.assign(new Error(message), shape);
}

/** The system call Node names for a code met while connecting. */
function syscallFor(code: string): string | undefined {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'getaddrinfo';
  return ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code)
    ? 'connect'
    : undefined;
}

/** `levels` plain wrappers (no code, no address) around `inner`. */
function wrapped(inner: unknown, levels: number): unknown {
  let e = inner;
  for (let i = 0; i < levels; i++) e = { message: `wrapper ${i}`, cause: e };
  return e;
}

const target = new URL('https://api.astrosell.io/api/v1/products');

describe('errorCode', () => {
  it.each<[string, unknown, string | undefined]>([
    ['nothing', undefined, undefined],
    ['null', null, undefined],
    ['an error without a code', new Error('x'), undefined],
    ['a code on the error itself', netError('x', { code: 'ECONNRESET' }), 'ECONNRESET'],
    [
      "the outer code, not the cause's",
      netError('x', { code: 'ECONNRESET', cause: netError('y', { code: 'ECONNREFUSED' }) }),
      'ECONNRESET',
    ],
    [
      "undici's socket error looked through to its cause",
      netError('other side closed', {
        code: 'UND_ERR_SOCKET',
        cause: netError('y', { code: 'ECONNREFUSED' }),
      }),
      'ECONNREFUSED',
    ],
    [
      "undici's socket error without a cause",
      netError('other side closed', { code: 'UND_ERR_SOCKET' }),
      'UND_ERR_SOCKET',
    ],
    [
      'a code three wrappers down (fourth level)',
      wrapped(netError('y', { code: 'EPIPE' }), 3),
      'EPIPE',
    ],
    [
      'a code four wrappers down (fifth level): past the depth limit',
      wrapped(netError('y', { code: 'EPIPE' }), 4),
      undefined,
    ],
    ['a cause chain that ends without a code', wrapped(new Error('y'), 2), undefined],
  ])('%s', (_what, error, expected) => {
    expect(errorCode(error)).toBe(expected);
  });
});

describe('classifyNetworkError without a proxy', () => {
  it.each<[string, string, false | 'unknown']>([
    ['ECONNREFUSED', 'cannot connect to api.astrosell.io: connection refused', false],
    ['ENOTFOUND', 'cannot resolve host api.astrosell.io', false],
    ['EAI_AGAIN', 'cannot resolve host api.astrosell.io (DNS temporarily unavailable)', false],
    ['UND_ERR_CONNECT_TIMEOUT', 'timed out connecting to api.astrosell.io', false],
    ['UND_ERR_HEADERS_TIMEOUT', 'timed out waiting for api.astrosell.io to answer', 'unknown'],
    ['UND_ERR_BODY_TIMEOUT', 'timed out reading the answer from api.astrosell.io', 'unknown'],
    ['ECONNRESET', 'connection to api.astrosell.io was reset', 'unknown'],
    ['UND_ERR_SOCKET', 'connection to api.astrosell.io closed unexpectedly', 'unknown'],
    ['EPIPE', 'connection to api.astrosell.io closed unexpectedly', 'unknown'],
  ])('%s: %s', (code, message, reachedServer) => {
    const cause = netError(`boom ${code}`, { code, syscall: syscallFor(code) });
    const e = classifyNetworkError(cause, target);
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toBe(message);
    expect(e.reachedServer).toBe(reachedServer);
    expect(e.cause).toBe(cause);
  });

  it('names host and port when the URL has a port', () => {
    const url = new URL('http://127.0.0.1:8080/api/v1/x');
    expect(classifyNetworkError(netError('x', { code: 'ECONNREFUSED' }), url).message).toBe(
      'cannot connect to 127.0.0.1:8080: connection refused',
    );
    expect(classifyNetworkError(netError('x', { code: 'ENOTFOUND' }), url).message).toBe(
      'cannot resolve host 127.0.0.1',
    );
  });

  // Codes with no message of their own, which still provably never left.
  it.each([
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EADDRNOTAVAIL',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'CERT_HAS_EXPIRED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
  ])('%s: never reached the service, message passed on', (code) => {
    const error = netError(`tls or route trouble ${code}`, { code, syscall: syscallFor(code) });
    const e = classifyNetworkError(error, target);
    expect(e.reachedServer).toBe(false);
    expect(e.message).toBe(
      `network error talking to api.astrosell.io: tls or route trouble ${code}`,
    );
  });

  // An ICMP "unreachable" or a firewall's reject can end a connection after
  // the request went out: the service may have acted on it.
  it.each(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])(
    '%s on a connection already open: it may have reached the service',
    (code) => {
      for (const syscall of ['read', 'write', undefined]) {
        const e = classifyNetworkError(netError(`read ${code}`, { code, syscall }), target);
        expect(e.reachedServer).toBe('unknown');
      }
    },
  );

  // A host with several addresses is tried address by address ("happy
  // eyeballs"): the failure is an AggregateError of the tries, as Node builds it.
  const tries = (...errors: Error[]) =>
    Object.assign(new AggregateError(errors, ''), { code: 'ECONNREFUSED' });
  const refused = (address: string, port: number) =>
    netError(`connect ECONNREFUSED ${address}:${port}`, {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address,
      port,
    });

  it('every address of the host refused while connecting: never reached the service', () => {
    const e = classifyNetworkError(tries(refused('::1', 443), refused('127.0.0.1', 443)), target);
    expect(e.reachedServer).toBe(false);
    expect(e.message).toBe('cannot connect to api.astrosell.io: connection refused');
  });

  it('one of the tries not a refusal while connecting: it may have reached the service', () => {
    const late = netError('read ECONNREFUSED', { code: 'ECONNREFUSED', syscall: 'read' });
    const e = classifyNetworkError(tries(refused('::1', 443), late), target);
    expect(e.reachedServer).toBe('unknown');
  });

  it('every address of the proxy refused: the proxy is named', () => {
    const proxy: ProxyInUse = { url: new URL('http://10.0.0.1:3128'), variable: 'HTTPS_PROXY' };
    const e = classifyNetworkError(
      tries(refused('10.0.0.1', 3128), refused('10.0.0.2', 3128)),
      target,
      proxy,
    );
    expect(e.message).toBe(
      'cannot reach api.astrosell.io: the proxy 10.0.0.1:3128 (HTTPS_PROXY) refused the connection',
    );
    expect(e.reachedServer).toBe(false);
  });

  it('an unknown code: reachedServer unknown, the error message passed on', () => {
    const e = classifyNetworkError(netError('weird thing', { code: 'EWEIRD' }), target);
    expect(e.reachedServer).toBe('unknown');
    expect(e.message).toBe('network error talking to api.astrosell.io: weird thing');
  });

  it('something that is not even an Error', () => {
    for (const thrown of [undefined, null, {}]) {
      const e = classifyNetworkError(thrown, target);
      expect(e.reachedServer).toBe('unknown');
      expect(e.message).toBe('network error talking to api.astrosell.io: unknown');
    }
  });
});

describe('classifyNetworkError through a proxy', () => {
  const proxy = (url: string, variable = 'HTTPS_PROXY'): ProxyInUse => ({
    url: new URL(url),
    variable,
  });
  const ipProxy = proxy('http://10.0.0.1:3128');

  it.each<[string, string, false | 'unknown']>([
    ['ECONNREFUSED', 'refused the connection', false],
    ['ENOTFOUND', 'is a host name that does not resolve', false],
    ['EAI_AGAIN', 'could not be resolved (DNS temporarily unavailable)', false],
    ['UND_ERR_CONNECT_TIMEOUT', 'did not accept the connection in time', false],
    ['ECONNRESET', 'reset the connection', 'unknown'],
  ])('%s at the proxy: the proxy %s', (code, what, reachedServer) => {
    const cause = netError('x', {
      code,
      syscall: syscallFor(code),
      address: '10.0.0.1',
      port: 3128,
    });
    const e = classifyNetworkError(cause, target, ipProxy);
    expect(e.message).toBe(
      `cannot reach api.astrosell.io: the proxy 10.0.0.1:3128 (HTTPS_PROXY) ${what}`,
    );
    expect(e.reachedServer).toBe(reachedServer);
    expect(e.cause).toBe(cause);
  });

  it('a code with no proxy wording at the proxy: the plain message', () => {
    const e = classifyNetworkError(
      netError('x', { code: 'EPIPE', address: '10.0.0.1', port: 3128 }),
      target,
      ipProxy,
    );
    expect(e.message).toBe('connection to api.astrosell.io closed unexpectedly');
  });

  it('finds the address in the cause (undici wraps the socket error)', () => {
    const e = classifyNetworkError(
      netError('fetch failed', {
        cause: netError('connect ECONNREFUSED', {
          code: 'ECONNREFUSED',
          address: '10.0.0.1',
          port: 3128,
        }),
      }),
      target,
      ipProxy,
    );
    expect(e.message).toBe(
      'cannot reach api.astrosell.io: the proxy 10.0.0.1:3128 (HTTPS_PROXY) refused the connection',
    );
  });

  it('looks no deeper than four levels for the address', () => {
    const at = netError('x', { address: '10.0.0.1', port: 3128 });
    // The code on the outer error, the address on the fourth level: found.
    const fourth = netError('x', { code: 'ECONNREFUSED', cause: wrapped(at, 2) });
    expect(classifyNetworkError(fourth, target, ipProxy).message).toBe(
      'cannot reach api.astrosell.io: the proxy 10.0.0.1:3128 (HTTPS_PROXY) refused the connection',
    );
    // On the fifth: not looked at, so not blamed on the proxy.
    const fifth = netError('x', { code: 'ECONNREFUSED', cause: wrapped(at, 3) });
    expect(classifyNetworkError(fifth, target, ipProxy).message).toBe(
      'cannot connect to api.astrosell.io: connection refused',
    );
  });

  it.each<[string, Shape]>([
    ['no address at all', { code: 'ECONNREFUSED' }],
    ['the target', { code: 'ECONNREFUSED', address: '203.0.113.9', port: 443 }],
    ['another host on the proxy port', { code: 'ECONNREFUSED', address: '10.0.0.2', port: 3128 }],
    [
      'the proxy address on another port',
      { code: 'ECONNREFUSED', address: '10.0.0.1', port: 8443 },
    ],
    ['a host name that is not the proxy', { code: 'ENOTFOUND', hostname: 'api.astrosell.io' }],
  ])('a failure at %s is not blamed on the proxy', (_what, shape) => {
    const e = classifyNetworkError(netError('x', shape), target, ipProxy);
    expect(e.message).not.toContain('proxy');
    expect(e.message).toMatch(/^cannot (connect to|resolve host) api\.astrosell\.io/);
  });

  it('something that is not even an Error, with a proxy set', () => {
    for (const thrown of [undefined, null, {}]) {
      expect(classifyNetworkError(thrown, target, ipProxy).message).toBe(
        'network error talking to api.astrosell.io: unknown',
      );
    }
  });

  it('a tunnel the proxy refused names the proxy and its status', () => {
    const cause = netError('Proxy response (407) !== 200 when HTTP Tunneling', {
      code: 'UND_ERR_ABORTED',
    });
    const e = classifyNetworkError(cause, target, ipProxy);
    expect(e.message).toBe(
      'the proxy 10.0.0.1:3128 (HTTPS_PROXY) refused the tunnel to api.astrosell.io (HTTP 407)',
    );
    expect(e.reachedServer).toBe(false);
    expect(e.cause).toBe(cause);
  });

  it('only a message that starts with the proxy response is a tunnel refusal', () => {
    const e = classifyNetworkError(netError('odd: Proxy response (407)'), target, ipProxy);
    expect(e.message).toBe('network error talking to api.astrosell.io: odd: Proxy response (407)');
  });

  it('without a proxy the same message is not about a proxy', () => {
    const e = classifyNetworkError(netError('Proxy response (407)'), target);
    expect(e.message).toBe('network error talking to api.astrosell.io: Proxy response (407)');
  });

  it('a proxy URL without a port: 443 for https, 80 for http', () => {
    const refused = (port: number) =>
      netError('x', { code: 'ECONNREFUSED', address: '10.0.0.1', port });
    const https = proxy('https://10.0.0.1');
    const http = proxy('http://10.0.0.1', 'HTTP_PROXY');
    expect(classifyNetworkError(refused(443), target, https).message).toBe(
      'cannot reach api.astrosell.io: the proxy 10.0.0.1 (HTTPS_PROXY) refused the connection',
    );
    expect(classifyNetworkError(refused(80), target, https).message).not.toContain('proxy');
    expect(classifyNetworkError(refused(80), target, http).message).toBe(
      'cannot reach api.astrosell.io: the proxy 10.0.0.1 (HTTP_PROXY) refused the connection',
    );
    expect(classifyNetworkError(refused(443), target, http).message).not.toContain('proxy');
  });

  it('an IPv6 proxy: the address without brackets matches', () => {
    const e = classifyNetworkError(
      netError('x', { code: 'ECONNREFUSED', address: '::1', port: 3128 }),
      target,
      proxy('http://[::1]:3128'),
    );
    expect(e.message).toBe(
      'cannot reach api.astrosell.io: the proxy [::1]:3128 (HTTPS_PROXY) refused the connection',
    );
  });

  it('a proxy named by host name: its name, or any address on its port', () => {
    const named = proxy('http://proxy.corp:3128');
    expect(
      classifyNetworkError(
        netError('x', { code: 'ENOTFOUND', hostname: 'proxy.corp' }),
        target,
        named,
      ).message,
    ).toBe(
      'cannot reach api.astrosell.io: the proxy proxy.corp:3128 (HTTPS_PROXY) is a host name that does not resolve',
    );
    // Resolved to an address we cannot compare with the name: the port decides.
    expect(
      classifyNetworkError(
        netError('x', { code: 'ECONNREFUSED', address: '192.0.2.7', port: 3128 }),
        target,
        named,
      ).message,
    ).toBe(
      'cannot reach api.astrosell.io: the proxy proxy.corp:3128 (HTTPS_PROXY) refused the connection',
    );
    expect(
      classifyNetworkError(
        netError('x', { code: 'ECONNREFUSED', address: '192.0.2.7', port: 443 }),
        target,
        named,
      ).message,
    ).toBe('cannot connect to api.astrosell.io: connection refused');
  });
});

describe('proxySettings', () => {
  it('nothing set: no proxy, empty strings (not undefined, so undici does not read process.env)', () => {
    expect(proxySettings({})).toEqual({
      httpProxy: '',
      httpsProxy: '',
      noProxy: '',
      https: undefined,
      http: undefined,
    });
  });

  it('empty or blank values are ignored', () => {
    const s = proxySettings({ HTTPS_PROXY: '', https_proxy: '   ', HTTP_PROXY: ' \t' });
    expect(s.https).toBeUndefined();
    expect(s.http).toBeUndefined();
    expect(s.httpsProxy).toBe('');
    expect(s.httpProxy).toBe('');
  });

  it('a value with spaces around it is trimmed', () => {
    const s = proxySettings({ HTTPS_PROXY: '  http://proxy.corp:3128  ' });
    expect(s.httpsProxy).toBe('http://proxy.corp:3128/');
    expect(s.https?.variable).toBe('HTTPS_PROXY');
  });

  it('lower case wins over upper case; the variable is named in upper case', () => {
    const s = proxySettings({
      https_proxy: 'http://lower.example:1',
      HTTPS_PROXY: 'http://upper.example:2',
      http_proxy: 'http://lower.example:3',
      HTTP_PROXY: 'http://upper.example:4',
    });
    expect(s.httpsProxy).toBe('http://lower.example:1/');
    expect(s.https?.variable).toBe('HTTPS_PROXY');
    expect(s.https?.url.host).toBe('lower.example:1');
    expect(s.httpProxy).toBe('http://lower.example:3/');
    expect(s.http?.variable).toBe('HTTP_PROXY');
  });

  it('upper case alone is used', () => {
    const s = proxySettings({
      HTTPS_PROXY: 'http://upper.example:2',
      HTTP_PROXY: 'http://upper.example:4',
    });
    expect(s.httpsProxy).toBe('http://upper.example:2/');
    expect(s.httpProxy).toBe('http://upper.example:4/');
  });

  it.each([
    'http://proxy.corp:3128',
    'https://proxy.corp:3128',
    'socks://proxy.corp:1080',
    'socks5://proxy.corp:1080',
  ])('accepts %s', (value) => {
    expect(proxySettings({ HTTPS_PROXY: value }).https?.url.href).toBe(new URL(value).href);
    expect(proxySettings({ HTTPS_PROXY: value }).httpsProxy).toBe(new URL(value).href);
  });

  it.each([
    ['garbage', 'HTTPS_PROXY', '"garbage"'],
    ['ftp://proxy.corp:21', 'https_proxy', '"ftp://proxy.corp:21"'],
    ['http://user:s3cret@', 'HTTP_PROXY', '"http://…@"'],
    ['user:s3cret@proxy.corp:3128', 'http_proxy', '"…@proxy.corp:3128"'],
  ])('refuses %s in %s, naming the variable', (value, variable, shown) => {
    let thrown: unknown;
    try {
      proxySettings({ [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const e = thrown as UsageError;
    expect(e.message).toBe(`${variable} is not a URL (it holds ${shown})`);
    expect(e.hint).toBe(
      `set it to the proxy's address, e.g. ${variable}=http://proxy.example.com:3128, or unset it`,
    );
  });

  it('never echoes a proxy password', () => {
    expect(() => proxySettings({ HTTPS_PROXY: 'ftp://user:s3cret@proxy.corp' })).toThrow(
      'HTTPS_PROXY is not a URL (it holds "ftp://…@proxy.corp")',
    );
  });

  it('NO_PROXY, lower case first', () => {
    expect(proxySettings({ NO_PROXY: 'a.example' }).noProxy).toBe('a.example');
    expect(proxySettings({ no_proxy: 'b.example', NO_PROXY: 'a.example' }).noProxy).toBe(
      'b.example',
    );
  });
});

describe('whether a failed request may have reached the service', () => {
  // Only these say "never sent" (the connection ones only while connecting):
  // a write is retried on them alone.
  it.each<[string, false | 'unknown']>([
    ['ECONNREFUSED', false],
    ['ENOTFOUND', false],
    ['EAI_AGAIN', false],
    ['EHOSTUNREACH', false],
    ['ENETUNREACH', false],
    ['EADDRNOTAVAIL', false],
    ['UND_ERR_CONNECT_TIMEOUT', false],
    // TLS refused before anything was sent.
    ['ERR_TLS_CERT_ALTNAME_INVALID', false],
    ['CERT_HAS_EXPIRED', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false],
    ['SELF_SIGNED_CERT_IN_CHAIN', false],
    // Cut after connecting: the request may have arrived.
    ['ECONNRESET', 'unknown'],
    ['EPIPE', 'unknown'],
    ['UND_ERR_SOCKET', 'unknown'],
    ['UND_ERR_HEADERS_TIMEOUT', 'unknown'],
    ['', 'unknown'],
  ])('%j: reachedServer %s', (code, reachedServer) => {
    const error = netError('x', { code, syscall: syscallFor(code) });
    expect(classifyNetworkError(error, target).reachedServer).toBe(reachedServer);
  });
});
