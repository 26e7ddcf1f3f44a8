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
      ]);
      expect(r.code, r.stderr).toBe(0);
      const pool = [...shop.sandbox.store.warehouses.values()].find((w) => w.name === 'Home pool');
      expect(pool?.pool.list()).toEqual(['H-1', 'H-2']);
    } finally {
      home.cleanup();
    }
  });
});
