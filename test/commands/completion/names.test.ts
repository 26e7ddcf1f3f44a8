// Completion of product and warehouse references: ids and names from a cache
// under the config folder, fresh for a few minutes; a tab press never waits
// on the network for more than about a second.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { FRESH_MS } from '../../../src/commands/completion/names.js';
import { DEMO } from '../../../src/sandbox/index.js';
import { BIN, runMain, tempDir } from '../../helpers/cli.js';
import { holdServer } from '../../helpers/hold-server.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

let now = Date.parse('2026-06-10T12:00:00.000Z');
const clock: Clock = { now: () => now, sleep: async () => {} };
const names = async (noun: string, env: Record<string, string>) => {
  const r = await runMain(['__names', noun], { env, clock });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
};

describe('astrosell __names', () => {
  it('warehouses: each id with its name, each name with its id', async () => {
    const out = await names('warehouses', shop.env);
    expect(out).toContain(`${DEMO.warehouses.netflix}\tNetflix pool\n`);
    expect(out).toContain(`Netflix pool\t${DEMO.warehouses.netflix}\n`);
  });

  it('products: ids, slugs and titles', async () => {
    const out = (await names('products', shop.env)).split('\n').map((l) => l.split('\t')[0]);
    expect(out).toEqual(
      expect.arrayContaining([DEMO.products.steam20, 'steam-gift-card-20', 'Steam Gift Card $20']),
    );
  });

  it('answers from the cache while it is fresh, and reads the list again after', async () => {
    const cfg = tempDir();
    const env = { ...shop.env, ASTROSELL_CONFIG_DIR: cfg.dir };
    const w = shop.sandbox.store.warehouses.get(DEMO.warehouses.steam)!;
    const name = w.name;
    try {
      expect(await names('warehouses', env)).toContain('Steam Gift Card $20\t');
      w.name = 'Renamed pool';
      now += FRESH_MS - 1000;
      expect(await names('warehouses', env)).toContain('Steam Gift Card $20\t');
      now += 2000;
      expect(await names('warehouses', env)).toContain('Renamed pool\t');
    } finally {
      w.name = name;
      cfg.cleanup();
    }
  });

  it('a service that does not answer: about a second, then the stale cache (or nothing)', async () => {
    let answered = false;
    const slow = await holdServer((_req, res) => {
      // The first list is answered; every later request hangs.
      if (answered) return;
      answered = true;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ id: 'w1', name: 'Cached pool' }]));
    });
    const cfg = tempDir();
    const env = { ...shop.env, ASTROSELL_BASE_URL: slow.url, ASTROSELL_CONFIG_DIR: cfg.dir };
    try {
      expect(await names('warehouses', env)).toBe('w1\tCached pool\nCached pool\tw1\n');
      now += FRESH_MS;
      const t0 = Date.now();
      expect(await names('warehouses', env)).toBe('w1\tCached pool\nCached pool\tw1\n');
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(2500);
      const empty = tempDir();
      expect(await names('warehouses', { ...env, ASTROSELL_CONFIG_DIR: empty.dir })).toBe('');
      empty.cleanup();
    } finally {
      await slow.close();
      cfg.cleanup();
    }
  });

  it('no key, or a noun it does not know: nothing, exit 0, no error', async () => {
    const cfg = tempDir();
    const env = { ASTROSELL_BASE_URL: shop.sandbox.url, ASTROSELL_CONFIG_DIR: cfg.dir };
    expect(await names('warehouses', env)).toBe('');
    expect(await names('orders', shop.env)).toBe('');
    cfg.cleanup();
  });
});

describe('what bash offers, through the built CLI', () => {
  it('ids and names where a product or warehouse goes, names quoted for the shell', async () => {
    const dir = tempDir();
    const script = join(dir.dir, 'astrosell.bash');
    writeFileSync(script, (await runMain(['completion', 'bash'])).stdout);
    // Not execFileSync: the sandbox answers from this process, which must not block.
    const complete = async (line: string) => {
      const words = line.split(' ');
      const program = [
        `astrosell() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }`,
        `source ${JSON.stringify(script)}`,
        `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_astrosell',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${…}
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const { ASTROSELL_BASE_URL, ASTROSELL_API_KEY } = shop.env;
      const { stdout } = await promisify(execFile)(
        'bash',
        ['--norc', '--noprofile', '-c', program],
        {
          env: {
            PATH: process.env.PATH,
            ASTROSELL_BASE_URL,
            ASTROSELL_API_KEY,
            ASTROSELL_CONFIG_DIR: dir.dir,
          },
          encoding: 'utf8',
        },
      );
      return stdout.split('\n').filter(Boolean);
    };
    try {
      expect(await complete('astrosell warehouses get Net')).toEqual(['Netflix\\ pool']);
      // The helper the scripts call is not offered as a command.
      expect(await complete('astrosell _')).toEqual([]);
      expect(
        (await complete('astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b80')).sort(),
      ).toEqual(Object.values(DEMO.warehouses).sort());
      expect(await complete('astrosell products get steam')).toEqual(['steam-gift-card-20']);
      expect(await complete('astrosell products get Steam')).toEqual([
        'Steam\\ Gift\\ Card\\ \\$20',
      ]);
      expect(await complete('astrosell orders list --product netflix-premium-3')).toEqual([
        'netflix-premium-3-months',
      ]);
      expect(await complete('astrosell products create --warehouse Spo')).toEqual([
        'Spotify\\ Family\\ pool',
      ]);
      // A --base-url on the line is the shop asked: here one that answers nothing.
      expect(
        await complete('astrosell --base-url http://127.0.0.1:9/api/v1 warehouses get Net'),
      ).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });
});
