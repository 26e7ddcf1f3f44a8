// The HTTP transport: an undici Agent (or EnvHttpProxyAgent) and undici's
// `request`. We load those two modules directly rather than undici's index,
// which also loads fetch, WebSocket, mocks, caches and interceptors: about
// 50 ms more start-up on every command that talks to the service
// (bench/startup.mjs).
// undici is pinned to an exact version, and test/api/transport.test.ts
// checks these paths still export what we use.
import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';

export interface TransportOptions {
  timeoutMs: number;
  /** Proxy settings, from the command's environment; undefined: no proxy. */
  proxy?: { httpProxy: string; httpsProxy: string; noProxy: string };
}

export interface Transport {
  request(
    url: URL,
    options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  ): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/** Bundled CommonJS arrives as a namespace whose `default` is module.exports. */
function cjs<T>(mod: { default: T }): T {
  return mod.default;
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it at
 * once with its baseline compiler (Liftoff), then again, optimised, on a
 * background thread — and Node does not exit until that second compile ends:
 * about 100 ms added to every command (seen as idle time at exit in a CPU
 * profile). The baseline code parses our few, small responses just as well,
 * so the optimising pass is switched off before llhttp is first compiled.
 * bench/startup.mjs measures the result.
 */
function skipWasmTierUp(): void {
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    // A V8 that refuses runtime flags just keeps its default behaviour.
  }
}

export async function createTransport(options: TransportOptions): Promise<Transport> {
  skipWasmTierUp();
  const connectTimeout = Math.min(options.timeoutMs, 10_000);
  const common = {
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: connectTimeout },
  };
  const requestModule = import('undici/lib/api/api-request.js');
  let dispatcher: Dispatcher;
  if (options.proxy) {
    // The proxy agent relies on the API methods undici's index adds to every
    // dispatcher (CONNECT for tunnels), so behind a proxy we load all of it.
    const loaded = await import('undici');
    const { EnvHttpProxyAgent } =
      'EnvHttpProxyAgent' in loaded ? loaded : cjs(loaded as unknown as { default: typeof loaded });
    dispatcher = new EnvHttpProxyAgent({
      ...options.proxy,
      ...common,
    });
  } else {
    const Agent = cjs(await import('undici/lib/dispatcher/agent.js'));
    dispatcher = new Agent({ ...common, keepAliveTimeout: 10_000 });
  }
  const request = cjs(await requestModule);
  return {
    request: (url, o) =>
      request.call(dispatcher, { ...o, origin: url.origin, path: url.pathname + url.search }),
    close: () => dispatcher.destroy(),
  };
}
