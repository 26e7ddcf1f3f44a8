// src/api/transport.ts loads two undici internals by path to save start-up
// time; this checks they still export what we use, with a real round trip.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/api/transport.js';

let url: string;
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ method: req.method, url: req.url, ua: req.headers['user-agent'] }));
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('transport', () => {
  it('sends a request through the directly loaded Agent and request()', async () => {
    const t = await createTransport({ timeoutMs: 5000 });
    const res = await t.request(new URL(`${url}/api/v1/products?limit=2`), {
      method: 'POST',
      headers: { 'user-agent': 'astrosell/test' },
      body: '{}',
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({
      method: 'POST',
      url: '/api/v1/products?limit=2',
      ua: 'astrosell/test',
    });
    await t.close();
  });
});
