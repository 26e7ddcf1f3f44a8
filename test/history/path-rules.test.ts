// Where the order history lives (docs/history.md, "The file"): one file per
// shop under <config folder>/history/, named after the profile when the key
// comes from one, else after the base URL; `--db FILE` names another file.
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedSettings } from '../../src/config/settings.js';
import { defaultHistoryPath } from '../../src/history/path.js';
import { runMain, tempDir } from '../helpers/cli.js';

const CONFIG = join('/home', 'op', '.config', 'astrosell');
const FOLDER = join(CONFIG, 'history');

const byProfile = (profile: string): ResolvedSettings => ({
  profile,
  profileSource: 'flag',
  apiKey: 'nsk_test_x',
  apiKeySource: 'profile',
  baseUrl: 'https://api.example.com',
  baseUrlSource: 'default',
});
const byEnvKey = (baseUrl: string, profile?: string): ResolvedSettings => ({
  profile,
  profileSource: profile === undefined ? 'none' : 'flag',
  apiKey: 'nsk_test_x',
  apiKeySource: 'env',
  baseUrl,
  baseUrlSource: 'env',
});
const fileOf = (s: ResolvedSettings) => defaultHistoryPath(CONFIG, s);

describe('where the history file lives', () => {
  it('a key from a profile: profile-<name>.sqlite in the history folder beside config.json', () => {
    expect(fileOf(byProfile('default'))).toBe(join(FOLDER, 'profile-default.sqlite'));
    expect(fileOf(byProfile('eu-shop_2.test'))).toBe(join(FOLDER, 'profile-eu-shop_2.test.sqlite'));
  });

  it('a profile name a file system may refuse: still one file in the history folder, recognisable, one per name', () => {
    const names = ['a/b', 'a:b', 'a  b', 'a\\b', '../a b', 'a b -', 'https://a b'];
    const files = names.map((n) => fileOf(byProfile(n)));
    for (const f of files) {
      expect(dirname(f)).toBe(FOLDER);
      expect(basename(f)).toMatch(/^profile-a-b-[0-9a-f]+\.sqlite$/);
    }
    expect(new Set(files).size).toBe(names.length);
  });

  it('a profile name with nothing readable in it still gets a file of its own', () => {
    const files = ['///', '...', '---'].map((n) => fileOf(byProfile(n)));
    for (const f of files) expect(basename(f)).toMatch(/^profile-x-[0-9a-f]+\.sqlite$/);
    expect(new Set(files).size).toBe(3);
  });

  it('a key from the environment: url-<host-port-path>-<hash>.sqlite, whatever the profile', () => {
    const f = fileOf(byEnvKey('http://127.0.0.1:8080/api/v2'));
    expect(dirname(f)).toBe(FOLDER);
    expect(basename(f)).toMatch(/^url-127\.0\.0\.1-8080-api-v2-[0-9a-f]+\.sqlite$/);
    expect(fileOf(byEnvKey('http://127.0.0.1:8080/api/v2', 'default'))).toBe(f);
    // A profile source without a profile name cannot name the file either.
    expect(
      fileOf({ ...byProfile('x'), profile: undefined, baseUrl: 'http://127.0.0.1:8080/api/v2' }),
    ).toBe(f);
  });

  it('one base URL is one file, trailing slashes or not; two shops never share one', () => {
    const f = fileOf(byEnvKey('https://shop.example.com'));
    expect(fileOf(byEnvKey('https://shop.example.com/'))).toBe(f);
    expect(fileOf(byEnvKey('https://shop.example.com//'))).toBe(f);
    const others = [
      'http://shop.example.com',
      'https://shop.example.com/api',
      'https://shop.example.com:8443',
      'https://shop-example.com',
    ].map((u) => fileOf(byEnvKey(u)));
    expect(new Set([f, ...others]).size).toBe(5);
    for (const o of others) expect(dirname(o)).toBe(FOLDER);
  });
});

describe('--db', () => {
  it('an empty --db is a usage error, on sync and on the readers', async () => {
    for (const args of [
      ['orders', 'sync', '--db', ''],
      ['orders', 'list', '--history', '--db', '  '],
    ]) {
      const cfg = tempDir('astrosell-db-flag-');
      try {
        const r = await runMain(args, {
          env: {
            ASTROSELL_API_KEY: 'nsk_test_0000000000000000',
            ASTROSELL_BASE_URL: 'http://127.0.0.1:9',
            ASTROSELL_CONFIG_DIR: cfg.dir,
          },
        });
        expect(r.code).toBe(2);
        expect(r.stderr.split('\n')[0]).toBe('error: --db must not be empty');
      } finally {
        cfg.cleanup();
      }
    }
  });
});
