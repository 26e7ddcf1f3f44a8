// `warehouses diff` and `warehouses check --min`, against the sandbox.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/sandbox/index.js';
import { runners } from '../../cli/guard.js';
import { tempDir } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
let dir: ReturnType<typeof tempDir>;
const { piped, tty } = runners(() => [shop.key]);
const env = () => shop.env;
const W = DEMO.warehouses.spotify;
let pool: string[];

beforeAll(async () => {
  shop = await startTestShop();
  dir = tempDir();
  pool = shop.sandbox.store.warehouse(W).pool.list();
});
afterAll(async () => {
  await shop.close();
  dir.cleanup();
});

function file(name: string, text: string): string {
  const path = join(dir.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('warehouses diff', () => {
  it('all present: exit 0, counts on stdout (tsv piped, table on a terminal, one object with --json)', async () => {
    // The restock reader's normalisation: CRLF, spaces, a BOM, blank lines, repeats.
    const f = file('all.txt', `\ufeff${pool[0]}\r\n\n  ${pool[1]}  \n${pool[0]}\n`);
    const r = await piped(['warehouses', 'diff', W, f], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('file serials\t2\npresent\t2\nmissing\t0\n');
    expect(r.stdout).toContain(`extra\t${pool.length - 2}\n`);
    const j = await piped(['warehouses', 'diff', W, f, '--json'], { env: env() });
    expect(JSON.parse(j.stdout)).toMatchObject({
      fileSerials: 2,
      present: 2,
      missing: 0,
      extra: pool.length - 2,
      poolItems: pool.length,
      blankLines: 1,
      repeated: 1,
    });
    const t = await tty(['warehouses', 'diff', W, f], { env: { ...env(), NO_COLOR: '1' } });
    expect(t.stdout).toMatch(/^missing: +0$/m);
  });

  it('missing serials: exit 9; --show prints only serials on stdout, counts on stderr', async () => {
    const f = file('some.txt', `NOPE-1\n${pool[0]}\nNOPE-2\nNOPE-1\n`);
    const r = await piped(['warehouses', 'diff', W, f], { env: env() });
    expect(r.code).toBe(9);
    expect(r.stdout).toContain('missing\t2\n');
    expect(r.stderr).toMatch(/2 of 3 serials .* missing/);
    const missing = await piped(['warehouses', 'diff', W, f, '--show', 'missing'], { env: env() });
    expect(missing).toMatchObject({ code: 9, stdout: 'NOPE-1\nNOPE-2\n' });
    const present = await piped(['warehouses', 'diff', W, f, '--show', 'present'], { env: env() });
    expect(present.stdout).toBe(`${pool[0]}\n`);
    const extra = await piped(['warehouses', 'diff', W, f, '--show', 'extra', '--json'], {
      env: env(),
    });
    expect(extra.stdout.trimEnd().split('\n').sort()).toEqual(pool.slice(1).sort());
    expect(JSON.parse(extra.stderr)).toMatchObject({ missing: 2, extra: pool.length - 1 });
  });

  it('reads standard input with -', async () => {
    const r = await piped(['warehouses', 'diff', W, '-', '--show', 'missing'], {
      env: env(),
      input: `${pool.join('\n')}\nLATE-1\n`,
    });
    expect(r).toMatchObject({ code: 9, stdout: 'LATE-1\n' });
  });

  it('a line a restock would refuse is exit 2 naming it; a missing file or pool too', async () => {
    const bad = await piped(['warehouses', 'diff', W, file('bad.txt', 'A\nB\u0001C\n')], {
      env: env(),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.txt, line 2: contains a control character/);
    const none = await piped(['warehouses', 'diff', W, join(dir.dir, 'nope.txt')], { env: env() });
    expect(none.code).toBe(2);
    const gone = await piped(
      ['warehouses', 'diff', '66f0c3a1b2c3d4e5f6a7ffff', file('x.txt', 'A\n')],
      {
        env: env(),
      },
    );
    expect(gone.code).toBe(4);
    const show = await piped(['warehouses', 'diff', W, file('y.txt', 'A\n'), '--show', 'all'], {
      env: env(),
    });
    expect(show.code).toBe(2);
  });
});

describe('warehouses check --min', () => {
  it('reports serials products at or under N too, and exits 8', async () => {
    const r = await piped(['warehouses', 'check', '--min', '12'], { env: env() });
    expect(r.code).toBe(8);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(
      rows
        .filter((c) => c[0] === 'product')
        .map((c) => c[1])
        .sort(),
    ).toEqual([DEMO.products.spotify, DEMO.products.windowsLegacy].sort());
    expect(rows.filter((c) => c[0] === 'warehouse').map((c) => c[1])).toEqual([W]);
    const j = await piped(['warehouses', 'check', '--min', '12', '--json'], { env: env() });
    const body = JSON.parse(j.stdout);
    expect(body.ok).toBe(false);
    expect(body.min).toBe(12);
    expect(
      body.low
        .filter((r: { kind: string }) => r.kind === 'product')
        .map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual([DEMO.products.spotify, DEMO.products.windowsLegacy].sort());
    const csv = await piped(['warehouses', 'check', '--min', '12', '--format', 'csv'], {
      env: env(),
    });
    expect(csv.stdout.split('\r\n')[0]).toBe('kind,id,name,count,threshold');
    const t = await tty(['warehouses', 'check', '--min', '0'], { env: env() });
    expect(t.code).toBe(8); // the Spotify pool is under its own threshold
    expect(t.stderr).toMatch(/have more than 0 in stock/);
  });

  it('without --min: the same rows as with it, each starting with its kind', async () => {
    const r = await piped(['warehouses', 'check'], { env: env() });
    expect(r.code).toBe(8);
    expect(r.stdout.split('\t')).toHaveLength(5);
    const body = JSON.parse(
      (await piped(['warehouses', 'check', '--json'], { env: env() })).stdout,
    );
    expect(body.low.map((r: { kind: string }) => r.kind)).toEqual(['warehouse']);
    expect(body).not.toHaveProperty('checkedProducts');
  });
});
