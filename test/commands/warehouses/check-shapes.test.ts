// `warehouses check` describes a low pool one way in every format: --json's
// `low` list holds the records csv and ndjson print, --fields picks from
// them, and the summary on stderr is for people (a table, tsv) with or
// without --days. In-process against the demo sandbox, one of whose pools
// is at its threshold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/sandbox/index.js';
import { runners } from '../../cli/guard.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const check = (args: string[]) => piped(['warehouses', 'check', ...args], { env: shop.env });

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

type Rec = Record<string, unknown>;

/** The CSV's rows as objects by its header (the demo's names hold no comma or quote). */
function csvRecords(csv: string): Rec[] {
  const [header, ...rows] = csv
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));
  return rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]])));
}

describe('warehouses check --json: the low records every format prints', () => {
  it('its low list is the ndjson lines, and the csv rows are those records (pools and, with --min, products)', async () => {
    const json = await check(['--min', '12', '--json']);
    const ndjson = await check(['--min', '12', '--format', 'ndjson']);
    const csv = await check(['--min', '12', '--format', 'csv']);
    expect([json.code, ndjson.code, csv.code]).toEqual([8, 8, 8]);
    const low = JSON.parse(json.stdout).low as Rec[];
    expect(low.map((r) => `${r.kind} ${r.id}`).sort()).toEqual(
      [
        `warehouse ${DEMO.lowStockWarehouse}`,
        `product ${DEMO.products.spotify}`,
        `product ${DEMO.products.windowsLegacy}`,
      ].sort(),
    );
    expect(JSON.parse(json.stdout)).not.toHaveProperty('lowProducts');
    expect(
      ndjson.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(low);
    const rows = csvRecords(csv.stdout);
    const asCsv = (r: Rec) =>
      Object.fromEntries(Object.keys(rows[0]!).map((f) => [f, r[f] == null ? '' : String(r[f])]));
    expect(rows).toEqual(low.map(asCsv));
  });

  it('--json --fields accepts every field --json shows, and prints those records with them', async () => {
    const low = JSON.parse((await check(['--min', '12', '--json'])).stdout).low as Rec[];
    const shown = [...new Set(low.flatMap((r) => Object.keys(r)))];
    expect(low.length).toBeGreaterThan(0);
    const r = await check(['--min', '12', '--json', '--fields', shown.join(',')]);
    expect(r.code).toBe(8);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(
      low.map((rec) => Object.fromEntries(shown.map((f) => [f, rec[f] ?? null]))),
    );
  });
});

it('--json with and without --days: ok and checked (the pools read) mean the same', async () => {
  for (const args of [['--json'], ['--days', '7', '--json']]) {
    const r = await check(args);
    expect(r.code, args.join(' ')).toBe(8);
    expect(JSON.parse(r.stdout), args.join(' ')).toMatchObject({ ok: false, checked: 3 });
  }
});

describe('the summary on stderr', () => {
  // A second product titled as the Spotify one, and an order naming only that title.
  let title: string;
  beforeAll(() => {
    const s = shop.sandbox.store;
    title = s.product(DEMO.products.spotify).title!;
    s.createProduct({
      title,
      price: 1,
      type: 'serials',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
      warehouseId: DEMO.warehouses.steam,
    });
    const order = s.purchase(DEMO.products.spotify, 1, 'b@example.com');
    delete (order as Partial<typeof order>).productId;
  });

  it('is for people (a table, tsv), never with csv, ndjson or json, with or without --days; a note is written in every format; exit 8 throughout', async () => {
    const formats: [string, string[], boolean][] = [
      ['table', [], true],
      ['tsv', [], true],
      ['csv', ['--format', 'csv'], false],
      ['ndjson', ['--format', 'ndjson'], false],
      ['json', ['--json'], false],
      ['json --fields', ['--json', '--fields', 'id'], false],
    ];
    const run = (name: string, args: string[]) =>
      name === 'table'
        ? tty(['warehouses', 'check', ...args], { env: shop.env, columns: 200 })
        : check(args);
    const note = `note: orders name "${title}", the title of several products: they count for none of them\n`;
    for (const [name, flags, people] of formats) {
      const plain = await run(name, flags);
      expect(plain.code, name).toBe(8);
      expect(plain.stderr, name).toBe(
        people ? '1 of 3 warehouses at or below the low-stock threshold.\n' : '',
      );
      const days = await run(name, ['--days', '7', ...flags]);
      expect(days.code, `${name} --days`).toBe(8); // the pool at its threshold, as without --days
      expect(days.stderr.startsWith(note), `${name} --days`).toBe(true);
      const rest = days.stderr.slice(note.length);
      if (people)
        expect(rest, `${name} --days`).toMatch(
          /^\d+ of \d+ pools and products low or running out within 7 days \(/,
        );
      else expect(rest, `${name} --days`).toBe('');
    }
  });
});

describe('warehouses check --days with --min', () => {
  it('a product with serials of its own at or under --min is low there too, as plain --min says', async () => {
    const plain = JSON.parse((await check(['--min', '12', '--json'])).stdout).low as Rec[];
    const lowProducts = plain.filter((r) => r.kind === 'product').map((r) => r.id);
    const r = await check(['--days', '1', '--min', '12', '--json']);
    expect(r.code).toBe(8);
    const stock = JSON.parse(r.stdout).stock as Rec[];
    const products = stock.filter((x) => x.kind === 'product');
    expect(products.length).toBeGreaterThan(0);
    for (const p of products) {
      expect(p.threshold).toBe(12);
      expect(p.low).toBe(typeof p.count === 'number' && p.count <= 12);
    }
    // Every product plain --min calls low that --days lists is low there as well.
    const listed = new Set(products.map((p) => p.id));
    for (const id of lowProducts.filter((id) => listed.has(id))) {
      expect(products.find((p) => p.id === id)!.low).toBe(true);
    }
    expect(products.some((p) => p.low)).toBe(true);
  });
});
