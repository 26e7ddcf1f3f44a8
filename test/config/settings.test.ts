import { describe, expect, it } from 'vitest';
import {
  checkBaseUrl,
  DEFAULT_BASE_URL,
  isLoopbackHost,
  maskKey,
  resolveSettings,
} from '../../src/config/settings.js';
import type { Profile, ProfileStore } from '../../src/config/store.js';
import { UsageError } from '../../src/errors.js';

function fakeStore(profiles: Record<string, Profile>, def?: string): ProfileStore {
  return {
    path: '/x/config.json',
    dir: '/x',
    warnings: [],
    list: () =>
      Object.entries(profiles).map(([name, profile]) => ({
        name,
        profile,
        isDefault: name === def,
      })),
    get: (n) => profiles[n],
    defaultName: () => def,
    set: () => ({ replaced: false }),
    remove: () => false,
    setDefault: () => false,
  };
}

const STORE = fakeStore(
  {
    live: { key: 'nsk_live_profilelive00000001', baseUrl: 'https://live.example/api/v1' },
    ci: { key: 'nsk_test_profileci0000000002' },
  },
  'live',
);

async function resolve(
  flags: { profile?: string; baseUrl?: string },
  env: NodeJS.ProcessEnv,
  store: ProfileStore = STORE,
) {
  let opened = 0;
  const s = await resolveSettings({
    flags,
    env,
    openStore: async () => {
      opened++;
      return store;
    },
  });
  return { ...s, opened };
}

describe('resolveSettings: flag > env > profile > default', () => {
  const FLAG_URL = 'https://flag.example/api/v1';
  const ENV_URL = 'https://env.example/api/v1';
  const ENV_KEY = 'nsk_live_fromenvironment0003';

  // Every combination of: --profile, ASTROSELL_PROFILE, --base-url,
  // ASTROSELL_BASE_URL, ASTROSELL_API_KEY.
  const cases: Array<[boolean, boolean, boolean, boolean, boolean]> = [];
  for (let i = 0; i < 32; i++) {
    cases.push([Boolean(i & 1), Boolean(i & 2), Boolean(i & 4), Boolean(i & 8), Boolean(i & 16)]);
  }
  it.each(cases)(
    'flagProfile=%s envProfile=%s flagUrl=%s envUrl=%s envKey=%s',
    async (flagProfile, envProfile, flagUrl, envUrl, envKey) => {
      const env: NodeJS.ProcessEnv = {};
      if (envProfile) env.ASTROSELL_PROFILE = 'live';
      if (envUrl) env.ASTROSELL_BASE_URL = ENV_URL;
      if (envKey) env.ASTROSELL_API_KEY = ENV_KEY;
      const flags = {
        profile: flagProfile ? 'ci' : undefined,
        baseUrl: flagUrl ? FLAG_URL : undefined,
      };
      const s = await resolve(flags, env);

      // The store is read only when something is left open or a profile is named.
      const covered = envKey && (flagUrl || envUrl) && !flagProfile && !envProfile;
      const profile = flagProfile ? 'ci' : covered ? undefined : 'live';
      expect(s.profile).toBe(profile);
      expect(s.profileSource).toBe(
        flagProfile ? 'flag' : envProfile ? 'env' : covered ? 'none' : 'default',
      );

      const stored: Profile = profile ? STORE.get(profile)! : {};
      expect(s.apiKey).toBe(envKey ? ENV_KEY : stored.key);
      expect(s.apiKeySource).toBe(envKey ? 'env' : 'profile');

      const expectedUrl = flagUrl
        ? FLAG_URL
        : envUrl
          ? ENV_URL
          : (stored.baseUrl ?? DEFAULT_BASE_URL);
      expect(s.baseUrl).toBe(expectedUrl);
      expect(s.baseUrlSource).toBe(
        flagUrl ? 'flag' : envUrl ? 'env' : stored.baseUrl ? 'profile' : 'default',
      );
      expect(s.opened).toBe(covered ? 0 : 1);
    },
  );

  it('never opens the store when the environment covers everything (CI)', async () => {
    let opened = false;
    const s = await resolveSettings({
      flags: {},
      env: { ASTROSELL_API_KEY: 'nsk_live_x', ASTROSELL_BASE_URL: 'https://a.example/api/v1' },
      openStore: async () => {
        opened = true;
        throw new Error('must not be opened');
      },
    });
    expect(opened).toBe(false);
    expect(s).toMatchObject({
      profile: undefined,
      profileSource: 'none',
      apiKeySource: 'env',
      baseUrlSource: 'env',
    });
  });

  it('falls back to the default URL and no key with an empty store', async () => {
    const s = await resolve({}, {}, fakeStore({}));
    expect(s).toMatchObject({
      profile: undefined,
      profileSource: 'none',
      apiKey: undefined,
      apiKeySource: 'none',
      baseUrl: DEFAULT_BASE_URL,
      baseUrlSource: 'default',
    });
  });

  it('ignores blank environment values', async () => {
    const s = await resolve(
      {},
      { ASTROSELL_API_KEY: '  ', ASTROSELL_BASE_URL: '', ASTROSELL_PROFILE: '' },
    );
    expect(s.apiKeySource).toBe('profile');
    expect(s.baseUrlSource).toBe('profile');
    expect(s.profileSource).toBe('default');
  });

  it('refuses a named profile that does not exist, even when env covers the rest', async () => {
    const run = resolve(
      { profile: 'typo' },
      { ASTROSELL_API_KEY: 'nsk_live_x', ASTROSELL_BASE_URL: 'https://a.example/api/v1' },
    );
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow('profile "typo" not found');
    await expect(resolve({}, { ASTROSELL_PROFILE: 'nope' })).rejects.toThrow(/not found/);
  });

  it('names the config file when its default points at no profile (exit 1, not "no key")', async () => {
    const run = resolve({}, {}, fakeStore({ live: { key: 'nsk_live_x' } }, 'gone'));
    await expect(run).rejects.toMatchObject({ exitCode: 1 });
    await expect(run).rejects.toThrow(
      'config file /x/config.json: defaultProfile "gone" names no profile',
    );
  });
});

describe('checkBaseUrl', () => {
  it('accepts https anywhere', () => {
    expect(checkBaseUrl('https://api.astrosell.io/api/v1').host).toBe('api.astrosell.io');
    expect(checkBaseUrl('https://10.0.0.5:8443/api/v1').port).toBe('8443');
  });
  it('accepts plain http to loopback: 127.0.0.0/8, ::1, localhost', () => {
    for (const u of [
      'http://127.0.0.1:4010/api/v1',
      'http://127.1.2.3/api/v1',
      'http://[::1]:4010/api/v1',
      'http://localhost:4010/api/v1',
      'http://LOCALHOST/api/v1',
    ]) {
      expect(() => checkBaseUrl(u)).not.toThrow();
    }
  });
  it('refuses plain http anywhere else, with a usage error (exit 2)', () => {
    for (const u of [
      'http://api.astrosell.io/api/v1',
      'http://10.0.0.5/api/v1',
      'http://192.168.1.10:4010/api/v1',
      'http://128.0.0.1/api/v1',
      'http://localhost.evil.example/api/v1',
      'http://dev.localhost/api/v1',
      'http://[::2]/api/v1',
    ]) {
      let err: unknown;
      try {
        checkBaseUrl(u);
      } catch (e) {
        err = e;
      }
      expect(err, u).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as Error).message).toContain('plain HTTP');
    }
  });
  it('refuses other schemes and garbage', () => {
    expect(() => checkBaseUrl('ftp://api.astrosell.io')).toThrow(/unsupported base URL scheme/);
    expect(() => checkBaseUrl('api.astrosell.io/api/v1')).toThrow(/invalid base URL/);
  });
  it('isLoopbackHost', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});

describe('maskKey', () => {
  it('keeps the prefix and the last four characters', () => {
    expect(maskKey('nsk_live_4f9a8b7c6d5e4f3a2b1cabcd')).toBe('nsk_live_…abcd');
    expect(maskKey('nsk_test_0123456789abcdef')).toBe('nsk_test_…cdef');
    expect(maskKey('  nsk_0123456789abcdefwxyz ')).toBe('nsk_…wxyz');
  });
  it('shows no prefix for keys of another shape', () => {
    expect(maskKey('sk_live_0123456789abcdef')).toBe('…cdef');
  });
  it('never shows a short key whole', () => {
    for (const k of ['nsk_live_abcd', 'nsk_test_12345678', 'abc', 'nsk_', '']) {
      const m = maskKey(k);
      const secret = k.replace(/^nsk_([a-z]+_)?/, '');
      if (secret) expect(m).not.toContain(secret);
    }
    expect(maskKey('nsk_live_abcd')).toBe('nsk_live_…');
  });
  it('never reveals more than 4 characters of the secret part', () => {
    const key = 'nsk_live_SECRETPART1234567890';
    const m = maskKey(key);
    expect(m.replace('nsk_live_…', '')).toHaveLength(4);
  });
});
