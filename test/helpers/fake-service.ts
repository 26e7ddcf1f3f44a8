// Small misbehaving services of the tests' own, for what the sandbox never
// does: echo keys, redirect, drip a body, send a huge one; a CONNECT proxy;
// an HTTPS front with a throw-away certificate. All bind 127.0.0.1 on a free
// port; every one is closed by `closeAll()` (call it in afterAll/afterEach).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FakeService {
  /** Base URL, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  port: number;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
}

const closers: Array<() => Promise<void>> = [];

/** Close every server these helpers started (connections included). */
export async function closeAll(): Promise<void> {
  while (closers.length) await closers.pop()!();
}

function track(server: Server | ReturnType<typeof createTcpServer>): void {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A service that answers every request with `handler`, and records what it was asked. */
export async function fakeService(handler: Handler): Promise<FakeService> {
  const requests: FakeService['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      handler(req, res, body);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/api/v1`, port, requests };
}

/** Answer with `body` as JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const jsonAnswer =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    sendJson(res, status, body, headers);

/** The CLI's settings for talking to `svc` with a test key and no config file. */
export function serviceEnv(svc: FakeService, key = 'nsk_test_0123456789abcdef') {
  return {
    ASTROSELL_BASE_URL: svc.url,
    ASTROSELL_API_KEY: key,
    ASTROSELL_CONFIG_DIR: '/nonexistent-astrosell-cfg',
  };
}

/** A port nothing listens on (bound, then released): connecting is refused. */
export async function refusingPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * A forward proxy that tunnels CONNECT requests, whatever host they name,
 * to `to` on 127.0.0.1 (so a made-up host name reaches a local server), and
 * records each CONNECT line and whether it carried an Authorization header.
 */
export async function connectProxy(to: () => number): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(405).end();
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url} auth=${req.headers.authorization ? 'yes' : 'no'}`);
    const upstream = connect(to(), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, seen };
}

/** A throw-away self-signed certificate for `host`, made with openssl in a temp folder. */
export function throwAwayCert(host: string): { cert: string; key: string; certFile: string } {
  const dir = tempDir('astrosell-tls-');
  closers.push(async () => dir.cleanup());
  const keyFile = join(dir.dir, 'key.pem');
  const certFile = join(dir.dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}

/** An HTTPS server that passes every request on to a plain-HTTP origin (e.g. the sandbox). */
export async function httpsFront(
  origin: string,
  tls: { cert: string; key: string },
): Promise<{ port: number; requests: number }> {
  const target = new URL(origin);
  const state = { port: 0, requests: 0 };
  const server = createHttpsServer(tls, (req, res) => {
    state.requests++;
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  state.port = await listen(server as unknown as Server);
  return state;
}
