// A loopback HTTP server for tests that need a request to stay in flight, or
// a connection to stay open: it tells the test when a request arrived (the
// signal to wait for, instead of a sleep) and answers as told.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldServer {
  /** Base URL, ending in /api/v1. */
  url: string;
  /** Request lines seen so far (`GET /api/v1/products`). */
  seen: string[];
  /** Resolves when the n-th request (1-based) has arrived. */
  arrived(n?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `answer` may reply; by default nothing is ever answered. The server keeps
 * idle connections for ten minutes and says so, so a client that does not
 * close its connections keeps its process alive.
 */
export async function holdServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined,
): Promise<HoldServer> {
  const seen: string[] = [];
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    for (const w of waiting.filter((x) => seen.length >= x.n)) w.resolve();
    req.resume();
    answer(req, res);
  });
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    seen,
    arrived: (n = 1) =>
      seen.length >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve })),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
