// What stands between a request and the routes: keys, the per-key rate
// limit, and fault injection. All of it can change while the server runs.
import type { IncomingMessage } from 'node:http';
import { mulberry32, type Rng } from './rng.js';

export interface Faults {
  /** PRNG seed; the same seed and request order give the same faults. */
  seed?: number;
  /** Delay added before every /api/v1 request is handled. */
  latencyMs?: number;
  /** Share of authenticated requests answered 500/502/503 without being processed. */
  errorRate?: number;
  /** Share of authenticated requests processed, then cut off without a response. */
  dropRate?: number;
}

export interface RateLimit {
  requests: number;
  perMs: number;
}

export type FaultRoll = { kind: 'none' } | { kind: 'error'; status: number } | { kind: 'drop' };

/** `Authorization: Bearer <key>` wins over `X-API-Key: <key>` when both are sent. */
export function keyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : undefined;
  }
  const x = req.headers['x-api-key'];
  const v = Array.isArray(x) ? x[0] : x;
  return v?.trim() || undefined;
}

/** `nsk_test_…abcd`: enough to tell keys apart in a log, never the whole key. */
export function maskKey(key: string | undefined): string {
  if (!key) return '-';
  const prefix = /^nsk_[a-z]+_/.exec(key)?.[0] ?? key.slice(0, 4);
  return key.length - prefix.length >= 12 ? `${prefix}…${key.slice(-4)}` : `${prefix}…`;
}

export class Gate {
  readonly keys: Set<string>;
  private faults: Required<Faults> = { seed: 0, latencyMs: 0, errorRate: 0, dropRate: 0 };
  private rng: Rng = mulberry32(0);
  private rate: RateLimit | null = null;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(keys: string[], faults: Faults | undefined, rate: RateLimit | undefined) {
    this.keys = new Set(keys);
    this.setFaults(faults);
    this.setRateLimit(rate ?? null);
  }

  setFaults(f: Faults | undefined): void {
    const rate = (n: number | undefined, name: string) => {
      const v = n ?? 0;
      if (!(v >= 0 && v <= 1)) throw new Error(`${name} must be between 0 and 1`);
      return v;
    };
    const next = {
      seed: f?.seed ?? Date.now() >>> 0,
      latencyMs: Math.max(0, f?.latencyMs ?? 0),
      errorRate: rate(f?.errorRate, 'errorRate'),
      dropRate: rate(f?.dropRate, 'dropRate'),
    };
    if (next.errorRate + next.dropRate > 1) throw new Error('errorRate + dropRate must be ≤ 1');
    this.faults = next;
    this.rng = mulberry32(next.seed);
  }

  setRateLimit(r: RateLimit | null): void {
    if (r && !(r.requests >= 1 && r.perMs >= 1)) {
      throw new Error('rateLimit needs requests ≥ 1 and perMs ≥ 1');
    }
    this.rate = r;
    this.windows.clear();
  }

  get latencyMs(): number {
    return this.faults.latencyMs;
  }

  /** Revoked keys are simply no longer accepted. */
  revoke(key: string): void {
    this.keys.delete(key);
  }

  accepts(key: string | undefined): key is string {
    return key !== undefined && this.keys.has(key);
  }

  /** Counts one request for `key`; returns seconds to wait when over the limit. */
  overLimit(key: string, now = Date.now()): number | undefined {
    if (!this.rate) return undefined;
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.rate.perMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.rate.requests) {
      return Math.max(1, Math.ceil((w.start + this.rate.perMs - now) / 1000));
    }
    w.count++;
    return undefined;
  }

  /** One draw per request (two for an error), so a seed replays exactly. */
  roll(): FaultRoll {
    const { errorRate, dropRate } = this.faults;
    if (errorRate === 0 && dropRate === 0) return { kind: 'none' };
    const r = this.rng();
    if (r < errorRate)
      return { kind: 'error', status: [500, 502, 503][Math.floor(this.rng() * 3)]! };
    if (r < errorRate + dropRate) return { kind: 'drop' };
    return { kind: 'none' };
  }
}
