// The library's client: the same resources, request sender, retries and
// errors as the CLI, built from plain options instead of flags, environment
// and profiles. Nothing here reads process.env or the config folder.

import { systemClock } from '../clock.js';
import { DEFAULT_BASE_URL } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { type ApiClient, createClient } from './client.js';
import { type Resources, resources } from './resources/index.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';

export interface AstroSellOptions {
  /** The secret API key (nsk_…). */
  key: string;
  /** Default https://api.astrosell.io/api/v1. Plain http only to a loopback address. */
  baseUrl?: string;
  /** How many times a failed request may be retried (0–10, default 4); see the README's Retries. */
  retries?: number;
  /** Limit for each whole request (connecting, answer and body), in milliseconds (default 30 000). */
  timeout?: number;
  /** Cancels every request in flight (they reject with InterruptedError). */
  signal?: AbortSignal;
}

export class AstroSell implements Resources {
  readonly products: Resources['products'];
  readonly warehouses: Resources['warehouses'];
  readonly orders: Resources['orders'];
  readonly coupons: Resources['coupons'];
  readonly stock: Resources['stock'];
  readonly #client: Promise<ApiClient>;

  constructor(options: AstroSellOptions) {
    const retries = options.retries ?? DEFAULT_RETRY_POLICY.maxAttempts - 1;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
      throw new UsageError(`retries must be a whole number from 0 to 10, not ${retries}`);
    }
    const timeoutMs = options.timeout ?? 30_000;
    if (!(timeoutMs > 0)) throw new UsageError(`timeout must be a positive number of milliseconds`);
    this.#client = createClient({
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      apiKey: options.key,
      timeoutMs,
      clock: systemClock,
      env: {},
      retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: retries + 1 },
      signal: options.signal,
    });
    // Reported by the first call, not as an unhandled rejection.
    this.#client.catch(() => undefined);
    // The client's transport loads on first use; resources wait for it.
    const client = this.#client;
    const lazy: ApiClient = {
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      request: async (o) => (await client).request(o),
      stream: async (o) => (await client).stream(o),
      consume: async (o, consume) => (await client).consume(o, consume),
      close: async () => (await client).close(),
    };
    const r = resources(lazy);
    this.products = r.products;
    this.warehouses = r.warehouses;
    this.orders = r.orders;
    this.coupons = r.coupons;
    this.stock = r.stock;
  }

  /** Closes the keep-alive connections so the process can exit. */
  async close(): Promise<void> {
    await (await this.#client.catch(() => undefined))?.close();
  }
}
