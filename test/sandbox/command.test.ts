import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRateLimit, runSandboxCommand, startSandbox } from '../../src/sandbox/index.js';

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('runSandboxCommand', () => {
  it('prints the base URL first, then the keys; serves until aborted; resolves 0', async () => {
    const s = streams();
    const ac = new AbortController();
    const run = runSandboxCommand(
      { port: 0, key: ['nsk_test_one', 'nsk_test_two'], rateLimit: '100/s' },
      s.io,
      ac.signal,
    );
    await until(() => s.out().split('\n').length > 3);
    const [url, k1, k2] = s.out().split('\n');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect([k1, k2]).toEqual(['nsk_test_one', 'nsk_test_two']);
    expect(s.err()).toContain(`export ASTROSELL_BASE_URL=${url} ASTROSELL_API_KEY=nsk_test_one`);
    const res = await fetch(`${url}/products`, { headers: { 'x-api-key': 'nsk_test_two' } });
    expect(res.status).toBe(200);
    ac.abort();
    await expect(run).resolves.toBe(0);
    await expect(fetch(`${url}/products`)).rejects.toThrow();
    // The request log went to stderr, with the key masked.
    expect(s.err()).toMatch(/GET \/api\/v1\/products 200/);
  });

  it('with no --key, prints the fixed public key whole and says what it is', async () => {
    const s = streams();
    const ac = new AbortController();
    const run = runSandboxCommand({ port: 0, empty: true }, s.io, ac.signal);
    await until(() => s.err().includes('Ctrl-C'));
    expect(s.out().split('\n').slice(1)).toEqual(['nsk_test_sandbox', '']);
    expect(s.err()).toContain('ASTROSELL_API_KEY=nsk_test_sandbox\n');
    expect(s.err()).toContain("nsk_test_sandbox is the sandbox's fixed, public key");
    ac.abort();
    await expect(run).resolves.toBe(0);
  });

  it.each([
    [{ port: 70000 }, /--port/],
    [{ port: 1.5 }, /--port/],
    [{ rateLimit: 'fast' }, /--rate-limit/],
    [{ rateLimit: '0/s' }, /--rate-limit/],
    [{ key: ['sk_live_x'] }, /nsk_/],
    [{ errorRate: 1.5 }, /--error-rate/],
    [{ errorRate: 0.6, dropRate: 0.6 }, /at most 1/],
    [{ maxLines: 0 }, /--max-lines/],
  ])('rejects %j with a one-line message', async (opts, message) => {
    const s = streams();
    const err = await runSandboxCommand(opts, s.io, new AbortController().signal).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
    expect(s.out()).toBe('');
  });

  it('says clearly when the port is busy', async () => {
    const taken = await startSandbox({ port: 0 });
    const port = Number(new URL(taken.url).port);
    const err = await runSandboxCommand({ port }, streams().io, new AbortController().signal).catch(
      (e) => e,
    );
    expect(err.message).toBe(
      `port ${port} is in use; pick another with --port, or pass --port 0 for a free port`,
    );
    await taken.close();
  });

  it('defaults to port 4010 and suggests --port 0 when it is busy', async () => {
    const held = await startSandbox({ port: 4010 }).catch(() => undefined);
    try {
      const err = await runSandboxCommand({}, streams().io, new AbortController().signal).catch(
        (e) => e,
      );
      expect(err.message).toBe('port 4010 is in use; pass --port 0 for a free port');
    } finally {
      await held?.close();
    }
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['10/s', { requests: 10, perMs: 1000 }],
    ['100/min', { requests: 100, perMs: 60_000 }],
    ['5/250ms', { requests: 5, perMs: 250 }],
    ['3/10s', { requests: 3, perMs: 10_000 }],
    ['1000/hour', { requests: 1000, perMs: 3_600_000 }],
    ['2 / sec', { requests: 2, perMs: 1000 }],
  ])('%s', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });
});
