// A new key for an existing profile (`keys add NAME` again) keeps the
// profile's base URL unless --base-url says otherwise: a sandbox profile
// must never start sending its key to the production default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

describe('keys add on an existing profile', () => {
  it('keeps its base URL when none is given, replaces it when one is', async () => {
    const cfg = tempDir();
    try {
      const env = { ASTROSELL_CONFIG_DIR: cfg.dir };
      // Yesterday's key, long since replaced at the service: stored without a check.
      const first = await runMain(
        ['keys', 'add', 'shop', '--base-url', shop.sandbox.url, '--no-verify'],
        { env, input: 'nsk_test_old000000000000\n' },
      );
      expect(first.code, first.stderr).toBe(0);
      // The new key is checked where the profile points, the sandbox.
      const rotated = await runMain(['keys', 'add', 'shop', '--json'], {
        env,
        input: `${shop.key}\n`,
      });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(JSON.parse(rotated.stdout)).toMatchObject({
        name: 'shop',
        baseUrl: shop.sandbox.url,
        replaced: true,
        verified: true,
      });
      // The new key is used against the same sandbox.
      const list = await runMain(['products', 'list', '--json', '--profile', 'shop'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);

      const moved = await runMain(
        ['keys', 'add', 'shop', '--base-url', 'http://127.0.0.1:9/api/v1', '--json', '--no-verify'],
        { env, input: `${shop.key}\n` },
      );
      expect(JSON.parse(moved.stdout)).toMatchObject({ baseUrl: 'http://127.0.0.1:9/api/v1' });
      // A brand-new profile without --base-url has none.
      const fresh = await runMain(['keys', 'add', 'other', '--json', '--no-verify'], {
        env,
        input: 'nsk_test_new000000000000\n',
      });
      expect(JSON.parse(fresh.stdout)).toMatchObject({ baseUrl: null, replaced: false });
    } finally {
      cfg.cleanup();
    }
  });
});
