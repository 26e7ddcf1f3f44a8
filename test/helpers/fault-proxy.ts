// A small HTTP proxy of the test suite's own, between the CLI and a sandbox,
// that injects the faults a real network and a real service produce: one
// decision per stock add (POST …/stock) and one per read of the pool (GET of
// the warehouse or product); every other request passes through.
//
// The sandbox's own fault injection acts before or instead of processing;
// this proxy can also act after the service committed (a lost answer), hold
// a request until the client has given up on it and deliver it at a point
// of the schedule (before or after the client's next read of the pool, after
// its next stock add, after the run, or never), cut a request short and
// answer `truncated`, answer a 2xx that breaks the contract (with or without
// processing the request), and serve pool reads cut off or malformed.
//
// No timer decides an outcome: a held request waits for its socket to close
// (the client's own timeout, a second Ctrl-C, SIGKILL), then for an event of
// the schedule (the next request of a kind). Every forward to the service
// and every hook that changes the store runs under one lock, in arrival
// order, so what the service saw is one sequence, told by a logical clock
// (`records`): what each stock add carried, what the client was answered,
// when (and whether) it landed, and what each read served.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../src/sandbox/rng.js';

/** When a held request reaches the service, once the client has given up on it. */
export type Release =
  /** When the client's next read of the pool arrives, before it is answered: the read sees it. */
  | 'before-read'
  /** Right after the client's next read of the pool was answered: the read cannot see it. */
  | 'after-read'
  /** Right after the client's next stock add (a resend, say) was answered. */
  | 'after-stock'
  /** After the last run (finish()). */
  | 'end'
  /** Never: the request is dropped. */
  | 'never';

export type StockFault =
  | { kind: 'ok' }
  /** 503 before the service saw it: nothing stored. */
  | { kind: '5xx-before' }
  /** Processed, then answered 500. */
  | { kind: '5xx-after' }
  /** Processed, then the connection dropped without an answer. */
  | { kind: 'drop-after' }
  /**
   * Answered at once by a gateway in front of the service (502, 504, a
   * CDN's 520/524, an HTML body) while the request is held; delivered at
   * `release`: the service may still be working on it.
   */
  | { kind: 'gateway'; status: number; release: Release }
  /** Wall clock (older tests only): held `ms`, then delivered to the service anyway. */
  | { kind: 'stall'; ms: number }
  /**
   * Held, never answered: the client gives up (its timeout, a second Ctrl-C,
   * SIGKILL, which `onHeld` may send); then delivered at `release`.
   * `beforeRelease` runs just before (e.g. a sale of the resent keys).
   */
  | {
      kind: 'hold';
      release: Release;
      onHeld?: () => void | Promise<void>;
      beforeRelease?: (serials: readonly string[]) => void;
    }
  /** Only the first `keep` lines reach the service; the answer says truncated. */
  | { kind: 'truncate'; keep: number }
  /** Answered 200 with a body that breaks the contract; processed first unless `processed: false`. */
  | { kind: 'malformed'; body: string; processed?: boolean }
  /**
   * Answered 200 with every field, `added` smaller than the lines sent and
   * neither truncated nor capped: an answer a pool that keeps duplicates
   * cannot give (`added` is capped at one less than the lines sent).
   */
  | { kind: 'lie'; added: number; processed: boolean }
  /** Refused with this 4xx before the service saw it. */
  | { kind: 'refuse'; status: number };

/**
 * A read of the pool (GET /warehouses/:id or /products/:id). `drop`: how
 * many of the newest items are missing; `shuffle`: items reordered first
 * (a seed); `inside`: the cut falls inside an item rather than between two.
 */
export type ReadFault =
  | { kind: 'ok' }
  /** A whole, valid body, items in another order (a pool that drops duplicates has no order to keep). */
  | { kind: 'reorder'; shuffle: number }
  /** The connection closes part-way through the body (content-length says more). */
  | { kind: 'cut'; drop: number; inside: boolean; shuffle?: number }
  /** A complete HTTP answer whose JSON stops part-way. */
  | { kind: 'truncated-json'; drop: number; inside: boolean; comma: boolean; shuffle?: number }
  /** The whole body, then more: stray bytes, or a second document listing the last stock add's serials. */
  | { kind: 'garbage'; what: 'bytes' | 'serials' }
  /** `count` (or `stock`) says the pool's true size; the item list lacks the newest `drop`. */
  | { kind: 'count'; drop: number };

export type Answer =
  /** 2xx, every field, neither truncated nor capped. */
  | 'whole'
  | 'truncated'
  | 'capped'
  /** 4xx. */
  | 'refused'
  /** 5xx, malformed 2xx, an impossible `added`: the service is done, what it stored is not said. */
  | 'unusable'
  /** No answer reached the client: held, dropped, or given up. */
  | 'none';

export interface StockRecord {
  n: number;
  /** Which run of the CLI (setRun). */
  run: number;
  arrivedAt: number;
  /** The serial lines the request carried, in order. */
  serials: string[];
  fault: StockFault['kind'];
  release?: Release;
  answer: Answer;
  /** The service's `added`, for whole, truncated and capped answers. */
  added?: number;
  answeredAt?: number;
  /** When the service finished processing it; undefined: it never reached the service. */
  landedAt?: number;
  /** When the client closed its connection without an answer. */
  gaveUpAt?: number;
  /** Given up though the plan did not hold it (a timeout on a loaded machine). */
  abandoned: boolean;
}

export interface ReadRecord {
  k: number;
  run: number;
  method: string;
  path: string;
  /** A read of the pool (faults apply). */
  pool: boolean;
  arrivedAt: number;
  servedAt?: number;
  fault: ReadFault['kind'];
  /** The client got a whole, valid 2xx answer. */
  ok: boolean;
  /** The client gave up before the answer. */
  abandoned: boolean;
}

export interface FaultProxy {
  url: string;
  /** Stock adds seen so far. */
  stockRequests: number;
  /**
   * Requests the client gave up on (closed before the answer) though no
   * fault held them: a timeout on a loaded machine, an outcome the CLI
   * could not know.
   */
  abandoned: number;
  records: { stock: StockRecord[]; reads: ReadRecord[] };
  /** The logical clock: every event of the proxy (and of callers, through tick) advances it. */
  tick(): number;
  /** Tags the requests that follow with this run number. */
  setRun(run: number): void;
  /** Runs `fn` under the proxy's lock (nothing reaches the service meanwhile). */
  locked<T>(fn: () => Promise<T> | T): Promise<T>;
  /** After the last run: held requests still waiting are released (`end`, and any whose event never came) or dropped (`never`). */
  finish(): Promise<void>;
  /** Resolves once every request the proxy forwards (held ones too) has landed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface FaultProxyOptions {
  /** The sandbox base URL, e.g. http://127.0.0.1:1234/api/v1 */
  upstream: string;
  /** The fault for the n-th stock add (from 0). */
  plan(n: number): StockFault;
  /** The fault for the k-th read of the pool (from 0); none: every read is served whole. */
  planRead?(k: number): ReadFault;
  /** Told when the n-th stock add arrives, before it is handled (e.g. to send a signal). */
  onStock?(n: number): void | Promise<void>;
  /** Told when the k-th read of the pool arrives, before the service sees it (another writer, a sale). */
  onPoolRead?(k: number): void | Promise<void>;
  /** Told when any read has been answered (e.g. to stop the CLI between two steps). */
  onServed?(read: ReadRecord): void;
  /** Wraps every delivery of stock add n to the service (to see what it changed). */
  land?(n: number, deliver: () => Promise<Upstream>): Promise<Upstream>;
  /** The pool's size, for the `total` of an answer given without the service. */
  poolSize?(): number;
}

const POOL_READ = /\/(warehouses|products)\/[^/]+$/;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function stockLines(body: Buffer): string[] {
  try {
    const stock = (JSON.parse(body.toString('utf8')) as { stock?: unknown }).stock;
    if (typeof stock !== 'string') return [];
    return stock
      .split('\n')
      .map((l) => l.replace(/\r$/, '').trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** What a 2xx stock answer says, if it has every field. */
function classify(status: number, body: Buffer | string): { answer: Answer; added?: number } {
  if (status >= 400 && status < 500) return { answer: 'refused' };
  if (status < 200 || status >= 300) return { answer: 'unusable' };
  try {
    const a = JSON.parse(body.toString()) as Record<string, unknown>;
    if (
      !Number.isInteger(a.added) ||
      !Number.isInteger(a.total) ||
      typeof a.truncated !== 'boolean' ||
      typeof a.capped !== 'boolean'
    ) {
      return { answer: 'unusable' };
    }
    const added = a.added as number;
    if (a.capped) return { answer: 'capped', added };
    if (a.truncated) return { answer: 'truncated', added };
    return { answer: 'whole', added };
  } catch {
    return { answer: 'unusable' };
  }
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rnd = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The body of a pool read as the fault says; `cut`: the client gets `body` and then the connection closes. */
export function faultyPoolBody(
  upstream: Buffer,
  fault: ReadFault,
  lastSerials: readonly string[],
): { body: string; declared?: number } | undefined {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(upstream.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const key = Array.isArray(obj.items)
    ? 'items'
    : Array.isArray(obj.stockItems)
      ? 'stockItems'
      : '';
  if (!key) return undefined;
  let items = (obj[key] as unknown[]).map(String);
  const size = items.length;
  const { [key]: _list, ...rest } = obj;
  const render = (list: readonly string[], extra: Record<string, unknown> = {}) => {
    const fields = JSON.stringify({ ...rest, ...extra });
    const head = `${fields.slice(0, -1)}${fields.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`;
    return { head, parts: list.map((s) => JSON.stringify(s)), tail: ']}' };
  };
  const whole = (r: ReturnType<typeof render>) => `${r.head}${r.parts.join(',')}${r.tail}`;
  /** The body up to the newest `drop` items, then half of the next one (`inside`). */
  const partial = (r: ReturnType<typeof render>, drop: number, inside: boolean, comma: boolean) => {
    const keep = Math.max(0, r.parts.length - drop);
    let text = r.head + r.parts.slice(0, keep).join(',');
    const next = r.parts[keep];
    if (inside && next)
      text += `${keep > 0 ? ',' : ''}${next.slice(0, Math.ceil(next.length / 2))}`;
    else if (comma && keep > 0) text += ',';
    return text;
  };
  switch (fault.kind) {
    case 'ok':
      return { body: upstream.toString('utf8') };
    case 'reorder':
      return { body: whole(render(shuffled(items, fault.shuffle))) };
    case 'cut': {
      if (fault.shuffle !== undefined) items = shuffled(items, fault.shuffle);
      const r = render(items);
      return {
        body: partial(r, fault.drop, fault.inside, false),
        declared: Buffer.byteLength(whole(r)),
      };
    }
    case 'truncated-json': {
      if (fault.shuffle !== undefined) items = shuffled(items, fault.shuffle);
      return { body: partial(render(items), fault.drop, fault.inside, fault.comma) };
    }
    case 'garbage': {
      const more =
        fault.what === 'bytes' ? '\n]}, "garbage"' : `\n${JSON.stringify({ [key]: lastSerials })}`;
      return { body: whole(render(items)) + more };
    }
    case 'count': {
      const sizeKey = key === 'items' ? 'count' : 'stock';
      const list = items.slice(0, Math.max(0, size - fault.drop));
      return { body: whole(render(list, { [sizeKey]: size })) };
    }
  }
}

interface Held {
  rec: StockRecord;
  req: IncomingMessage;
  body: Buffer;
  release: Release;
  beforeRelease?: (serials: readonly string[]) => void;
  gaveUp: Promise<void>;
}

export async function startFaultProxy(o: FaultProxyOptions): Promise<FaultProxy> {
  const up = new URL(o.upstream);
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const tracked = p.catch(() => undefined);
    inflight.add(tracked);
    void tracked.then(() => inflight.delete(tracked));
  };
  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> => {
    const p = new Promise<Upstream>((resolve, reject) => {
      const headers = { ...req.headers, host: up.host, 'content-length': String(body.length) };
      delete headers.connection;
      const r = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers },
        (res) => {
          readBody(res).then(
            (b) =>
              resolve({
                status: res.statusCode ?? 502,
                headers: {
                  'content-type': String(res.headers['content-type'] ?? 'application/json'),
                },
                body: b,
              }),
            reject,
          );
        },
      );
      r.on('error', reject);
      r.end(body);
    });
    track(p);
    return p;
  };

  const state = { stockRequests: 0, poolReads: 0, reads: 0, abandoned: 0, clock: 0, run: 0 };
  const tick = () => ++state.clock;
  const records = { stock: [] as StockRecord[], reads: [] as ReadRecord[] };
  let lastSerials: string[] = [];
  const held: Held[] = [];

  // One lock: deliveries to the service and the hooks that change the store
  // happen one at a time, in the order requests arrived.
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  };

  /** Stock add `rec` reaches the service (under the lock). */
  const deliver = async (rec: StockRecord, req: IncomingMessage, body: Buffer) => {
    const go = () => forward(req, body);
    const r = await (o.land ? o.land(rec.n, go) : go());
    rec.landedAt = tick();
    return r;
  };
  /** Held requests due at `event` (under the lock). */
  const releaseDue = async (event: Release | 'finish') => {
    for (const h of [...held]) {
      if (event !== 'finish' && h.release !== event) continue;
      if (h.release === 'never' && event !== 'finish') continue;
      // The client sends its next request only once it gave up on this one;
      // after the last run, a connection still open is closed here.
      if (event === 'finish') h.req.socket.destroy();
      await h.gaveUp;
      held.splice(held.indexOf(h), 1);
      if (h.release === 'never') continue;
      h.beforeRelease?.(h.rec.serials);
      await deliver(h.rec, h.req, h.body).catch(() => undefined);
    }
  };

  const server: Server = createServer(async (req, res) => {
    // Watched from the start: a client may give up before the fault is even drawn.
    let gaveUp = false;
    let gaveUpAt: number | undefined;
    const watch: { onGiveUp?: () => void } = {};
    const closed = new Promise<void>((resolve) => {
      res.on('close', () => {
        if (res.writableFinished) return resolve();
        gaveUp = true;
        gaveUpAt = tick();
        watch.onGiveUp?.();
        resolve();
      });
    });
    const send = (status: number, body: string | Buffer, type = 'application/json') => {
      if (res.destroyed || gaveUp) return false;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    };
    try {
      const body = await readBody(req);
      const path = (req.url ?? '').split('?')[0]!;
      const isStock = req.method === 'POST' && /\/stock$/.test(path);
      if (!isStock) {
        await handleRead(req, res, body, path, send, () => gaveUp, watch);
        return;
      }
      const n = state.stockRequests++;
      const rec: StockRecord = {
        n,
        run: state.run,
        arrivedAt: tick(),
        serials: stockLines(body),
        fault: 'ok',
        answer: 'none',
        abandoned: false,
      };
      records.stock.push(rec);
      lastSerials = rec.serials;
      const answer = (status: number, text: string | Buffer, said = classify(status, text)) => {
        if (send(status, text)) {
          rec.answer = said.answer;
          rec.added = said.added;
          rec.answeredAt = tick();
        }
      };
      const giveUpCounts = () => {
        const mark = () => {
          state.abandoned++;
          rec.abandoned = true;
        };
        if (gaveUp) mark();
        else watch.onGiveUp = mark;
      };
      const fault = await locked(async () => {
        await o.onStock?.(n);
        const fault = o.plan(n);
        rec.fault = fault.kind;
        if (fault.kind !== 'stall' && fault.kind !== 'drop-after' && fault.kind !== 'hold') {
          giveUpCounts();
        }
        switch (fault.kind) {
          case 'ok': {
            const r = await deliver(rec, req, body);
            answer(r.status, r.body);
            break;
          }
          case '5xx-before':
            answer(503, '{"error":"Service unavailable (fault proxy)"}');
            break;
          case '5xx-after':
            await deliver(rec, req, body);
            answer(500, '{"error":"Internal error after commit (fault proxy)"}');
            break;
          case 'drop-after':
            await deliver(rec, req, body);
            req.socket.destroy();
            break;
          case 'stall':
            break;
          case 'gateway': {
            rec.release = fault.release;
            held.push({ rec, req, body, release: fault.release, gaveUp: Promise.resolve() });
            // Not the service's answer: for the oracle, no answer.
            answer(
              fault.status,
              `<html><body>${fault.status} (fault proxy gateway)</body></html>`,
              {
                answer: 'none',
              },
            );
            break;
          }
          case 'hold': {
            rec.release = fault.release;
            held.push({
              rec,
              req,
              body,
              release: fault.release,
              beforeRelease: fault.beforeRelease,
              gaveUp: closed,
            });
            await fault.onHeld?.();
            break;
          }
          case 'truncate': {
            const parsed = JSON.parse(body.toString('utf8')) as { stock: string };
            const lines = parsed.stock.split('\n');
            if (fault.keep === 0) {
              // Nothing reaches the service: an empty stock add would be a 400.
              const total = o.poolSize?.() ?? 0;
              answer(200, JSON.stringify({ added: 0, total, truncated: true, capped: false }));
              break;
            }
            const cut = Buffer.from(
              JSON.stringify({ ...parsed, stock: lines.slice(0, fault.keep).join('\n') }),
            );
            const r = await deliver(rec, req, cut);
            if (r.status !== 200 || fault.keep >= lines.length) {
              answer(r.status, r.body);
              break;
            }
            const a = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
            answer(200, JSON.stringify({ ...a, truncated: true }));
            break;
          }
          case 'malformed':
            if (fault.processed !== false) await deliver(rec, req, body);
            answer(200, fault.body, { answer: 'unusable' });
            break;
          case 'lie': {
            let total = o.poolSize?.() ?? 0;
            if (fault.processed) {
              const r = await deliver(rec, req, body);
              const t = (JSON.parse(r.body.toString('utf8')) as { total?: unknown }).total;
              if (Number.isInteger(t)) total = t as number;
            }
            const text = JSON.stringify({
              added: Math.max(0, Math.min(fault.added, rec.serials.length - 1)),
              total,
              truncated: false,
              capped: false,
            });
            answer(200, text, { answer: 'unusable' });
            break;
          }
          case 'refuse':
            answer(fault.status, `{"error":"Refused by the fault proxy (${fault.status})"}`);
            break;
        }
        if (fault.kind !== 'hold' && fault.kind !== 'stall') await releaseDue('after-stock');
        return fault;
      });
      if (fault.kind === 'stall') {
        // The client gives up meanwhile; the request still lands afterwards (wall clock).
        const late = new Promise((r) => setTimeout(r, fault.ms)).then(() =>
          locked(() => deliver(rec, req, body)),
        );
        track(late);
        await late;
        req.socket.destroy();
      }
      if (fault.kind === 'hold') {
        await closed;
        rec.gaveUpAt = gaveUpAt;
      }
    } catch {
      if (!res.headersSent) res.destroy();
    }
  });

  const handleRead = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    path: string,
    send: (status: number, body: string | Buffer, type?: string) => boolean,
    gaveUp: () => boolean,
    watch: { onGiveUp?: () => void },
  ) => {
    const pool = req.method === 'GET' && POOL_READ.test(path);
    const rec: ReadRecord = {
      k: pool ? state.poolReads++ : -1,
      run: state.run,
      method: req.method ?? '',
      path,
      pool,
      arrivedAt: tick(),
      fault: 'ok',
      ok: false,
      abandoned: false,
    };
    records.reads.push(rec);
    // A read the client gave up on (a timeout on a loaded machine) makes
    // outcomes unknowable too: the read-back it needed did not happen.
    const mark = () => {
      state.abandoned++;
      rec.abandoned = true;
      rec.ok = false;
    };
    if (gaveUp()) mark();
    else watch.onGiveUp = mark;
    await locked(async () => {
      if (pool) {
        await releaseDue('before-read');
        await o.onPoolRead?.(rec.k);
      }
      const r = await forward(req, body);
      rec.servedAt = tick();
      const fault = pool && r.status === 200 ? (o.planRead?.(rec.k) ?? { kind: 'ok' }) : undefined;
      const shaped = fault ? faultyPoolBody(r.body, fault, lastSerials) : undefined;
      if (!fault || !shaped) {
        rec.ok = send(r.status, r.body, r.headers['content-type']) && r.status < 300;
      } else {
        rec.fault = fault.kind;
        if (fault.kind === 'cut') {
          // The proxy closes it: not the client giving up.
          watch.onGiveUp = undefined;
          if (!gaveUp() && !res.destroyed) {
            res.writeHead(200, {
              'content-type': 'application/json',
              'content-length': String(shaped.declared),
            });
            res.write(shaped.body, () => res.socket?.destroy());
          }
        } else {
          const sent = send(200, shaped.body);
          rec.ok = sent && (fault.kind === 'ok' || fault.kind === 'reorder');
        }
      }
      if (pool) await releaseDue('after-read');
    });
    o.onServed?.(rec);
  };

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${up.pathname}`,
    get stockRequests() {
      return state.stockRequests;
    },
    get abandoned() {
      return state.abandoned;
    },
    records,
    tick,
    setRun(run) {
      state.run = run;
    },
    locked,
    finish: () => locked(() => releaseDue('finish')),
    async idle() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
