// Auth, routing and the error contract: JSON everywhere, the documented statuses.
import { describe, expect, it } from 'vitest';
import { SANDBOX_KEY, startSandbox } from '../../src/sandbox/index.js';
import { KEY, sandbox } from './helpers.js';

describe('auth', () => {
  it('accepts Bearer and X-API-Key', async () => {
    const { sb } = await sandbox();
    const bearer = await fetch(`${sb.url}/products`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const header = await fetch(`${sb.url}/products`, { headers: { 'x-api-key': KEY } });
    expect([bearer.status, header.status]).toEqual([200, 200]);
  });

  it.each([
    ['missing', {}],
    ['unknown bearer', { authorization: 'Bearer nsk_test_nope' }],
    ['unknown x-api-key', { 'x-api-key': 'nsk_live_nope' }],
    ['not bearer', { authorization: `Basic ${KEY}` }],
  ])('401 when the key is %s', async (_name, headers) => {
    const { sb } = await sandbox();
    const res = await fetch(`${sb.url}/warehouses`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'Invalid or revoked API key' });
  });

  it('401 after a key is revoked, other keys keep working', async () => {
    const other = 'nsk_test_other0000000000000000000000000';
    const { sb, api } = await sandbox({ keys: [KEY, other] });
    expect((await api('GET', '/coupons')).status).toBe(200);
    sb.revokeKey(KEY);
    const r = await api('GET', '/coupons');
    expect(r).toMatchObject({ status: 401, body: { error: 'Invalid or revoked API key' } });
    expect(
      (await api('GET', '/coupons', undefined, { authorization: `Bearer ${other}` })).status,
    ).toBe(200);
  });

  it('checks the key before the route', async () => {
    const { sb } = await sandbox();
    expect((await fetch(`${sb.url}/no/such/route`)).status).toBe(401);
  });

  it('with no key given, accepts the fixed public key, the same at every start', async () => {
    for (let start = 0; start < 2; start++) {
      const { sb } = await sandbox({ keys: [] });
      expect(sb.keys).toEqual([SANDBOX_KEY]);
      const res = await fetch(`${sb.url}/coupons`, {
        headers: { 'x-api-key': 'nsk_test_sandbox' },
      });
      expect(res.status).toBe(200);
    }
  });

  it('with no key given, refuses to listen beyond loopback, before anything starts', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'example.com']) {
      await expect(startSandbox({ host, port: 0 })).rejects.toThrow(
        /^refusing to listen on .* with the sandbox's public default key: .*pass --key/,
      );
    }
    // Loopback names need no key of their own.
    const local = await startSandbox({ host: 'localhost', port: 0 });
    expect(local.keys).toEqual([SANDBOX_KEY]);
    await local.close();
  });
});

describe('routing and errors', () => {
  it('answers 404 Not found for unknown routes, JSON', async () => {
    const { api, sb } = await sandbox();
    expect(await api('GET', '/nope')).toMatchObject({ status: 404, body: { error: 'Not found' } });
    expect(await api('GET', '/products/x/y/z')).toMatchObject({ status: 404 });
    const outside = await fetch(sb.url.replace('/api/v1', '/elsewhere'));
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: 'Not found' });
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const { api } = await sandbox();
    const r = await api('DELETE', '/products');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, POST');
    expect(r.body.error).toEqual(expect.any(String));
    expect((await api('PUT', '/orders/AS-7KD2P9')).status).toBe(405);
  });

  it('answers 413 above maxBodyBytes, and keeps serving', async () => {
    const { api } = await sandbox({ maxBodyBytes: 1024 });
    const big = { title: 'x'.repeat(2000), price: 1 };
    const r = await api('POST', '/products', big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/larger than 1024/);
    expect((await api('GET', '/coupons')).status).toBe(200);
  });

  it('answers 413 for a large or chunked body without breaking the connection', async () => {
    const { sb } = await sandbox({ maxBodyBytes: 1024 });
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const big = await fetch(`${sb.url}/warehouses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect(big.status).toBe(413);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(10_000).fill(97));
        c.close();
      },
    });
    const chunked = await fetch(`${sb.url}/warehouses`, {
      method: 'POST',
      headers,
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toEqual({ error: 'Request body larger than 1024 bytes' });
  });

  it('answers 500 JSON, without a stack, when a handler throws', async () => {
    const lines: string[] = [];
    const { api, sb } = await sandbox({ log: (l) => lines.push(l) });
    sb.store.poolOf = () => {
      throw new Error('boom');
    };
    const r = await api('GET', '/products');
    expect(r).toMatchObject({ status: 500, body: { error: 'Internal sandbox error' } });
    expect(JSON.stringify(r.body)).not.toContain('boom');
    expect(lines.some((l) => l.includes('boom'))).toBe(true);
    expect(lines.every((l) => !l.includes(KEY))).toBe(true);
  });

  it('answers 400 JSON for malformed and non-object bodies', async () => {
    const { api } = await sandbox();
    for (const body of ['{"title": ', '[1,2]', '"text"', 'null', '']) {
      const r = await api('POST', '/warehouses', body, { 'content-type': 'application/json' });
      expect(r.status, body).toBe(400);
      expect(r.body.error).toEqual(expect.any(String));
    }
  });

  it('accepts a trailing slash and ignores unknown body fields', async () => {
    const { api } = await sandbox();
    expect((await api('GET', '/products/')).status).toBe(200);
    const r = await api('POST', '/warehouses', { name: 'W', futureField: 1 });
    expect(r.status).toBe(200);
  });
});
