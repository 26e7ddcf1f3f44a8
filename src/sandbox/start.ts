// startSandbox: builds the store (demo shop, or loaded from dataFile), the
// gate (keys, rate limit, faults) and the HTTP server, and hands back handles.
import type { AddressInfo } from 'node:net';
import type { Faults, RateLimit } from './gate.js';
import { Gate } from './gate.js';
import { loadInto, Persister } from './persist.js';
import { seedDemo } from './seed.js';
import { API_PREFIX, createSandboxServer } from './server.js';
import { Store } from './store.js';

/**
 * The key the sandbox accepts when given none: fixed, so a profile stored
 * today still works after tomorrow's restart, and public (it is in the
 * docs), so it guards nothing: with it the sandbox listens on loopback only.
 */
export const SANDBOX_KEY = 'nsk_test_sandbox';

export const DEFAULT_LIMITS = {
  maxLines: 100_000,
  maxPool: 5_000_000,
  maxBodyBytes: 64 * 1024 * 1024,
} as const;

export interface SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Accepted keys. None → SANDBOX_KEY (plus any key an earlier version saved
   * in dataFile), and then only a loopback `host` is allowed.
   */
  keys?: string[];
  /** Persist the shop as JSON here; loaded on start when it exists. */
  dataFile?: string;
  /** Start with no demo shop. */
  empty?: boolean;
  /** Non-blank serial lines considered per stock add (default 100 000); more → truncated. */
  maxLines?: number;
  /** Most serials one pool holds (default 5 000 000); more → capped. */
  maxPool?: number;
  /** Larger request bodies get 413 (default 64 MiB). */
  maxBodyBytes?: number;
  /** Per key; over it → 429 with Retry-After. */
  rateLimit?: RateLimit;
  faults?: Faults;
  /** One line per request (keys masked), plus internal errors. */
  log?: (line: string) => void;
}

export interface Sandbox {
  /** e.g. 'http://127.0.0.1:4010/api/v1' */
  url: string;
  port: number;
  keys: string[];
  revokeKey(key: string): void;
  setFaults(f: SandboxOptions['faults']): void;
  setLimits(l: { maxLines?: number; maxPool?: number; rateLimit?: RateLimit | null }): void;
  store: Store;
  /** Saves now (when dataFile is set). */
  flush(): Promise<void>;
  /** Stops listening, closes keep-alive sockets, flushes dataFile. */
  close(): Promise<void>;
}

function positive(n: number | undefined, name: string, fallback: number): number {
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** 127.0.0.0/8, ::1 and localhost: what only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const given = options.keys?.length ? [...options.keys] : undefined;
  if (!given && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on ${host || 'every address'} with the sandbox's public default key: anyone who reaches it could use the shop; pass --key with a key of your own, or use a loopback host (127.0.0.1)`,
    );
  }
  const store = new Store({
    maxLines: positive(options.maxLines, 'maxLines', DEFAULT_LIMITS.maxLines),
    maxPool: positive(options.maxPool, 'maxPool', DEFAULT_LIMITS.maxPool),
  });
  const maxBodyBytes = positive(options.maxBodyBytes, 'maxBodyBytes', DEFAULT_LIMITS.maxBodyBytes);
  const loaded = options.dataFile ? loadInto(store, options.dataFile) : undefined;
  if (!loaded && !options.empty) seedDemo(store);

  // Earlier versions made up a key at each start and saved it with the shop:
  // profiles hold it, so it is still accepted (and kept) beside the default.
  const saved = given ? undefined : loaded?.keys?.filter((k) => k !== SANDBOX_KEY);
  const keys = given ?? [SANDBOX_KEY, ...(saved ?? [])];
  const gate = new Gate(keys, options.faults, options.rateLimit);
  let closing = false;

  let persister: Persister | undefined;
  if (options.dataFile) {
    persister = new Persister(
      store,
      options.dataFile,
      () => (saved?.length ? saved : undefined),
      (e) => options.log?.(`saving ${options.dataFile} failed: ${e.message}`),
    );
    store.onChange = () => persister?.schedule();
    if (!loaded) {
      // Write it now, so a path that cannot be written fails the start
      // instead of losing every later change.
      persister.schedule();
      await persister.flush().catch((e: NodeJS.ErrnoException) => {
        const why = e.code === 'ENOENT' ? 'its folder does not exist' : (e.code ?? e.message);
        throw new Error(`cannot write sandbox data file ${options.dataFile} (${why})`);
      });
    }
  }

  const server = createSandboxServer({
    store,
    gate,
    maxBodyBytes,
    log: options.log,
    closing: () => closing,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}${API_PREFIX}`,
    port,
    keys,
    store,
    revokeKey: (key) => gate.revoke(key),
    setFaults: (f) => gate.setFaults(f),
    setLimits: (l) => {
      if (l.maxLines !== undefined) store.limits.maxLines = positive(l.maxLines, 'maxLines', 1);
      if (l.maxPool !== undefined) store.limits.maxPool = positive(l.maxPool, 'maxPool', 1);
      if (l.rateLimit !== undefined) gate.setRateLimit(l.rateLimit);
    },
    flush: async () => {
      await persister?.flush();
    },
    close: () => {
      closed ??= (async () => {
        closing = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await persister?.flush();
      })();
      return closed;
    },
  };
}
