// warehouses create on a terminal: the seed-file prompt takes a blank answer
// ("blank for none"), and Ctrl-C there cancels instead of creating the pool.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';
import { typeInto } from '../../helpers/typing.js';

describe('warehouses create, prompting', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop({ empty: true });
  });
  afterAll(() => shop.close());

  it('a blank seed file answer creates the pool empty', async () => {
    const r = await typeInto(['warehouses', 'create'], shop.env, [
      [/Name/, 'Pool A\r'],
      [/blank for none/, '\r'],
      [/Create this warehouse\?/, '\r'],
    ]);
    expect(r.stderr).not.toContain('You must provide a value');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pool A');
    expect([...shop.sandbox.store.warehouses.values()].map((w) => w.name)).toContain('Pool A');
  });

  it('Ctrl-C at the seed file prompt cancels: exit 130, nothing created', async () => {
    const before = shop.sandbox.store.warehouses.size;
    const r = await typeInto(['warehouses', 'create'], shop.env, [
      [/Name/, 'Pool B\r'],
      [/blank for none/, '\u0003'],
    ]);
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(shop.sandbox.store.warehouses.size).toBe(before);
  });

  it('a seed file typed at the prompt as ~/… is read from the home folder', async () => {
    const home = tempDir();
    try {
      writeFileSync(join(home.dir, 'codes.txt'), 'H-1\nH-2\n');
      const r = await typeInto(['warehouses', 'create'], { ...shop.env, HOME: home.dir }, [
        [/Name/, 'Home pool\r'],
        [/blank for none/, '~/codes.txt\r'],
        [/Create this warehouse\?/, '\r'],
      ]);
      expect(r.code, r.stderr).toBe(0);
      const pool = [...shop.sandbox.store.warehouses.values()].find((w) => w.name === 'Home pool');
      expect(pool?.pool.list()).toEqual(['H-1', 'H-2']);
    } finally {
      home.cleanup();
    }
  });

  it('a wrong path at the prompt is asked again, the name kept; the review shows the command line', async () => {
    const home = tempDir();
    try {
      writeFileSync(join(home.dir, 'codes.txt'), 'R-1\n');
      const r = await typeInto(['warehouses', 'create'], { ...shop.env, HOME: home.dir }, [
        [/Name/, 'Retry pool\r'],
        [/blank for none/, '~/code.txt\r'],
        // Ctrl-U clears the line, as in a shell.
        [/no such file/, '\u0015~/codes.txt\r'],
        [/Create this warehouse\?/, '\r'],
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`no such file: ${join(home.dir, 'code.txt')}`);
      expect(r.stderr).toContain(
        `astrosell warehouses create --name 'Retry pool' --stock-file ${join(home.dir, 'codes.txt')}\n`,
      );
      const pool = [...shop.sandbox.store.warehouses.values()].find((w) => w.name === 'Retry pool');
      expect(pool?.pool.list()).toEqual(['R-1']);
    } finally {
      home.cleanup();
    }
  });

  it('no at the review: exit 130, nothing created', async () => {
    const before = shop.sandbox.store.warehouses.size;
    const r = await typeInto(['warehouses', 'create'], shop.env, [
      [/Name/, 'Not this\r'],
      [/blank for none/, '\r'],
      [/Create this warehouse\?/, 'n\r'],
    ]);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/error:.* cancelled: no warehouse was created\n/);
    expect(shop.sandbox.store.warehouses.size).toBe(before);
  });
});
