// An in-memory stand-in for the API resources a restock's settling uses
// (stock add, the pool read back, orders), for unit tests of settle.ts and
// target.ts: each call is answered by the test's own function, so every
// answer, lost answer and failed read-back is exact and instant.
import type { Resources } from '../../src/api/resources/index.js';
import { DEFAULT_RETRY_POLICY, isRetryable, outcomeOf } from '../../src/api/retry.js';
import type { Clock } from '../../src/context.js';
import type { Progress } from '../../src/restock/options.js';
import { anyPool } from '../../src/restock/sales.js';
import { Serials } from '../../src/restock/serials.js';
import { type ResumeFacts, type Run, settleUnit } from '../../src/restock/settle.js';
import type { Target } from '../../src/restock/target.js';

export interface StockAnswerBody {
  added: number;
  total: number;
  truncated: boolean;
  capped: boolean;
}

export interface FakeShopOptions {
  /** The n-th stock add (from 0) carrying `serials`: an answer (a stock answer, or a raw body), or a throw. */
  add?: (n: number, serials: string[]) => StockAnswerBody | { raw: string; status: number };
  /** The n-th pool read (from 0): the pool's items, or a throw; a string is the body as is, an async iterable its chunks. */
  read?: (n: number) => string[] | string | AsyncIterable<Buffer>;
  /** The orders list for `status` (undefined: the newest page). */
  orders?: (status: string | undefined) => unknown[];
  order?: (id: string) => unknown;
}

export interface FakeShop {
  shop: Resources;
  /** What each stock add carried, and its removeDuplicates. */
  adds: Array<{ serials: string[]; removeDuplicates: boolean; kind: string; id: string }>;
  reads: string[];
  orderReads: Array<string | undefined>;
}

export function fakeShop(o: FakeShopOptions): FakeShop {
  const adds: FakeShop['adds'] = [];
  const reads: string[] = [];
  const orderReads: Array<string | undefined> = [];
  const body = (kind: string, id: string) => {
    const n = reads.length;
    reads.push(`${kind} ${id}`);
    const got = o.read ? o.read(n) : [];
    if (typeof got === 'string') return [Buffer.from(got)];
    if (!Array.isArray(got)) return got;
    const key = kind === 'warehouse' ? 'items' : 'stockItems';
    return [Buffer.from(JSON.stringify({ id, [key]: got }))];
  };
  const shop = {
    stock: {
      async add(kind: string, id: string, text: string) {
        const parsed = JSON.parse(text) as { stock: string; removeDuplicates: boolean };
        const serials = parsed.stock.split('\n');
        const n = adds.length;
        adds.push({ serials, removeDuplicates: parsed.removeDuplicates, kind, id });
        const a = o.add ? o.add(n, serials) : ok(serials.length, serials.length);
        if ('raw' in a) return { raw: a.raw, status: a.status, data: undefined };
        return { raw: JSON.stringify(a), status: 200, data: a };
      },
    },
    // The target as a run describes it (again after the orders snapshot).
    warehouses: {
      list: async () => ({ data: [{ id: 'W1', name: 'W', count: 0 }] }),
      get: (id: string) => poolRead(() => body('warehouse', id), { id, name: 'W', count: 0 }),
    },
    products: {
      list: async () => ({ data: [{ id: 'P1', title: 'P', type: 'serials', stock: 12 }] }),
      get: (id: string) =>
        poolRead(() => body('product', id), { id, title: 'P', type: 'serials', stock: 12 }),
    },
    orders: {
      async list(q: { status?: string }) {
        orderReads.push(q.status);
        return { data: o.orders ? o.orders(q.status) : [] };
      },
      async get(id: string) {
        return { data: o.order?.(id) };
      },
    },
  };
  return { shop: shop as unknown as Resources, adds, reads, orderReads };
}

/**
 * A pool read: awaited, the target's `data`; its body handed over, or read by
 * `consume` and read again, as the client does, while the retry policy
 * retries what went wrong.
 */
function poolRead(body: () => Iterable<Buffer> | AsyncIterable<Buffer>, data: unknown) {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a read, like the real one, is awaited for its answer
    then: (ok: (a: { data: unknown }) => unknown) => Promise.resolve({ data }).then(ok),
    stream: async () => ({ body: body() }),
    async consume<R>(consume: (b: AsyncIterable<Buffer>) => Promise<R>): Promise<R> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await consume(toAsync(body()));
        } catch (error) {
          const outcome = outcomeOf(error);
          const again = outcome && isRetryable(outcome, true);
          if (!again || attempt >= DEFAULT_RETRY_POLICY.maxAttempts) throw error;
        }
      }
    },
  };
}

async function* toAsync(chunks: Iterable<Buffer> | AsyncIterable<Buffer>) {
  yield* chunks;
}

export function ok(added: number, total: number): StockAnswerBody {
  return { added, total, truncated: false, capped: false };
}

/** A clock whose waits end at once, each recorded. */
export function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => 0,
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return Promise.resolve();
    },
  };
}

export function notes(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, update: () => undefined, note: (l) => lines.push(l), stop: () => undefined };
}

export function target(over: Partial<Target> = {}): Target {
  return {
    kind: 'warehouse',
    id: 'W1',
    dedup: true,
    dedupFrom: 'pool',
    removeSold: false,
    size: 0,
    poolId: 'warehouse:W1',
    orderPool: anyPool,
    ...over,
  };
}

export function makeRun(
  s: FakeShop,
  over: Partial<Omit<Run, 'progress' | 'clock'>> & {
    batchSize?: number;
    sales?: Run['saved']['sales'];
  } = {},
): Run & { clock: ReturnType<typeof instantClock>; progress: ReturnType<typeof notes> } {
  const { batchSize, sales, ...rest } = over;
  return {
    shop: s.shop,
    target: target(),
    clock: instantClock(),
    signal: new AbortController().signal,
    saved: {
      sales: sales ?? null,
      // A pinned size: each request is then predictable.
      sizing: { size: batchSize ?? 10, ceiling: null, max: 100_000, pinned: true },
      otherWriter: false,
    },
    sizes: null,
    timeoutMs: 30_000,
    capped: false,
    poolTotal: null,
    deliveredSeen: 0,
    deliveredAtTotal: 0,
    held: new Set(),
    openRequests: false,
    progress: notes(),
    beforeSend: () => undefined,
    ...rest,
  } as Run & { clock: ReturnType<typeof instantClock>; progress: ReturnType<typeof notes> };
}

/**
 * settleUnit over a unit of `serials`, its lists read back as strings (a
 * serial per entry, unsent ones with their reason), for exact comparisons.
 */
export async function settle(run: Run, serials: readonly string[], resume?: ResumeFacts) {
  const o = await settleUnit(run, Serials.of(serials), resume);
  const unsent = o.unsent.flatMap((u) =>
    [...u.serials].map((serial) => ({ serial, reason: u.reason })),
  );
  const end =
    o.end.kind === 'stop'
      ? { ...o.end, inflight: [...o.end.inflight], pending: [...o.end.pending] }
      : o.end;
  return { ...o, unsent, end };
}
