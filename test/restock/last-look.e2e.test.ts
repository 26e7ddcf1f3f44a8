// A request the client gave up on may land later. Its serials are never sent
// again; absent when read back, they are uncertain, and the end of the run
// looks once more: those that landed meanwhile count as stored, the rest stay
// listed. A small proxy holds the first stock add until the client has given
// up on it, and lands it (or not) when the next stock add arrives: by then the
// client has read the pool back and moved on, whatever the machine's load.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  readBody,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
} from './e2e.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** Holds the first stock add; at the second, lands it first if `land`. */
async function holdingProxy(upstream: string, land: boolean) {
  const up = new URL(upstream);
  const forward = (req: IncomingMessage, data: Buffer) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const headers = { ...req.headers, host: up.host, 'content-length': String(data.length) };
      const r = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers },
        (res) =>
          readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, body: b }), reject),
      );
      r.on('error', reject);
      r.end(data);
    });
  let stockAdds = 0;
  let held: { req: IncomingMessage; data: Buffer } | undefined;
  const server = createServer(async (req, res) => {
    const data = await readBody(req);
    if (req.method === 'POST' && req.url?.endsWith('/stock')) {
      const n = stockAdds++;
      if (n === 0) {
        held = { req, data }; // never answered: the client times out
        return;
      }
      if (n === 1 && held && land) await forward(held.req, held.data);
    }
    const r = await forward(req, data);
    res.writeHead(r.status, { 'content-type': 'application/json' });
    res.end(r.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const proxy = {
    url: `http://127.0.0.1:${port}${up.pathname}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  open.push(proxy);
  return proxy;
}

async function run(s: Shop, w: string, land: boolean) {
  const proxy = await holdingProxy(s.sandbox.url, land);
  const input = serials(15, land ? 'LATE' : 'NEVER');
  const f = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const r = await runMain(
    ['warehouses', 'restock', w, f, '--batch-size', '5', '--timeout', '1', '--json'],
    {
      env: { ...s.env, ASTROSELL_BASE_URL: proxy.url, ASTROSELL_MAX_RETRIES: '0' },
      timeoutMs: 30_000,
    },
  );
  return { r, input, unsentPath };
}

describe('a request given up on, landing later', () => {
  it('lands before the end of the run: its serials are found on the last look, stored once, none uncertain', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: false });
    const { r, input } = await run(s, w, true);
    expect(r.code, r.stderr).toBe(0);
    expect(s.items(w).sort()).toEqual([...input].sort());
    const sum = restockSummary(r);
    expect(sum).toMatchObject({ uncertain: 0, foundStored: 5, status: 'complete' });
  });

  it('never lands: its serials stay uncertain, absent from the pool, and were not sent again', async () => {
    const s = await shop();
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true, removeSold: false });
    const { r, input } = await run(s, w, false);
    expect(r.code, r.stderr).toBe(7);
    const sum = restockSummary(r);
    const uncertain = readUnsent(sum.uncertainFile as string);
    expect(uncertain).toEqual(input.slice(0, 5));
    expect(s.items(w)).toEqual(input.slice(5));
    expectExactlyOnce(input, s.items(w), [], [], uncertain);
    expect(r.stderr).toMatch(/warehouses diff/);
    expect(r.stderr).not.toMatch(/removeDuplicates on/);
  });
});
