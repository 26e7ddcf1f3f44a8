// `products create` from flags (no prompts) in-process against the sandbox:
// each flag's checks and messages, the body sent (as the sandbox stored
// it) and the detail printed; then the prompts' stock-source choices.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneOf, parsePrice } from '../../../src/commands/products/create.js';
import { UsageError } from '../../../src/errors.js';
import { runMain, tempDir } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';
import { typeInto } from '../../helpers/typing.js';

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('parsePrice', () => {
  it('plain non-negative decimals, trimmed', () => {
    expect(parsePrice('0')).toBe(0);
    expect(parsePrice('4.99')).toBe(4.99);
    expect(parsePrice('.5')).toBe(0.5);
    expect(parsePrice('5.')).toBe(5);
    expect(parsePrice(' 18.5 ')).toBe(18.5);
  });
  it('anything else: the flag, and the value as given', () => {
    for (const v of ['', ' ', '-1', '1e3', '1.2.3', 'abc', 'Infinity', '0x10', '+1', '1,5', '.'])
      expect(usage(() => parsePrice(v))).toBe(`--price must be a number ≥ 0 (got "${v}")`);
    expect(usage(() => parsePrice('x', 'price'))).toBe('price must be a number ≥ 0 (got "x")');
  });
});

describe('oneOf', () => {
  it('normalises (trim, lower case by default), then checks', () => {
    expect(oneOf(' Service ', ['serials', 'service'], '--type')).toBe('service');
    expect(oneOf('eur', ['USD', 'EUR'], '--currency', (s) => s.trim().toUpperCase())).toBe('EUR');
    expect(usage(() => oneOf('gift', ['serials', 'service'], '--type'))).toBe(
      '--type must be one of serials, service (got "gift")',
    );
  });
});

describe('products create from flags', () => {
  let shop: TestShop;
  const dir = tempDir();
  beforeAll(async () => {
    shop = await startTestShop({ empty: true });
  });
  afterAll(async () => {
    await shop.close();
    dir.cleanup();
  });
  const create = (args: string[], input?: string) =>
    runMain(['products', 'create', ...args], { env: shop.env, input });
  const find = (title: string) =>
    [...shop.sandbox.store.products.values()].find((p) => p.title === title)!;
  const count = () => shop.sandbox.store.products.size;

  it('a service product: values normalised, the detail printed', async () => {
    const r = await create([
      '--title',
      ' Setup call ',
      '--price',
      '25',
      '--type',
      'SERVICE',
      '--currency',
      ' eur',
      '--visibility',
      'Unlisted',
      '--purchase-note',
      'Book a slot',
    ]);
    const p = find('Setup call');
    expect(p).toMatchObject({
      type: 'service',
      currency: 'EUR',
      visibility: 'unlisted',
      purchaseNote: 'Book a slot',
      price: 25,
    });
    expect(r).toEqual({
      code: 0,
      stdout: `id\t${p.id}\ntitle\tSetup call\nprice\t25.00 EUR\ntype\tservice\nstock\t∞\nvisibility\tunlisted\nwarehouse\t\nsales\t0\nslug\t${p.slug}\npurchase note\tBook a slot\ncreated\t${p.createdAt}\n`,
      stderr: '',
    });
  });

  it('a serials product seeded from a file: a dedicated pool with the stock', async () => {
    const f = join(dir.dir, 'codes.txt');
    writeFileSync(f, 'C1\nC2\nC3\n');
    const r = await create(['--title', 'Codes', '--price', '1', '--stock-file', f]);
    const p = find('Codes');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `id\t${p.id}\ntitle\tCodes\nprice\t1.00 USD\ntype\tserials\nstock\t3\nvisibility\tpublic\nwarehouse\t${p.warehouseId}\nsales\t0\nslug\t${p.slug}\npurchase note\t\ncreated\t${p.createdAt}\n`,
    );
  });

  it('--warehouse links an existing pool; --json prints the answer', async () => {
    await runMain(['warehouses', 'create', '--name', 'Shared'], { env: shop.env });
    const w = [...shop.sandbox.store.warehouses.values()].find((x) => x.name === 'Shared')!;
    const r = await create([
      '--title',
      'Linked',
      '--price',
      '0',
      '--warehouse',
      ` ${w.id} `,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'Linked', price: 0, warehouseId: w.id });
  });

  it('refusals: one exact line (and hint), exit 2, nothing created', async () => {
    const before = count();
    const f = join(dir.dir, 'codes.txt');
    for (const [args, stderr] of [
      [
        ['--price', '1'],
        'error: missing product title: pass --title\nhint: prompts are shown only when stdin and stderr are terminals and --no-input is not given\n',
      ],
      [
        ['--title', 'T'],
        'error: missing price: pass --price\nhint: prompts are shown only when stdin and stderr are terminals and --no-input is not given\n',
      ],
      [['--title', '  ', '--price', '1'], 'error: --title must not be empty\n'],
      [['--title', 'T', '--price', '-1'], 'error: --price must be a number ≥ 0 (got "-1")\n'],
      [
        ['--title', 'T', '--price', '1', '--type', 'gift'],
        'error: --type must be one of serials, service, file, dynamic (got "gift")\n',
      ],
      [
        ['--title', 'T', '--price', '1', '--currency', 'JPY'],
        'error: --currency must be one of USD, EUR, GBP, CAD (got "JPY")\n',
      ],
      [
        ['--title', 'T', '--price', '1', '--visibility', 'hidden'],
        'error: --visibility must be one of public, unlisted, private (got "hidden")\n',
      ],
      [
        ['--title', 'T', '--price', '1', '--warehouse', 'w', '--stock-file', f],
        'error: pass either --warehouse or --stock-file, not both\nhint: --stock-file creates a dedicated warehouse; --warehouse links an existing one\n',
      ],
      [
        ['--title', 'T', '--price', '1', '--type', 'file', '--warehouse', 'w'],
        'error: --warehouse and --stock-file apply only to serials products, not file\n',
      ],
      [
        ['--title', 'T', '--price', '1', '--type', 'service', '--stock-file', f],
        'error: --warehouse and --stock-file apply only to serials products, not service\n',
      ],
    ] as const) {
      expect(await create([...args]), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
    }
    expect(count()).toBe(before);
  });

  it('a blank --warehouse counts as none', async () => {
    const r = await create([
      '--title',
      'NoPool',
      '--price',
      '2',
      '--type',
      'service',
      '--warehouse',
      ' ',
    ]);
    expect(r.code).toBe(0);
    expect(find('NoPool').warehouseId ?? null).toBe(null);
  });
});

describe('products create prompting for the stock source', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop({ empty: true });
  });
  afterAll(() => shop.close());
  const find = (title: string) =>
    [...shop.sandbox.store.products.values()].find((p) => p.title === title)!;
  const down = '\u001b[B';

  it('no warehouses to draw from: says so and creates the product with none', async () => {
    const r = await typeInto(
      ['products', 'create', '--title', 'Lonely', '--price', '1'],
      shop.env,
      [
        [/Type/, '\r'],
        [/Currency/, '\r'],
        [/Visibility/, '\r'],
        [/Stock/, '\r'],
        [/Create this product\?/, '\r'],
      ],
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('There are no warehouses yet; creating the product with none.\n');
    expect(find('Lonely')).toMatchObject({
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
    });
  });

  it('a warehouse picked from the list, named with its count', async () => {
    await runMain(['warehouses', 'create', '--name', 'Pool P'], { env: shop.env });
    const w = [...shop.sandbox.store.warehouses.values()].find((x) => x.name === 'Pool P')!;
    const r = await typeInto(['products', 'create', '--title', 'Drawn', '--price', '1'], shop.env, [
      [/Type/, '\r'],
      [/Currency/, `${down}\r`],
      [/Visibility/, `${down}${down}\r`],
      [/Stock/, '\r'],
      [/Pool P \(0 in stock\)/, '\r'],
      [/Create this product\?/, '\r'],
    ]);
    expect(r.code).toBe(0);
    expect(find('Drawn')).toMatchObject({
      warehouseId: w.id,
      currency: 'EUR',
      visibility: 'private',
    });
  });

  it('"none for now": no warehouse question', async () => {
    const r = await typeInto(['products', 'create', '--title', 'Later', '--price', '1'], shop.env, [
      [/Type/, '\r'],
      [/Currency/, '\r'],
      [/Visibility/, '\r'],
      [/Stock/, `${down}${down}\r`],
      [/Create this product\?/, '\r'],
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Warehouse');
    expect(find('Later').type).toBe('serials');
  });

  it('--stock-file given: a serials product, neither the Type nor the Stock question', async () => {
    const d = tempDir();
    try {
      const f = join(d.dir, 'seed.txt');
      writeFileSync(f, 'Z1\nZ2\n');
      const r = await typeInto(
        ['products', 'create', '--title', 'Seeded', '--price', '1', '--stock-file', f],
        shop.env,
        [
          [/Currency/, '\r'],
          [/Visibility/, '\r'],
          [/Create this product\?/, '\r'],
        ],
      );
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/Type|Stock/);
      const p = find('Seeded');
      expect(p.type).toBe('serials');
      expect(r.stdout).toMatch(/stock: +\u001b\[22m 2\n/);
    } finally {
      d.cleanup();
    }
  });

  it('a service product: no stock question at all', async () => {
    const r = await typeInto(['products', 'create', '--title', 'Svc', '--price', '1'], shop.env, [
      [/Type/, `${down}\r`],
      [/Currency/, '\r'],
      [/Visibility/, '\r'],
      [/Create this product\?/, '\r'],
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Stock');
    expect(find('Svc').type).toBe('service');
  });
});
