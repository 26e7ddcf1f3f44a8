// `astrosell api METHOD PATH`, like `gh api`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseField } from '../../../src/commands/api/request.js';
import { UsageError } from '../../../src/errors.js';
import { DEMO } from '../../../src/sandbox/index.js';
import { runners } from '../../cli/guard.js';
import { runTerminal, tempDir } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
const requests: string[] = [];
const { piped } = runners(() => [shop.key]);
beforeAll(async () => {
  shop = await startTestShop({ log: (l) => requests.push(l) });
});
afterAll(() => shop.close());

describe('parseField', () => {
  it('-f keeps strings, -F converts numbers, booleans and null', () => {
    expect(parseField('name=Netflix pool', false)).toEqual(['name', 'Netflix pool']);
    expect(parseField('n=20', false)).toEqual(['n', '20']);
    expect(parseField('n=20', true)).toEqual(['n', 20]);
    expect(parseField('p=-4.5', true)).toEqual(['p', -4.5]);
    expect(parseField('b=true', true)).toEqual(['b', true]);
    expect(parseField('b=false', true)).toEqual(['b', false]);
    expect(parseField('x=null', true)).toEqual(['x', null]);
    expect(parseField('s=a=b', true)).toEqual(['s', 'a=b']);
    expect(parseField('empty=', true)).toEqual(['empty', '']);
  });
  it('refuses a field without key=value', () => {
    expect(() => parseField('novalue', false)).toThrow(UsageError);
    expect(() => parseField('=x', true)).toThrow(UsageError);
  });
});

describe('astrosell api', () => {
  it('GET prints the body as received', async () => {
    const direct = await fetch(`${shop.sandbox.url}/coupons`, {
      headers: { authorization: `Bearer ${shop.key}` },
    });
    const r = await piped(['api', 'GET', '/coupons'], { env: shop.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${await direct.text()}\n`);
    expect(r.stderr).toBe('');
  });

  it('GET fields become the query string', async () => {
    const r = await piped(['api', 'get', 'orders', '-F', 'limit=2', '-f', 'status=completed'], {
      env: shop.env,
    });
    expect(r.code).toBe(0);
    const orders = JSON.parse(r.stdout) as Array<{ status: string }>;
    expect(orders).toHaveLength(2);
    expect(orders.every((o) => o.status === 'completed')).toBe(true);
    expect(requests.at(-1)).toMatch(
      /^GET \/api\/v1\/orders\?(limit=2&status=completed|status=completed&limit=2) 200/,
    );
  });

  it('POST with -f/-F sends a typed JSON body', async () => {
    const r = await piped(
      [
        'api',
        'POST',
        '/warehouses',
        '-f',
        'name=Netflix pool 2',
        '-F',
        'lowStockThreshold=20',
        '-F',
        'removeSold=false',
      ],
      {
        env: shop.env,
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'Netflix pool 2',
      lowStockThreshold: 20,
      removeSold: false,
      removeDuplicates: true,
    });
  });

  it('--input - reads the body from stdin; --input FILE from a file', async () => {
    const viaStdin = await piped(
      ['api', 'POST', `/warehouses/${DEMO.warehouses.steam}/stock`, '--input', '-'],
      {
        env: shop.env,
        input: JSON.stringify({ stock: 'API-1\nAPI-2' }),
      },
    );
    expect(viaStdin.code).toBe(0);
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({
      added: 2,
      truncated: false,
      capped: false,
    });

    const dir = tempDir();
    try {
      const file = join(dir.dir, 'body.json');
      writeFileSync(file, JSON.stringify({ stock: 'API-3' }));
      const viaFile = await piped(
        ['api', 'POST', `/warehouses/${DEMO.warehouses.steam}/stock`, '--input', file],
        {
          env: shop.env,
        },
      );
      expect(JSON.parse(viaFile.stdout)).toMatchObject({ added: 1 });
    } finally {
      dir.cleanup();
    }
  });

  it('the exit code follows the status; the error body is still printed', async () => {
    const nf = await piped(['api', 'GET', '/products/nope'], { env: shop.env });
    expect(nf.code).toBe(4);
    expect(nf.stdout).toBe('{"error":"Product not found"}\n');
    expect(nf.stderr).toBe('error: Product not found\n');
    const bad = await piped(['api', 'GET', '/orders', '-F', 'limit=0'], { env: shop.env });
    expect(bad.code).toBe(2);
    const auth = await piped(['api', 'GET', '/orders'], {
      env: { ...shop.env, ASTROSELL_API_KEY: 'nsk_test_nopenopenopenope' },
    });
    expect(auth.code).toBe(3);
  });

  it('usage errors send nothing', async () => {
    const dir = tempDir();
    try {
      const notJson = join(dir.dir, 'x.json');
      writeFileSync(notJson, '{not json');
      const before = requests.length;
      for (const [args, msg] of [
        [['api', 'FETCH', '/products'], 'unknown HTTP method'],
        [['api', 'GET', 'https://evil.example/api/v1/products'], 'not a full URL'],
        [
          ['api', 'POST', '/warehouses', '--input', notJson, '-f', 'a=b'],
          'either --input or fields',
        ],
        [['api', 'POST', '/warehouses', '--input', notJson], 'is not valid JSON'],
        [['api', 'POST', '/warehouses', '--input', join(dir.dir, 'missing.json')], 'cannot read'],
        [['api', 'POST', '/warehouses', '-f', 'novalue'], 'expected key=value'],
      ] as const) {
        const r = await piped([...args], { env: shop.env, input: '' });
        expect(r.code, msg).toBe(2);
        expect(r.stderr).toContain(msg);
      }
      expect(requests.length).toBe(before);
    } finally {
      dir.cleanup();
    }
  });
});

describe('astrosell api --input - on a terminal', () => {
  it('says it is waiting for the body on stdin', async () => {
    const r = await runTerminal(['api', 'POST', '/warehouses', '--input', '-'], {
      env: shop.env,
      stdinTTY: true,
      input: '{"name":"typed"}',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('reading the request body from standard input (end with Ctrl-D)…\n');
    expect(JSON.parse(r.stdout).name).toBe('typed');
  });
});
