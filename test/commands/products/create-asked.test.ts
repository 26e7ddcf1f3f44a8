// `products create` on a terminal, with a prompter that records each
// question (its message, choices, default and check) and gives scripted
// answers, against a service that records each request's body: what is
// asked, in what order, and what is sent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePrice, run } from '../../../src/commands/products/create.js';
import { UsageError } from '../../../src/errors.js';
import { stripAnsi } from '../../cli/guard.js';
import { askingContext } from '../../helpers/asked.js';
import { runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

/**
 * A terminal context whose prompter gives `answers` in turn, and a service
 * that creates any product posted to it and lists `warehouses`.
 */
async function setup(answers: unknown[], warehouses: unknown[] = []) {
  const bodies: unknown[] = [];
  const svc = await fakeService((req, res, body) => {
    if (req.method === 'POST' && req.url === '/api/v1/products') {
      bodies.push(JSON.parse(body));
      sendJson(res, 201, { id: 'prod_1', ...JSON.parse(body) });
    } else if (req.method === 'GET' && req.url === '/api/v1/warehouses') {
      sendJson(res, 200, warehouses);
    } else sendJson(res, 404, { error: 'no such route' });
  });
  const t = askingContext({ ...serviceEnv(svc), NO_COLOR: '1', HOME: dir.dir }, answers);
  const create = (flags: Parameters<typeof run>[1]) => t.call(run, flags);
  return { create, asked: t.asked, bodies, requests: svc.requests, stderr: t.stderr };
}

const TYPES = ['serials', 'service', 'file', 'dynamic'].map((t) => ({ name: t, value: t }));
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'].map((c) => ({ name: c, value: c }));
const VISIBILITIES = ['public', 'unlisted', 'private'].map((v) => ({ name: v, value: v }));
const STOCK = [
  { name: 'Draw from an existing warehouse', value: 'warehouse' },
  { name: 'Load serials from a file', value: 'file' },
  { name: 'None for now (an empty dedicated warehouse)', value: 'none' },
];

describe('the questions', () => {
  it('each in turn, with its choices and default; a file of serials for the stock', async () => {
    const file = join(dir.dir, 'serials.txt');
    writeFileSync(file, 'S1\nS2\n');
    const s = await setup([
      ' Game key ',
      '4.5',
      'serials',
      'EUR',
      'unlisted',
      'file',
      '~/serials.txt',
      true,
    ]);
    expect(await s.create({})).toBe(0);
    expect(s.asked.map((q) => [q.kind, q.message])).toEqual([
      ['input', 'Title'],
      ['input', 'Price'],
      ['select', 'Type'],
      ['select', 'Currency'],
      ['select', 'Visibility'],
      ['select', 'Stock'],
      ['input', 'File of serials (one per line)'],
      ['confirm', 'Create this product?'],
    ]);
    expect(s.asked.slice(2).map((q) => [q.choices, q.opts])).toEqual([
      [TYPES, { default: 'serials' }],
      [CURRENCIES, { default: 'USD' }],
      [VISIBILITIES, { default: 'public' }],
      [STOCK, undefined],
      [undefined, { validate: expect.any(Function) }],
      [undefined, { default: true }],
    ]);
    // The file is checked as typed: a wrong path is asked again, the other answers kept.
    const check = (s.asked[6]!.opts as { validate: (v: string) => unknown }).validate;
    expect([check('~/serials.txt'), check('~/serial.txt'), check('')]).toEqual([
      true,
      `no such file: ${join(dir.dir, 'serial.txt')}`,
      'required',
    ]);
    // Reviewed before anything is created, as the command line that does the same.
    expect(s.stderr.text).toContain(
      `The same without questions:\n  astrosell products create --title 'Game key' --price 4.5 --type serials --currency EUR --visibility unlisted --stock-file ${join(dir.dir, 'serials.txt')}\n`,
    );
    expect(s.bodies).toEqual([
      {
        title: 'Game key',
        price: 4.5,
        type: 'serials',
        currency: 'EUR',
        visibility: 'unlisted',
        stock: 'S1\nS2',
      },
    ]);
  });

  it('the title and price answers are checked as they are typed', async () => {
    const s = await setup(['T', '1', 'service', 'USD', 'public', true]);
    await s.create({});
    const check = (i: number) =>
      (s.asked[i]!.opts as { validate: (v: string) => unknown }).validate;
    expect([check(0)('  '), check(0)(' x ')]).toEqual(['required', true]);
    expect([check(1)('abc'), check(1)('-1'), check(1)(' 2.5 ')]).toEqual([
      'price must be a number ≥ 0 (got "abc")',
      'price must be a number ≥ 0 (got "-1")',
      true,
    ]);
    expect(s.bodies).toEqual([
      { title: 'T', price: 1, type: 'service', currency: 'USD', visibility: 'public' },
    ]);
  });

  it('a warehouse picked from the list, named with its count', async () => {
    const s = await setup(
      ['serials', 'USD', 'public', 'warehouse', 'wh_2', true],
      [
        { id: 'wh_1', name: 'Pool A', count: 3 },
        { id: 'wh_2', name: 'Pool B', count: 0 },
      ],
    );
    await s.create({ title: 'X', price: '2' });
    expect(s.asked.at(-2)).toEqual({
      kind: 'select',
      message: 'Warehouse',
      choices: [
        { name: 'Pool A (3 in stock)', value: 'wh_1' },
        { name: 'Pool B (0 in stock)', value: 'wh_2' },
      ],
      opts: undefined,
    });
    expect(s.bodies).toEqual([
      {
        title: 'X',
        price: 2,
        type: 'serials',
        currency: 'USD',
        visibility: 'public',
        warehouseId: 'wh_2',
      },
    ]);
  });

  it('--warehouse: a serials product without the Type or Stock question', async () => {
    const s = await setup(['GBP', 'private', true], [{ id: 'wh_9', name: 'Nine' }]);
    await s.create({ title: 'X', price: '2', warehouse: ' wh_9 ', purchaseNote: 'Thanks' });
    expect(s.asked.map((q) => q.message)).toEqual([
      'Currency',
      'Visibility',
      'Create this product?',
    ]);
    expect(s.bodies).toEqual([
      {
        title: 'X',
        price: 2,
        type: 'serials',
        currency: 'GBP',
        visibility: 'private',
        purchaseNote: 'Thanks',
        warehouseId: 'wh_9',
      },
    ]);
  });
});

describe('flags, checked before anything is asked or sent', () => {
  it('--warehouse by name: the product draws from the warehouse of that exact name', async () => {
    const s = await setup(
      [],
      [
        { id: 'wh_1', name: 'Netflix pool' },
        { id: 'wh_2', name: 'Steam pool' },
      ],
    );
    await s.create({
      title: 'X',
      price: '2',
      warehouse: 'Steam pool',
      visibility: 'public',
      currency: 'USD',
    });
    expect(s.bodies).toMatchObject([{ warehouseId: 'wh_2' }]);
  });

  it('--warehouse naming no warehouse: exit 4 naming it, before anything is asked or created', async () => {
    const s = await setup([], [{ id: 'wh_1', name: 'Netflix pool' }]);
    await expect(s.create({ title: 'X', price: '2', warehouse: 'Netflix' })).rejects.toMatchObject({
      exitCode: 4,
      message: 'no warehouse with the id or name "Netflix"',
      hint: 'astrosell warehouses list shows them',
    });
    expect([s.asked, s.bodies]).toEqual([[], []]);
  });

  it('--type serials with --warehouse is fine; another type is refused', async () => {
    const s = await setup([], [{ id: 'wh_1', name: 'One' }]);
    await s.create({
      title: 'X',
      price: '2',
      type: 'Serials',
      currency: ' eur ',
      visibility: 'PUBLIC',
      warehouse: 'wh_1',
    });
    expect(s.asked).toEqual([]);
    expect(s.bodies).toEqual([
      {
        title: 'X',
        price: 2,
        type: 'serials',
        currency: 'EUR',
        visibility: 'public',
        warehouseId: 'wh_1',
      },
    ]);
    const t = await setup([]);
    await expect(
      t.create({ title: 'X', price: '2', type: 'service', stockFile: 'f.txt' }),
    ).rejects.toThrow(
      new UsageError('--warehouse and --stock-file apply only to serials products, not service'),
    );
    expect([t.asked, t.requests]).toEqual([[], []]);
  });
});

describe('parsePrice, the edges of its pattern', () => {
  it('digits then a dot is a price; with anything before or after it is not', () => {
    expect(parsePrice('12.')).toBe(12);
    for (const v of ['+5.', '5.e3', '5.5.', '9'.repeat(400)]) {
      expect(() => parsePrice(v)).toThrow(
        new UsageError(`--price must be a number ≥ 0 (got "${v}")`),
      );
    }
  });
});

describe('--no-input, or no terminal', () => {
  it('every missing value is named at once, with its flag (exit 2), nothing sent', async () => {
    const env = {
      ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1',
      ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
    };
    for (const tty of [false, true]) {
      const r = await runMain(['products', 'create', '--no-input'], {
        env,
        tty: { stdin: tty, stdout: tty, stderr: tty },
      });
      expect(r.code).toBe(2);
      expect(stripAnsi(r.stderr).split('\n')[0]).toBe(
        'error: missing product title and price: pass --title and --price',
      );
    }
    const one = await runMain(['products', 'create', '--price', '2'], { env });
    expect(stripAnsi(one.stderr).split('\n')[0]).toBe('error: missing product title: pass --title');
  });
});
