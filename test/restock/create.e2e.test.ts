// products create / warehouses create in-process through main() (piped: no prompts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type Shop, serials, shop } from './e2e.js';

let s: Shop;
beforeAll(async () => {
  s = await shop();
});
afterAll(async () => {
  await s.close();
});

describe('products create', () => {
  it('without a terminal, a missing required value is exit 2 naming the flag', async () => {
    const a = await runMain(['products', 'create', '--price', '5'], { env: s.env });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/missing product title: pass --title/);
    const b = await runMain(['products', 'create', '--title', 'X'], { env: s.env });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing price: pass --price/);
    expect(s.sandbox.store.products.size).toBe(0);
  });

  it('checks values before sending: price, enums, --warehouse with --stock-file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--price', '-1'], /--price must be a number ≥ 0 \(got "-1"\)/],
      [['--price', 'abc'], /--price must be a number ≥ 0/],
      [
        ['--price', '1', '--type', 'ebook'],
        /--type must be one of serials, service, file, dynamic/,
      ],
      [['--price', '1', '--currency', 'JPY'], /--currency must be one of USD, EUR, GBP, CAD/],
      [
        ['--price', '1', '--visibility', 'hidden'],
        /--visibility must be one of public, unlisted, private/,
      ],
      [
        ['--price', '1', '--warehouse', 'w', '--stock-file', 'f'],
        /either --warehouse or --stock-file/,
      ],
      [['--price', '1', '--type', 'service', '--warehouse', 'w'], /only to serials products/],
    ];
    for (const [args, re] of cases) {
      const r = await runMain(['products', 'create', '--title', 'T', ...args], { env: s.env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    expect(s.sandbox.store.products.size).toBe(0);
  });

  it('creates with a small stock file in the create request; prints tab-separated or the JSON', async () => {
    const f = s.file('small.txt', '\ufeffA-1\r\n\r\n A-2 \r\nA-3');
    const r = await runMain(
      [
        'products',
        'create',
        '--title',
        'Steam $20',
        '--price',
        '18.5',
        '--currency',
        'eur',
        '--stock-file',
        f,
      ],
      { env: s.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^id\t[0-9a-f]{24}\ntitle\tSteam \$20\nprice\t18\.50 EUR\n/);
    expect(r.stdout).toMatch(/\nstock\t3\n/);
    const j = await runMain(
      [
        'products',
        'create',
        '--title',
        'Call',
        '--price',
        '0',
        '--type',
        'service',
        '--purchase-note',
        'hi',
        '--json',
      ],
      { env: s.env },
    );
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({
      title: 'Call',
      price: 0,
      type: 'service',
      purchaseNote: 'hi',
    });
  });

  it('a stock file larger than one batch: created empty, then restocked by the engine', async () => {
    const input = serials(2600, 'BIG');
    const f = s.file('big.txt', input.join('\n'));
    const r = await runMain(
      ['products', 'create', '--title', 'Big', '--price', '1', '--stock-file', f, '--json'],
      {
        env: s.env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout);
    expect(created.title).toBe('Big');
    expect(r.stderr).toMatch(/restock of product .*: complete/);
    expect(s.items(created.warehouseId)).toEqual(input);
    // What is printed is the product after the restock, not the empty one just created.
    expect(created.stock).toBe(2600);
    expect(created.stockItems).toBeUndefined();
  });

  it('links an existing warehouse; a bad stock file is exit 2 and creates nothing', async () => {
    const w = s.warehouse();
    const r = await runMain(
      ['products', 'create', '--title', 'Linked', '--price', '2', '--warehouse', w, '--json'],
      {
        env: s.env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warehouseId).toBe(w);
    const before = s.sandbox.store.products.size;
    const bad = s.file('bad.txt', 'ok\nbad\u0001\n');
    const b = await runMain(
      ['products', 'create', '--title', 'B', '--price', '2', '--stock-file', bad],
      { env: s.env },
    );
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad\.txt, line 2: contains a control character/);
    expect(s.sandbox.store.products.size).toBe(before);
  });
});

describe('warehouses create', () => {
  it('needs --name without a terminal', async () => {
    const r = await runMain(['warehouses', 'create', '--no-input'], { env: s.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing warehouse name: pass --name/);
  });

  it('creates with settings and a seed from stdin; prints the detail or the JSON', async () => {
    const r = await runMain(
      [
        'warehouses',
        'create',
        '--name',
        'Netflix',
        '--no-remove-duplicates',
        '--no-remove-sold',
        '--low-stock-threshold',
        '5',
        '--stock-file',
        '-',
        '--json',
      ],
      { env: s.env, input: 'N-1\nN-2\nN-1\n' },
    );
    expect(r.code, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout);
    expect(w).toMatchObject({
      name: 'Netflix',
      removeDuplicates: false,
      removeSold: false,
      lowStockThreshold: 5,
      count: 3,
    });
    const t = await runMain(['warehouses', 'create', '--name', 'Plain'], { env: s.env });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(
      /^id\t[0-9a-f]{24}\nname\tPlain\ncount\t0\n(?:.*\n)*remove duplicates\ttrue\nremove sold\ttrue\n/,
    );
  });

  it('seeds a large stdin through the engine', async () => {
    const input = serials(1500, 'WS');
    const r = await runMain(
      ['warehouses', 'create', '--name', 'Large', '--stock-file', '-', '--json'],
      {
        env: s.env,
        input: input.join('\n'),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout);
    expect(s.items(created.id)).toEqual(input);
    expect(created.count).toBe(1500);
    expect(created.items).toBeUndefined();
    // The same for the tab-separated detail.
    const t = await runMain(['warehouses', 'create', '--name', 'Large2', '--stock-file', '-'], {
      env: s.env,
      input: input.join('\n'),
    });
    expect(t.stdout).toMatch(/^count\t1500$/m);
  });
});
