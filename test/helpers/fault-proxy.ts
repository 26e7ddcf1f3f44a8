// A small HTTP proxy of the test suite's own, between the CLI and a sandbox,
// that injects the faults a real network and a real service produce, one
// decision per stock add (POST …/stock); every other request passes through.
// The sandbox's own fault injection acts before or instead of processing;
// this proxy can also act after the service committed (a lost answer), hold
// a request past the client's timeout and deliver it later, cut a request
// short and answer `truncated`, or answer a 2xx that breaks the contract.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StockFault =
  | { kind: 'ok' }
  /** 503 before the service saw it: nothing stored. */
  | { kind: '5xx-before' }
  /** Processed, then answered 500. */
  | { kind: '5xx-after' }
  /** Processed, then the connection dropped without an answer. */
  | { kind: 'drop-after' }
  /** Held past the client's timeout, then delivered to the service anyway. */
  | { kind: 'stall'; ms: number }
  /** Only the first `keep` lines reach the service; the answer says truncated. */
  | { kind: 'truncate'; keep: number }
  /** Processed, answered 200 with a body that breaks the contract. */
  | { kind: 'malformed'; body: string }
  /** Refused with this 4xx before the service saw it. */
  | { kind: 'refuse'; status: number };

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
  /** Resolves once every request the proxy forwards (stalled ones too) has landed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The sandbox base URL, e.g. http://127.0.0.1:1234/api/v1 */
  upstream: string;
  /** The fault for the n-th stock add (from 0). */
  plan(n: number): StockFault;
  /** Told when the n-th stock add arrives, before it is handled (e.g. to send a signal). */
  onStock?(n: number): void | Promise<void>;
  /** The pool's size, for the `total` of a truncated answer that stored nothing. */
  poolSize?(): number;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startFaultProxy(o: FaultProxyOptions): Promise<FaultProxy> {
  const up = new URL(o.upstream);
  const inflight = new Set<Promise<unknown>>();
  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    const p = new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
      (resolve, reject) => {
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
      },
    );
    const tracked = p.catch(() => undefined);
    inflight.add(tracked);
    void tracked.then(() => inflight.delete(tracked));
    return p;
  };

  const state = { stockRequests: 0, abandoned: 0 };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: string | Buffer, type = 'application/json') => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    // Watched from the start: a client may give up before the fault is even drawn.
    let gaveUp = false;
    const watch: { onGiveUp?: () => void } = {};
    res.on('close', () => {
      if (res.writableFinished) return;
      gaveUp = true;
      watch.onGiveUp?.();
    });
    try {
      const body = await readBody(req);
      const isStock = req.method === 'POST' && /\/stock$/.test(req.url ?? '');
      if (!isStock) {
        // A read the client gave up on (a timeout on a loaded machine) makes
        // outcomes unknowable too: the read-back it needed did not happen.
        if (gaveUp) state.abandoned++;
        else watch.onGiveUp = () => state.abandoned++;
        const r = await forward(req, body);
        send(r.status, r.body, r.headers['content-type']);
        return;
      }
      const n = state.stockRequests++;
      await o.onStock?.(n);
      const fault = o.plan(n);
      if (fault.kind !== 'stall' && fault.kind !== 'drop-after') {
        if (gaveUp) state.abandoned++;
        else watch.onGiveUp = () => state.abandoned++;
      }
      switch (fault.kind) {
        case 'ok': {
          const r = await forward(req, body);
          send(r.status, r.body);
          return;
        }
        case '5xx-before':
          send(503, '{"error":"Service unavailable (fault proxy)"}');
          return;
        case '5xx-after':
          await forward(req, body);
          send(500, '{"error":"Internal error after commit (fault proxy)"}');
          return;
        case 'drop-after':
          await forward(req, body);
          req.socket.destroy();
          return;
        case 'stall': {
          // The client gives up meanwhile; the request still lands afterwards.
          const late = new Promise((r) => setTimeout(r, fault.ms)).then(() => forward(req, body));
          const tracked = late.catch(() => undefined);
          inflight.add(tracked);
          void tracked.then(() => inflight.delete(tracked));
          await late;
          req.socket.destroy();
          return;
        }
        case 'truncate': {
          const parsed = JSON.parse(body.toString('utf8')) as { stock: string };
          const lines = parsed.stock.split('\n');
          if (fault.keep === 0) {
            // Nothing reaches the service: an empty stock add would be a 400.
            const total = o.poolSize?.() ?? 0;
            send(200, JSON.stringify({ added: 0, total, truncated: true, capped: false }));
            return;
          }
          const cut = Buffer.from(
            JSON.stringify({ ...parsed, stock: lines.slice(0, fault.keep).join('\n') }),
          );
          const r = await forward(req, cut);
          if (r.status !== 200 || fault.keep >= lines.length) {
            send(r.status, r.body);
            return;
          }
          const answer = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
          send(200, JSON.stringify({ ...answer, truncated: true }));
          return;
        }
        case 'malformed':
          await forward(req, body);
          send(200, fault.body);
          return;
        case 'refuse':
          send(fault.status, `{"error":"Refused by the fault proxy (${fault.status})"}`);
          return;
      }
    } catch {
      if (!res.headersSent) res.destroy();
    }
  });
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
    async idle() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
