// --format and --fields on every read, against the sandbox: piped, as a
// terminal, and with --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { ESC, runners, stripAnsi } from '../cli/guard.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const env = () => shop.env;

beforeAll(async () => {
  shop = await startTestShop();
  // A title a spreadsheet must not split, and a nested field.
  const p = shop.sandbox.store.products.get(DEMO.products.netflix1m)!;
  p.title = 'Netflix, "Premium"\n1 Month';
});
afterAll(() => shop.close());

async function raw(path: string): Promise<unknown> {
  const res = await fetch(`${shop.sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${shop.key}` },
  });
  return res.json();
}

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const lists = [
  { args: ['products', 'list'], path: '/products', id: 'id', other: 'currency' },
  { args: ['warehouses', 'list'], path: '/warehouses', id: 'id', other: 'count' },
  { args: ['orders', 'list'], path: '/orders', id: 'invoiceId', other: 'currency' },
  { args: ['coupons', 'list'], path: '/coupons', id: 'code', other: 'uses' },
];

describe.each(lists)('astrosell $args', ({ args, path, id, other }) => {
  it('--format csv: a header row, one row per record, CRLF, plain values', async () => {
    const r = await piped([...args, '--format', 'csv'], { env: env() });
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout);
    const body = (await raw(path)) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(body.length + 1);
    expect(rows[0]).toContain(id);
    const col = rows[0]!.indexOf(id);
    expect(rows.slice(1).map((row) => row[col])).toEqual(body.map((b) => String(b[id])));
    // Plain values: ISO dates, numbers without symbols or grouping.
    expect(r.stdout).not.toMatch(/ ago\b|(^|,)[$€£]\d|\d,\d{3}\.\d\d/m);
  });

  it('--format ndjson: the service objects untouched, one per line', async () => {
    const r = await piped([...args, '--format', 'ndjson'], { env: env() });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(await raw(path));
  });

  it('--fields picks and orders fields in every format', async () => {
    const body = (await raw(path)) as Array<Record<string, unknown>>;
    const tsv = await piped([...args, '--fields', `${other},${id}`], { env: env() });
    expect(tsv.stdout.trimEnd().split('\n')[0]).toBe(
      `${String(body[0]![other] ?? '')}\t${String(body[0]![id])}`,
    );
    const json = await piped([...args, '--fields', `${id},${other}`, '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual(
      body.map((b) => ({ [id]: b[id], [other]: b[other] ?? null })),
    );
    const table = await tty([...args, '--fields', id], { env: env() });
    expect(stripAnsi(table.stdout).split('\n')[0]!.trim()).toBe(id.toUpperCase());
  });

  it('an unknown field is exit 2 naming the valid ones', async () => {
    const r = await piped([...args, '--fields', `${id},nope`], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`unknown field "nope"; valid fields: .*${id}`));
    expect(r.stdout).toBe('');
  });
});

describe('formats', () => {
  it('csv survives commas, quotes and line breaks in a title', async () => {
    const r = await piped(['products', 'list', '--format', 'csv', '--fields', 'id,title,price'], {
      env: env(),
    });
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['id', 'title', 'price']);
    expect(rows).toContainEqual([DEMO.products.netflix1m, 'Netflix, "Premium"\n1 Month', '4.99']);
  });

  it('--json is --format json; the two disagreeing is exit 2; a bad format is exit 2', async () => {
    const a = await piped(['coupons', 'list', '--format', 'json'], { env: env() });
    const b = await piped(['coupons', 'list', '--json'], { env: env() });
    expect(a.stdout).toBe(b.stdout);
    const both = await piped(['coupons', 'list', '--json', '--format', 'csv'], { env: env() });
    expect(both.code).toBe(2);
    const bad = await piped(['coupons', 'list', '--format', 'xml'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/table, tsv, csv, json, ndjson/);
  });

  it('a get prints one record: csv with a header, json an object, table a detail', async () => {
    const args = ['orders', 'get', DEMO.orders[0]!, '--fields', 'invoiceId,status,total'];
    const csv = await piped([...args, '--format', 'csv'], { env: env() });
    expect(parseCsv(csv.stdout)).toEqual([
      ['invoiceId', 'status', 'total'],
      [DEMO.orders[0], 'completed', '4.99'],
    ]);
    const json = await piped([...args, '--format', 'json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual({
      invoiceId: DEMO.orders[0],
      status: 'completed',
      total: 4.99,
    });
    const t = await tty(args, { env: { ...env(), NO_COLOR: '1' } });
    expect(t.stdout).toMatch(/^total: +\$4\.99$/m);
  });

  it('--format tsv on a terminal, --format table piped', async () => {
    const t = await tty(['warehouses', 'list', '--format', 'tsv'], { env: env() });
    expect(t.stdout).toContain('\t');
    expect(t.stdout).not.toContain(ESC);
    const p = await piped(['warehouses', 'list', '--format', 'table'], { env: env() });
    expect(p.stdout.split('\n')[0]).toMatch(/^ID +NAME/);
  });

  it('money on a terminal by the currency; piped plain', async () => {
    const t = await tty(['products', 'list'], { env: { ...env(), NO_COLOR: '1' } });
    expect(t.stdout).toContain('£3.49');
    expect(t.stdout).not.toContain('3.49 GBP');
    const p = await piped(['products', 'list'], { env: env() });
    expect(p.stdout).toContain('\t3.49 GBP\t');
  });

  it('wide titles are cut by display width, columns stay aligned', async () => {
    const p = shop.sandbox.store.products.get(DEMO.products.spotify)!;
    const before = p.title;
    p.title = '音楽ストリーミング 家族プラン 一か月 🎵🎵🎵 スポティファイ';
    try {
      const r = await tty(['products', 'list'], { env: { ...env(), NO_COLOR: '1' }, columns: 100 });
      const { default: width } = await import('string-width');
      const lines = r.stdout.trimEnd().split('\n');
      for (const l of lines) expect(width(l), l).toBeLessThanOrEqual(100);
      // The type column (left-aligned) starts at the same display column on every row.
      const typeAt = (l: string) => width(l.slice(0, l.search(/ (serials|service|file|dynamic) /)));
      const cols = lines.slice(1).map(typeAt);
      expect(new Set(cols).size).toBe(1);
      expect(r.stdout).toContain('…');
    } finally {
      p.title = before;
    }
  });
});
