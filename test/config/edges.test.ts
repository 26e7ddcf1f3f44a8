// Settings and the profile store at their edges: every refusal with the
// message and hint the user reads.
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkBaseUrl,
  isLoopbackHost,
  maskKey,
  profileLabel,
  resolveSettings,
  withoutCredentials,
} from '../../src/config/settings.js';
import {
  defaultConfigDir,
  openProfileStore,
  type ProfileStore,
  securePermissions,
} from '../../src/config/store.js';
import { CliError, UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  while (dirs.length) dirs.pop()!();
});
function fresh(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return join(t.dir, 'astrosell');
}
const posix = process.platform !== 'win32';

async function storeWith(text: string | null): Promise<{ dir: string; file: string }> {
  const dir = fresh();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'config.json');
  if (text !== null) writeFileSync(file, text, { mode: 0o600 });
  return { dir, file };
}

async function failure(p: Promise<unknown>): Promise<CliError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

function fakeStore(
  profiles: Record<string, { key?: string; baseUrl?: string }>,
  def?: string,
): ProfileStore {
  return {
    path: '/cfg/config.json',
    dir: '/cfg',
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

describe('resolveSettings refusals', () => {
  const open = (s: ProfileStore) => () => Promise.resolve(s);

  it('a default that names no profile: exit 1, the profiles to choose from, or how to add one', async () => {
    const e = await failure(
      resolveSettings({ flags: {}, env: {}, openStore: open(fakeStore({ a: {}, b: {} }, 'gone')) }),
    );
    expect(e.kind).toBe('failure');
    expect(e.message).toBe('config file /cfg/config.json: defaultProfile "gone" names no profile');
    expect(e.hint).toBe('run `astrosell keys use <name>` (profiles: a, b)');
    const none = await failure(
      resolveSettings({ flags: {}, env: {}, openStore: open(fakeStore({}, 'gone')) }),
    );
    expect(none.hint).toBe('add one with `astrosell keys add <name>`');
  });

  it('a named profile that does not exist: exit 2, the known ones, or how to add one', async () => {
    const e = await failure(
      resolveSettings({
        flags: { profile: 'x' },
        env: {},
        openStore: open(fakeStore({ a: {}, b: {} })),
      }),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('profile "x" not found');
    expect(e.hint).toBe('known profiles: a, b');
    const none = await failure(
      resolveSettings({
        flags: {},
        env: { ASTROSELL_PROFILE: 'x' },
        openStore: open(fakeStore({})),
      }),
    );
    expect(none.hint).toBe('add one with `astrosell keys add <name>`');
  });

  it('a default profile that exists is used, and its settings come from it', async () => {
    const s = await resolveSettings({
      flags: {},
      env: {},
      openStore: open(
        fakeStore({ a: { key: 'nsk_test_a', baseUrl: 'http://127.0.0.1:1/api/v1' } }, 'a'),
      ),
    });
    expect(s).toEqual({
      profile: 'a',
      profileSource: 'default',
      apiKey: 'nsk_test_a',
      apiKeySource: 'profile',
      baseUrl: 'http://127.0.0.1:1/api/v1',
      baseUrlSource: 'profile',
    });
  });

  it('ASTROSELL_BASE_URL is trimmed; blank counts as unset', async () => {
    const opened: string[] = [];
    const openStore = () => {
      opened.push('x');
      return Promise.resolve(fakeStore({}));
    };
    const s = await resolveSettings({
      flags: {},
      env: { ASTROSELL_API_KEY: 'nsk_test_k', ASTROSELL_BASE_URL: '  http://127.0.0.1:9/api/v1 ' },
      openStore,
    });
    expect(s.baseUrl).toBe('http://127.0.0.1:9/api/v1');
    expect(opened).toEqual([]);
    const blank = await resolveSettings({
      flags: {},
      env: { ASTROSELL_API_KEY: 'nsk_test_k', ASTROSELL_BASE_URL: '   ' },
      openStore,
    });
    expect(blank.baseUrlSource).toBe('default');
    expect(opened).toHaveLength(1);
  });
});

describe('base URLs', () => {
  it('loopback: localhost, ::1 and 127.x.y.z (one to three digits each), nothing else', () => {
    for (const h of [
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
      '127.0.0.1',
      '127.10.200.3',
      '127.0.0.255',
    ])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of [
      '127.0.0.1000',
      '127.0.0.1.example.com',
      'x127.0.0.1',
      '127.0.1',
      'api.localhost',
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('refusals, each with its message', () => {
    const refused = (raw: string) => {
      try {
        checkBaseUrl(raw);
      } catch (e) {
        return e as UsageError;
      }
      throw new Error(`accepted ${raw}`);
    };
    const bad = refused('not a url');
    expect(bad.message).toBe('invalid base URL "not a url"');
    expect(bad.hint).toBe('expected something like https://api.astrosell.io/api/v1');
    for (const raw of [
      'https://user:pw@h.example/api/v1',
      'https://user@h.example/api/v1',
      'https://:pw@h.example/api/v1',
    ]) {
      const e = refused(raw);
      expect(e.message).toBe(
        'the base URL https://…@h.example/api/v1 contains a user name or password; refusing to use it',
      );
      expect(e.hint).toMatch(/^remove the `user:password@` part/);
    }
    expect(refused('ftp://h.example/').message).toBe(
      'unsupported base URL scheme "ftp:" in ftp://h.example/; use https://',
    );
    expect(checkBaseUrl('http://127.0.0.1:4010/api/v1').port).toBe('4010');
  });

  it('withoutCredentials hides user and password, with or without a scheme', () => {
    expect(withoutCredentials('https://u:p@h/x')).toBe('https://…@h/x');
    expect(withoutCredentials('u:p@h/x')).toBe('…@h/x');
    expect(withoutCredentials('git+ssh://u@h')).toBe('git+ssh://…@h');
    expect(withoutCredentials('https://h/x?a=b@c')).toBe('https://h/x?a=b@c');
    expect(withoutCredentials('https://h/p@x')).toBe('https://h/p@x');
    expect(withoutCredentials('1https://u@h')).toBe('1https://u@h');
    expect(withoutCredentials('a b@h')).toBe('a b@h');
  });
});

describe('keys in messages', () => {
  it('profileLabel masks a key typed as a name (even with spaces around it), and only then', () => {
    expect(profileLabel('  nsk_live_abcdefghijklmnop')).toBe('nsk_live_…mnop');
    expect(profileLabel('NSK_live_abcdefghijklmnop')).toBe('NSK_live_…mnop');
    expect(profileLabel('my-nsk_profile')).toBe('my-nsk_profile');
  });

  it('maskKey shows the last four only when twelve or more characters follow the prefix', () => {
    expect(maskKey('nsk_live_abcdefghijkl')).toBe('nsk_live_…ijkl');
    expect(maskKey('nsk_live_abcdefghijk')).toBe('nsk_live_…');
    expect(maskKey('nsk_abcdefghijkl')).toBe('nsk_…ijkl');
    expect(maskKey('xnsk_live_abcdefghijkl')).toBe('…ijkl');
  });
});

describe('the profile store refuses a file it cannot trust, and leaves it untouched', () => {
  const cases: Array<[string, string]> = [
    ['null', 'holds null'],
    ['[]', 'holds an array'],
    ['5', 'holds a number'],
    ['"x"', 'holds a string'],
    ['{"profiles": null}', '"profiles" is null'],
    ['{"profiles": []}', '"profiles" is an array'],
    ['{"profiles": 3}', '"profiles" is a number'],
    ['{"defaultProfile": 3}', '"defaultProfile" is not a profile name (a string)'],
  ];
  it.each(cases)('%s: %s', async (text, what) => {
    const { dir, file } = await storeWith(text);
    const e = await failure(openProfileStore(dir));
    expect(e.kind).toBe('failure');
    expect(e.message).toMatch(
      new RegExp(`^config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `),
    );
    expect(e.message).toContain(what);
    expect(e.message).toMatch(/; fix or move it away — it was left untouched$/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a profile whose key is not a string', async () => {
    const { dir } = await storeWith('{"profiles": {"ci": {"key": 5}}}');
    const e = await failure(openProfileStore(dir));
    expect(e.message).toMatch(/profile "ci" is not an object with string "key" and "baseUrl"/);
    expect(e.kind).toBe('failure');
  });

  it('not JSON: the parser’s first line, and exit 1', async () => {
    const { dir, file } = await storeWith('{oops');
    const e = await failure(openProfileStore(dir));
    expect(e.kind).toBe('failure');
    expect(e.message).toMatch(/^config file .* is not valid JSON \(.+\); fix or move it away/);
    expect(e.cause).toBeDefined();
    expect(readFileSync(file, 'utf8')).toBe('{oops');
  });

  it.runIf(posix)(
    'a config file that is a symbolic link is refused, naming its target',
    async () => {
      const { dir, file } = await storeWith(null);
      const target = join(dir, 'real.json');
      writeFileSync(target, '{}', { mode: 0o600 });
      symlinkSync(target, file);
      const e = await failure(openProfileStore(dir));
      expect(e.kind).toBe('failure');
      expect(e.message.startsWith(`config file ${file} is a symbolic link (to ${target}); `)).toBe(
        true,
      );
      expect(e.hint).toMatch(/^replace the link with the file itself, or set ASTROSELL_CONFIG_DIR/);
    },
  );

  it('a folder that cannot be made: exit 1 naming it and why', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    writeFileSync(join(t.dir, 'file'), 'x');
    const e = await failure(openProfileStore(join(t.dir, 'file', 'astrosell')));
    expect(e.kind).toBe('failure');
    expect(e.message).toMatch(/^cannot use config folder .*file[/\\]astrosell: /);
    expect(e.cause).toBeDefined();
  });
});

describe('the profile store keeps its promises', () => {
  it('removing the default profile leaves no default; removing another keeps it', async () => {
    const s = await openProfileStore(fresh());
    s.set('a', { key: 'nsk_test_a' });
    s.set('b', { key: 'nsk_test_b' });
    expect(s.defaultName()).toBe('a');
    expect(s.remove('b')).toBe(true);
    expect(s.defaultName()).toBe('a');
    expect(s.remove('a')).toBe(true);
    expect(s.defaultName()).toBeUndefined();
    expect(s.remove('a')).toBe(false);
    // The next profile added becomes the default again; the file says so.
    s.set('c', { key: 'nsk_test_c' });
    expect(s.defaultName()).toBe('c');
    expect(JSON.parse(readFileSync(s.path, 'utf8'))).toEqual({
      profiles: { c: { key: 'nsk_test_c' } },
      defaultProfile: 'c',
    });
  });

  it('a default naming a removed profile is replaced by the next one set', async () => {
    const { dir } = await storeWith('{"profiles": {}, "defaultProfile": "gone"}');
    const s = await openProfileStore(dir);
    s.set('n', { key: 'nsk_test_n' });
    expect(s.defaultName()).toBe('n');
  });

  it('the file is read as it is on disk, dotted names kept whole', async () => {
    const { dir } = await storeWith(
      '{"profiles": {"a.b": {"key": "nsk_test_ab"}}, "defaultProfile": "a.b"}',
    );
    const s = await openProfileStore(dir);
    expect(s.get('a.b')).toEqual({ key: 'nsk_test_ab' });
    expect(s.list().map((p) => p.name)).toEqual(['a.b']);
  });

  it.runIf(posix)('loading the store leaves no signal handler behind', async () => {
    const before = process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
    await openProfileStore(fresh());
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(before);
  });

  it.runIf(posix)(
    'securePermissions tightens a folder and file others can read, and says so',
    () => {
      const dir = fresh();
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      const file = join(dir, 'config.json');
      writeFileSync(file, '{}', { mode: 0o644 });
      chmodSync(dir, 0o755);
      chmodSync(file, 0o644);
      const w = securePermissions(dir, file);
      expect(w).toEqual([
        `config folder ${dir} was accessible by others (mode 755); changed to 700`,
        `config file ${file} was readable by others (mode 644); changed to 600 — consider rotating the keys it holds`,
      ]);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(securePermissions(dir, join(dir, 'missing.json'))).toEqual([]);
    },
  );
});

describe('the platform config folder', () => {
  it('Windows: APPDATA, else the roaming folder under home', () => {
    expect(defaultConfigDir({ APPDATA: '/appdata' }, 'win32')).toBe(
      join('/appdata', 'astrosell', 'Config'),
    );
    expect(defaultConfigDir({}, 'win32')).toBe(
      join(homedir(), 'AppData', 'Roaming', 'astrosell', 'Config'),
    );
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(
      join(homedir(), '.config', 'astrosell'),
    );
  });
});
