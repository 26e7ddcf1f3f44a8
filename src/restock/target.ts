// The restock target seen through the API: a warehouse, or a product's pool
// (its warehouse, or its own legacy stock), and the three calls a restock
// makes on it: add stock, read the pool back, read recent orders.
//
// A pool's duplicate setting decides what a resent serial does, so it is
// never guessed: where the service shows it (the warehouse's
// `removeDuplicates`) it is used, otherwise `removeDuplicates` is sent
// explicitly with every stock add (false unless --remove-duplicates). Whether
// sold keys leave the pool is assumed (the safe side) unless the service says
// `removeSold: false`.
import type { Answer, Resources } from '../api/resources/index.js';
import type { StockAddResult } from '../api/resources/stock.js';
import {
  ApiError,
  type CliError,
  InterruptedError,
  InterruptedUnsentError,
  NetworkError,
  RateLimitError,
  ServerError,
  UnusableAnswerError,
  UsageError,
} from '../errors.js';
import { resolveName } from '../names.js';
import { plausibleAnswer } from './policy.js';
import { type PoolScan, PoolScanner } from './pool-scan.js';
import type { OrderPool } from './sales.js';
import type { Serials } from './serials.js';

export type TargetKind = 'warehouse' | 'product';

export interface Target {
  kind: TargetKind;
  id: string;
  /** `removeDuplicates` sent with every stock add: a serial the pool holds is dropped. */
  dedup: boolean;
  /** Where `dedup` comes from, for the summary and --verbose. */
  dedupFrom: 'flag' | 'pool' | 'default';
  /** Delivered serials (may) leave the pool; set when a read-back shows it switched on. */
  removeSold: boolean;
  /** The pool's size as listed (`count`, or a product's `stock`), if shown. */
  size: number | null;
  /**
   * A product's warehouse when the run began (null: stock of its own). Every
   * read-back checks it: the dashboard can point a product at another
   * warehouse, and keys sent before must not be judged by the new pool.
   */
  drawsFrom?: string | null;
  /** Whose keys an order delivered, by its product's title (sales.ts). */
  orderPool: OrderPool;
  /**
   * Reads the products again and adds their titles to what `orderPool`
   * knows: a product made during the run (drawing from this pool under a
   * title another pool's product has) must make its title unsure.
   */
  learnProducts?(signal: AbortSignal): Promise<void>;
  /**
   * The pool's identity, whichever way it is restocked: `warehouse:<id>` for
   * a warehouse and for a product drawing from one, `product:<id>` for a
   * product with stock of its own. One restock per pool (pool-lock.ts).
   */
  poolId: string;
  /** --verbose: a line for each stock add (its size, time and outcome), timed by the run's clock. */
  trace?: { write(line: string): void; now(): number };
}

/** The target `ref` names (an id, or a name: src/names.ts), read from the service. */
export async function describeTarget(
  shop: Resources,
  kind: TargetKind,
  ref: string,
  flagDedup: boolean,
): Promise<Target> {
  const [warehouses, products] = await Promise.all([shop.warehouses.list(), shop.products.list()]);
  const id = resolveName(kind, ref, kind === 'warehouse' ? warehouses.data : products.data);
  const byId = <T extends { id: string }>(list: T[] | undefined, key: unknown) =>
    list?.find((x) => x.id === key);
  let pool: { removeDuplicates?: boolean | null; removeSold?: boolean | null } | undefined;
  let size: unknown;
  let poolId = `${kind}:${id}`;
  /** The warehouse whose keys are restocked, if any (a legacy product keeps its own). */
  let poolWarehouse: string | undefined = kind === 'warehouse' ? id : undefined;
  if (kind === 'warehouse') {
    // Not in the list: the detail answers, or 404s for an unknown id.
    const w = byId(warehouses.data, id) ?? (await shop.warehouses.get(id)).data;
    pool = w;
    size = w.count;
  } else {
    const p = byId(products.data, id) ?? (await shop.products.get(id)).data;
    if (p.type && p.type !== 'serials') {
      throw new UsageError(
        `product ${id} is a ${p.type} product; only serials products have stock to restock`,
      );
    }
    pool = byId(warehouses.data, p.warehouseId);
    size = p.stock;
    // A product restocks its warehouse's pool.
    if (typeof p.warehouseId === 'string' && p.warehouseId) {
      poolId = `warehouse:${p.warehouseId}`;
      poolWarehouse = p.warehouseId;
    }
  }
  const shown = typeof pool?.removeDuplicates === 'boolean' ? pool.removeDuplicates : undefined;
  // The products that sell this pool's keys: a warehouse's, or a legacy product itself.
  const sells = (p: { id: string; warehouseId?: string | null }) =>
    poolWarehouse ? p.warehouseId === poolWarehouse : p.id === id;
  // Titles only ever join these sets: one seen for both pools stays unsure.
  const mine = new Set<string>();
  const others = new Set<string>();
  const learn = (list: typeof products.data) => {
    for (const p of list) if (typeof p.title === 'string') (sells(p) ? mine : others).add(p.title);
  };
  learn(products.data);
  const orderPool: OrderPool = ({ productTitle: t }) => {
    if (t === undefined) return 'unknown';
    if (mine.has(t)) return others.has(t) ? 'unknown' : 'this';
    return others.has(t) ? 'other' : 'unknown';
  };
  return {
    kind,
    id,
    dedup: flagDedup || shown === true,
    dedupFrom: flagDedup ? 'flag' : shown === undefined ? 'default' : 'pool',
    removeSold: pool?.removeSold !== false,
    size: Number.isInteger(size) ? (size as number) : null,
    poolId,
    ...(kind === 'product' ? { drawsFrom: poolWarehouse ?? null } : {}),
    orderPool,
    learnProducts: async (signal) => learn((await shop.products.list({ signal })).data),
  };
}

export type StockAnswer = StockAddResult;

/** What became of one stock add. */
export type SendResult =
  /** `bodyBytes`: the request's size, for the batch size policy. */
  | { kind: 'answered'; answer: StockAnswer; bodyBytes: number }
  /** A 4xx: the service refused the request; nothing of it was stored. */
  | { kind: 'refused'; error: ApiError }
  /** Provably never reached the service, or still rate limited after the retries. */
  | { kind: 'not-sent'; error: CliError }
  /**
   * No answer that says what was stored (a 5xx, a malformed 2xx, a dropped
   * connection, a timeout, Ctrl-C's grace ending). `finished`: the service
   * answered, so it is done with the request; otherwise it may still store it.
   */
  | { kind: 'unknown'; error: CliError; finished: boolean; interrupted: boolean };

/**
 * A stock answer counts only as the resource parses it (the documented
 * fields and types), and only if the pool could have given it (policy.ts).
 */
export function stockAnswer(
  res: Pick<Answer<StockAnswer>, 'data'>,
  sent: number,
  dedup: boolean,
): StockAnswer | undefined {
  try {
    const a = res.data;
    return plausibleAnswer(a, sent, dedup) ? a : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `{"stock":"<serials joined by \n>","removeDuplicates":…}`, the bytes
 * JSON.stringify would give, written straight from the packed serials into
 * one buffer (a batch of 100,000 serials is one 2 MB buffer).
 */
export function stockBody(serials: Serials, dedup: boolean): Buffer {
  const head = '{"stock":"';
  const tail = `","removeDuplicates":${dedup}}`;
  const body = Buffer.allocUnsafe(head.length + serials.jsonLength() + tail.length);
  const at = serials.writeJson(body, body.write(head, 0, 'latin1'));
  body.write(tail, at, 'latin1');
  return body;
}

export async function sendStock(
  shop: Resources,
  t: Target,
  serials: Serials,
  signal: AbortSignal,
): Promise<SendResult> {
  const started = t.trace?.now() ?? 0;
  const body = stockBody(serials, t.dedup);
  const r = await send(shop, t, body, serials.length, signal);
  if (t.trace) {
    const ms = Math.round(t.trace.now() - started);
    t.trace.write(
      `stock add: ${n(serials.length)} serials (${n(body.length)} bytes), ${n(ms)} ms: ${outcomeText(r, serials.length)}`,
    );
  }
  return r;
}

const n = (v: number) => v.toLocaleString('en-US');

/** What a stock add came to, for --verbose. */
export function outcomeText(r: SendResult, sent: number): string {
  switch (r.kind) {
    case 'answered': {
      const a = r.answer;
      const dropped = a.truncated || a.capped ? 0 : sent - a.added;
      const note = a.capped
        ? ' (capped: the pool is full)'
        : a.truncated
          ? ' (truncated: the rest was not stored)'
          : dropped
            ? ` (${n(dropped)} dropped as already in the pool)`
            : '';
      return `added ${n(a.added)}${note}`;
    }
    case 'refused':
      return r.error.status === 413
        ? 'refused as too large (HTTP 413): smaller batches'
        : `refused (${r.error.message})`;
    case 'not-sent':
      return `not sent (${r.error.message})`;
    case 'unknown':
      return `no usable answer (${r.error.message}): the pool is read back`;
  }
}

async function send(
  shop: Resources,
  t: Target,
  body: Buffer,
  sent: number,
  signal: AbortSignal,
): Promise<SendResult> {
  try {
    const res = await shop.stock.add(t.kind, t.id, body, { signal });
    if (res.status === 202) throw accepted(sent);
    const answer = stockAnswer(res, sent, t.dedup);
    if (answer) return { kind: 'answered', answer, bodyBytes: body.length };
    throw new ServerError(
      `the service answered a stock add of ${sent} serials with HTTP ${res.status} but not an answer the pool could give (added/total/truncated/capped)`,
      { status: res.status },
    );
  } catch (error) {
    return classifySendError(error);
  }
}

/**
 * HTTP 202: taken "for processing, but the processing has not been
 * completed" (a queue in front of the service). Whatever its body says, the
 * request may still store its serials.
 */
function accepted(sent: number): ServerError {
  return new ServerError(
    `the service answered a stock add of ${sent} serials with HTTP 202 (accepted, not yet done): it may still store them`,
    { status: 202 },
  );
}

export function classifySendError(error: unknown): SendResult {
  // Stopped while no request was outstanding, the last one not processed (a 429's wait).
  if (error instanceof InterruptedUnsentError) return { kind: 'not-sent', error };
  if (error instanceof InterruptedError) {
    return { kind: 'unknown', error, finished: false, interrupted: true };
  }
  if (error instanceof RateLimitError) return { kind: 'not-sent', error };
  if (error instanceof NetworkError) {
    if (error.reachedServer === false) return { kind: 'not-sent', error };
    return { kind: 'unknown', error, finished: false, interrupted: false };
  }
  if (error instanceof ServerError) {
    // Only the service's own answers say it is done with the request: 500,
    // 503, and a 2xx whose body is not an answer the pool could give (an
    // error of ours about a body, with or without its status). Any other 5xx
    // (502, 504, a CDN's 520–527, …) may come from something in front of it
    // that gave up while the service still works, and a 202 says the work
    // is not done yet.
    const status = error.status;
    const finished =
      status === undefined ||
      status === 500 ||
      status === 503 ||
      (status >= 200 && status < 300 && status !== 202);
    return { kind: 'unknown', error, finished, interrupted: false };
  }
  const api = error as ApiError;
  if (typeof api?.status === 'number' && api.status >= 400 && api.status < 500) {
    return { kind: 'refused', error: api };
  }
  // A redirect (not followed: the key stays here) asks for the request elsewhere, so it was
  // not processed here; a 303 is how a service may point at the result of one it did process.
  if (typeof api?.status === 'number' && api.status >= 300 && api.status < 400) {
    if (api.status === 303)
      return { kind: 'unknown', error: api, finished: true, interrupted: false };
    return { kind: 'refused', error: api };
  }
  throw error;
}

/**
 * Reads the pool back, streamed: occurrences of `wanted` serials, the size,
 * and the newest `tailSize` items.
 */
export async function scanPool(
  shop: Resources,
  t: Target,
  wanted: readonly string[],
  tailSize: number,
  signal: AbortSignal,
  onItem?: (item: string) => void,
): Promise<PoolScan> {
  const warehouse = t.kind === 'warehouse';
  const read = warehouse ? shop.warehouses.get(t.id) : shop.products.get(t.id);
  // The client reads it again, per the retry policy, when it is cut off or unusable.
  return read.consume(
    async (body) => {
      const scanner = new PoolScanner(warehouse ? 'items' : 'stockItems', wanted, tailSize, {
        countKey: warehouse ? 'count' : 'stock',
        what: `${t.kind} ${t.id}`,
        // Called again for items read again when a cut-off body is retried.
        onItem,
      });
      try {
        for await (const chunk of body) scanner.push(chunk);
      } catch (error) {
        const got = scanner.result.size;
        // The body itself is unusable: said as such, whatever came before.
        if (error instanceof UnusableAnswerError) throw error;
        if (got === 0 || !(error instanceof ApiError)) throw error;
        // Cut off part-way: say how far it got, so a pool too large to read in time is named as such.
        throw new NetworkError(
          `reading the pool back stopped after ${got.toLocaleString('en-US')} items (${error.message}); a pool this large may need a longer --timeout`,
          { reachedServer: 'unknown', cause: error },
        );
      }
      // A body that ended without closing, or does not add up, throws here.
      return scanner.finish();
    },
    { signal },
  );
}
