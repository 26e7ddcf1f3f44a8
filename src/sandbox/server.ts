// The HTTP side: one handler for every request. Order of checks for a path
// under /api/v1: latency → key (401) → rate limit (429) → injected error
// (5xx, nothing processed) → route (404/405) → body (413/400) → handler →
// injected drop (processed, then the socket is destroyed unanswered).
// Everything answered is JSON; nothing ever reaches the client as a stack.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from './errors.js';
import { type Gate, keyOf, maskKey } from './gate.js';
import { resolve } from './routes.js';
import type { Store } from './store.js';

export const API_PREFIX = '/api/v1';

export interface ServerDeps {
  store: Store;
  gate: Gate;
  maxBodyBytes: number;
  log?: (line: string) => void;
  /** True once close() began: late requests are not processed. */
  closing: () => boolean;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.reject(tooLarge(max));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge(max));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, `Request body larger than ${max} bytes`, { connection: 'close' });
}

function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
    ...reply.headers,
  });
  res.end(text);
}

function errorReply(e: unknown, log: ServerDeps['log']): Reply {
  if (e instanceof HttpError)
    return { status: e.status, body: { error: e.message }, headers: e.headers };
  log?.(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  return { status: 500, body: { error: 'Internal sandbox error' } };
}

async function handleApi(
  deps: ServerDeps,
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  key: string | undefined,
): Promise<Reply | 'drop'> {
  const { gate, store } = deps;
  if (gate.latencyMs > 0) await sleep(gate.latencyMs);
  if (!gate.accepts(key)) throw new HttpError(401, 'Invalid or revoked API key');
  const wait = gate.overLimit(key);
  if (wait !== undefined) {
    throw new HttpError(429, 'Rate limit exceeded', { 'retry-after': String(wait) });
  }
  const fault = gate.roll();
  if (fault.kind === 'error') {
    return {
      status: fault.status,
      body: { error: `Simulated ${fault.status} (sandbox fault injection)` },
    };
  }
  const { handler, params } = resolve(req.method ?? 'GET', path);
  const rawBody = await readBody(req, deps.maxBodyBytes);
  if (deps.closing()) throw new HttpError(503, 'Sandbox is shutting down', { connection: 'close' });
  const body = handler({ store, params, query, rawBody });
  return fault.kind === 'drop' ? 'drop' : { status: 200, body };
}

export function createSandboxServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = `req_${randomBytes(8).toString('hex')}`;
    const key = keyOf(req);
    const finish = (reply: Reply | 'drop') => {
      if (reply === 'drop') req.socket.destroy();
      else send(res, reply, requestId);
      const status = reply === 'drop' ? 'dropped' : reply.status;
      deps.log?.(
        `${req.method} ${req.url} ${status} ${Date.now() - started}ms key=${maskKey(key)}`,
      );
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox');
    } catch {
      finish({ status: 400, body: { error: 'Malformed request URL' } });
      return;
    }
    let path = url.pathname;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) {
      const home = path === '/' && req.method === 'GET';
      finish(
        home
          ? { status: 200, body: { service: 'astrosell sandbox', baseUrl: API_PREFIX } }
          : { status: 404, body: { error: 'Not found' } },
      );
      return;
    }
    handleApi(deps, req, path.slice(API_PREFIX.length) || '/', url.searchParams, key).then(
      finish,
      (e: unknown) => finish(errorReply(e, deps.log)),
    );
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const text = JSON.stringify({ error: 'Malformed HTTP request' });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\nconnection: close\r\n\r\n${text}`,
    );
  });
  return server;
}
