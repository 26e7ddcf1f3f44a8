// Names where people use names, against the sandbox: `products get` by id,
// slug or exact title; `warehouses get` and `warehouses diff` by id or exact
// name. A shared name is exit 2 with the candidates; one that names nothing
// is exit 4 saying what was asked for and where to look.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { runners } from '../cli/guard.js';
import { tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let dir: ReturnType<typeof tempDir>;
const { piped, tty } = runners(() => [shop.key]);
const env = () => ({ ...shop.env, NO_COLOR: '1' });
const P = DEMO.products;
const W = DEMO.warehouses;

beforeAll(async () => {
  shop = await startTestShop();
  dir = tempDir();
});
afterAll(async () => {
  await shop.close();
  dir.cleanup();
});

describe('products get', () => {
  it.each([
    ['its slug', 'spotify-family-1-month'],
    ['its exact title', 'Spotify Family 1 Month'],
  ])('by %s: the same answer as by id, piped, with --json and on a terminal', async (_, ref) => {
    for (const extra of [[], ['--json']]) {
      const byId = await piped(['products', 'get', P.spotify, ...extra], { env: env() });
      expect(byId.code).toBe(0);
      expect(await piped(['products', 'get', ref, ...extra], { env: env() })).toEqual(byId);
    }
    const t = await tty(['products', 'get', ref], { env: env() });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(new RegExp(`^id: +${P.spotify}$`, 'm'));
  });

  it('a title that is not exact names nothing: exit 4 saying so, with where to look', async () => {
    for (const run of [piped, tty]) {
      const r = await run(['products', 'get', 'spotify family 1 month'], { env: env() });
      expect(r).toEqual({
        code: 4,
        stdout: '',
        stderr:
          'error: no product with the id, slug or title "spotify family 1 month"\nhint: astrosell products list shows them\n',
      });
    }
  });
});

describe('warehouses get and diff', () => {
  it('get by exact name: the warehouse, piped and with --json', async () => {
    const r = await piped(['warehouses', 'get', 'Netflix pool', '--fields', 'id,name'], {
      env: env(),
    });
    expect(r).toMatchObject({ code: 0, stdout: `id\t${W.netflix}\nname\tNetflix pool\n` });
    const j = await piped(['warehouses', 'get', 'Netflix pool', '--json'], { env: env() });
    expect(JSON.parse(j.stdout)).toMatchObject({ id: W.netflix, name: 'Netflix pool' });
  });

  it('diff by name compares with the pool of that name', async () => {
    const pool = shop.sandbox.store.warehouse(W.spotify).pool.list();
    const f = join(dir.dir, 'spotify.txt');
    writeFileSync(f, `${pool.join('\n')}\n`);
    const r = await piped(['warehouses', 'diff', 'Spotify Family pool', f, '--json'], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ warehouse: W.spotify, missing: 0 });
  });

  it('a name two warehouses share: exit 2 listing both ids, nothing read', async () => {
    const store = shop.sandbox.store;
    const a = store.warehouses.get(W.steam)!;
    const b = store.warehouses.get(W.spotify)!;
    const names = [a.name, b.name] as const;
    a.name = b.name = 'Twin';
    try {
      const f = join(dir.dir, 'x.txt');
      writeFileSync(f, 'X\n');
      for (const args of [
        ['warehouses', 'get', 'Twin'],
        ['warehouses', 'diff', 'Twin', f],
      ]) {
        const r = await piped(args, { env: env() });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^error: "Twin" names 2 warehouses: \w+ \(Twin\), \w+ \(Twin\)\n/);
        expect(r.stderr).toContain(W.steam);
        expect(r.stderr).toContain(W.spotify);
      }
    } finally {
      a.name = names[0];
      b.name = names[1];
    }
  });

  it('diff of a pool that does not exist: exit 4 naming it', async () => {
    const f = join(dir.dir, 'y.txt');
    writeFileSync(f, 'Y\n');
    const r = await piped(['warehouses', 'diff', 'Nope pool', f], { env: env() });
    expect(r).toEqual({
      code: 4,
      stdout: '',
      stderr:
        'error: no warehouse with the id or name "Nope pool"\nhint: astrosell warehouses list shows them\n',
    });
  });
});
