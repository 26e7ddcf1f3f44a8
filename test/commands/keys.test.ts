// Profiles end to end: keys add (stdin) → list → status → use → remove, with
// the config file's modes, and the key never printed whole.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runners, stripAnsi } from '../cli/guard.js';
import { tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
let cfg: { dir: string; cleanup: () => void };
const OTHER = 'nsk_live_otherkey0000000000zzzz';
const { piped, tty } = runners(() => [shop.key, OTHER]);

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());
beforeEach(() => {
  cfg = tempDir();
});
afterEach(() => cfg.cleanup());

/** No key or base URL in the environment: only the profile store speaks. */
const env = (extra: Record<string, string> = {}) => ({ ASTROSELL_CONFIG_DIR: cfg.dir, ...extra });
const mode = (p: string) => statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

describe('keys', () => {
  it('add from stdin, list, status, use, remove', async () => {
    const add = await piped(['keys', 'add', 'sandbox', '--base-url', shop.sandbox.url], {
      env: env(),
      input: `${shop.key}\n`,
    });
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('');
    expect(add.stderr).toContain('Added profile "sandbox" (nsk_test_…');
    expect(add.stderr).toContain('the default');
    expect(add.stderr).not.toContain('warning');

    const file = join(cfg.dir, 'config.json');
    if (posix) {
      expect(mode(file)).toBe(0o600);
      expect(mode(cfg.dir)).toBe(0o700);
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      defaultProfile: 'sandbox',
      profiles: { sandbox: { key: shop.key, baseUrl: shop.sandbox.url } },
    });

    // The profile now drives read commands.
    expect((await piped(['coupons', 'list'], { env: env() })).code).toBe(0);

    // Stored offline: a profile for the production service, never called from a test.
    const second = await piped(['keys', 'add', 'live', '--no-verify'], {
      env: env(),
      input: OTHER,
    });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('the default');

    const list = await piped(['keys', 'list'], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(
      `\tlive\tnsk_live_…zzzz\thttps://api.astrosell.io/api/v1 (default)\n*\tsandbox\tnsk_test_…${shop.key.slice(-4)}\t${shop.sandbox.url}\n`,
    );
    const listJson = await piped(['keys', 'list', '--json'], { env: env() });
    expect(JSON.parse(listJson.stdout)).toEqual({
      default: 'sandbox',
      profiles: [
        { name: 'live', key: 'nsk_live_…zzzz', baseUrl: null, default: false },
        {
          name: 'sandbox',
          key: `nsk_test_…${shop.key.slice(-4)}`,
          baseUrl: shop.sandbox.url,
          default: true,
        },
      ],
    });
    const listTty = await tty(['keys', 'list'], { env: { ...env(), NO_COLOR: '1' } });
    expect(listTty.stdout).toMatch(/^DEFAULT\s+NAME\s+KEY\s+BASE URL$/m);
    expect(listTty.stdout).toMatch(/^\*\s+sandbox\s+nsk_test_…/m);

    const status = await piped(['keys', 'status', '--json'], { env: env() });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      profile: 'sandbox',
      profileSource: 'default',
      key: `nsk_test_…${shop.key.slice(-4)}`,
      keySource: 'profile',
      baseUrl: shop.sandbox.url,
      baseUrlSource: 'profile',
      verified: true,
    });

    const use = await piped(['keys', 'use', 'live'], { env: env() });
    expect(use.code).toBe(0);
    expect(use.stderr).toBe('"live" is now the default profile.\n');
    expect(JSON.parse(readFileSync(file, 'utf8')).defaultProfile).toBe('live');

    const missing = await piped(['keys', 'use', 'nope'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('known profiles: live, sandbox');

    const rm = await piped(['keys', 'remove', 'live'], { env: env() });
    expect(rm.code).toBe(0);
    expect(rm.stderr).toContain('There is no default profile now');
    // Nothing quietly talks to the remaining profile's shop.
    const after = await piped(['products', 'list'], { env: env() });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('no default profile: pass -p <name>');
    expect((await piped(['keys', 'remove', 'live'], { env: env() })).code).toBe(2);
    if (posix) expect(mode(file)).toBe(0o600);
  });

  it('status says where each setting came from: flag, env, profile', async () => {
    await piped(['keys', 'add', 'sandbox', '--base-url', shop.sandbox.url], {
      env: env(),
      input: shop.key,
    });
    const r = await piped(['keys', 'status', '--base-url', shop.sandbox.url, '-p', 'sandbox'], {
      env: env({ ASTROSELL_API_KEY: shop.key }),
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'profile\tsandbox  (from flag)',
      `key\tnsk_test_…${shop.key.slice(-4)}  (from env)`,
      `base url\t${shop.sandbox.url}  (from flag)`,
      'status\tOK — the key works',
    ]);
    const t = await tty(['keys', 'status'], {
      env: env({ ASTROSELL_PROFILE: 'sandbox', NO_COLOR: '1' }),
    });
    expect(t.stdout).toMatch(/^profile: +sandbox {2}\(from env\)$/m);
    expect(t.stdout).toMatch(/^key: +nsk_test_…\w{4} {2}\(from profile\)$/m);
    expect(t.stdout).toMatch(/^status: +OK — the key works$/m);
  });

  it('status reports an invalid or revoked key with exit 3', async () => {
    const own = await startTestShop();
    try {
      await piped(['keys', 'add', 'x', '--base-url', own.sandbox.url], {
        env: env(),
        input: own.key,
      });
      own.sandbox.revokeKey(own.key);
      const r = await piped(['keys', 'status'], { env: env() });
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('status\tinvalid or revoked (Invalid or revoked API key)');
      expect(r.stdout).not.toContain(own.key);
      expect(r.stderr).toBe('error: Invalid or revoked API key\n');
      const j = await piped(['keys', 'status', '--json'], { env: env() });
      expect(JSON.parse(j.stdout)).toMatchObject({
        verified: false,
        error: 'Invalid or revoked API key',
      });
      // --json changes stdout only: the failure still has its one error line.
      expect(j.code).toBe(3);
      expect(j.stderr).toBe('error: Invalid or revoked API key\n');
    } finally {
      await own.close();
    }
  });

  it('status with no key at all: exit 3 and the hint', async () => {
    const r = await piped(['keys', 'status'], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('key\t(none)');
    expect(r.stderr).toBe(
      'error: no API key configured\nhint: run `astrosell keys add <name>`, or set ASTROSELL_API_KEY\n',
    );
  });

  it('--no-verify warns about a key that does not look like an AstroSell key, and stores it', async () => {
    const r = await piped(['keys', 'add', 'odd', '--no-verify'], {
      env: env(),
      input: 'sk_live_notanastrosellkey',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: AstroSell keys start with "nsk_"');
    expect(r.stderr).not.toContain('sk_live_notanastrosellkey');
  });

  it('never takes a key as a flag value', async () => {
    const r = await piped(['keys', 'add', 'ci', '--key', OTHER], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: --key is not an option: an API key is never passed as a flag',
    );
    expect(r.stderr).toContain('keys add');
  });

  it('refuses empty input, several lines, spaces and bad names: exit 2, no prompt', async () => {
    for (const [args, input, msg] of [
      [['keys', 'add', 'ci'], '', 'the key is empty'],
      [['keys', 'add', 'ci'], 'nsk_a\nnsk_b\n', 'several lines'],
      [['keys', 'add', 'ci'], 'nsk_a b', 'spaces'],
      [['keys', 'add', '../evil'], OTHER, 'invalid profile name'],
      [['keys', 'add', 'ci', '--base-url', 'http://example.com/api/v1'], OTHER, 'plain HTTP'],
    ] as const) {
      const r = await piped([...args], { env: env(), input });
      expect(r.code, msg).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).not.toContain('API key for profile');
    }
  });

  it('a key given as the profile name is refused, and never stored or shown as a name', async () => {
    const r = await piped(['keys', 'add', OTHER], { env: env(), input: OTHER });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like an API key');
    // …nor echoed when passed where a profile name goes.
    for (const args of [
      ['-p', OTHER, 'coupons', 'list'],
      ['keys', 'use', OTHER],
      ['keys', 'remove', OTHER],
    ]) {
      const e = await piped(args, { env: env() });
      expect(e.code, args.join(' ')).toBe(2);
      expect(e.stderr).toContain('profile "nsk_live_…zzzz" not found');
    }
    const list = await piped(['keys', 'list', '--json'], { env: env() });
    expect(list.stdout).not.toContain('otherkey');
  });

  it('a BOM and CRLF from a Windows pipe are removed', async () => {
    await piped(['keys', 'add', 'win', '--no-verify'], {
      env: env(),
      input: `\uFEFF${OTHER}\r\n`,
    });
    const stored = JSON.parse(readFileSync(join(cfg.dir, 'config.json'), 'utf8'));
    expect(stored.profiles.win.key).toBe(OTHER);
  });

  it('reads stdin (no prompt) when stdin is not a terminal, even if stderr is', async () => {
    const r = await tty(['keys', 'add', 'ci', '--no-verify'], {
      env: env(),
      input: OTHER,
      stdinTTY: false,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('API key for profile');
  });

  it('on a terminal with --no-input, names what to do instead of prompting', async () => {
    const r = await tty(['keys', 'add', 'ci', '--no-input'], { env: env(), stdinTTY: true });
    expect(r.code).toBe(2);
    expect(stripAnsi(r.stderr)).toContain('error: no key given: pipe it on standard input');
    expect(r.stderr).toContain('| astrosell keys add ci');
  });

  it('--json results for add, use and remove', async () => {
    const add = await piped(['keys', 'add', 'ci', '--json', '--no-verify'], {
      env: env(),
      input: OTHER,
    });
    expect(JSON.parse(add.stdout)).toEqual({
      name: 'ci',
      key: 'nsk_live_…zzzz',
      baseUrl: null,
      default: true,
      replaced: false,
      verified: false,
    });
    const again = await piped(['keys', 'add', 'ci', '--json', '--no-verify'], {
      env: env(),
      input: OTHER,
    });
    expect(JSON.parse(again.stdout).replaced).toBe(true);
    expect(
      JSON.parse((await piped(['keys', 'use', 'ci', '--json'], { env: env() })).stdout),
    ).toEqual({ default: 'ci' });
    expect(
      JSON.parse((await piped(['keys', 'remove', 'ci', '--json'], { env: env() })).stdout),
    ).toEqual({
      removed: 'ci',
      default: null,
    });
  });

  it('a corrupt config is a clear error naming the file, never wiped', async () => {
    const file = join(cfg.dir, 'config.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"profiles":', { mode: 0o600 });
    for (const args of [
      ['keys', 'list'],
      ['keys', 'add', 'x'],
      ['products', 'list'],
    ]) {
      const r = await piped(args, { env: env(), input: OTHER });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: config file ${file} is not valid JSON`);
      expect(readFileSync(file, 'utf8')).toBe('{"profiles":');
    }
  });

  it.runIf(posix)('a config others can read is fixed, with a warning', async () => {
    await piped(['keys', 'add', 'ci', '--no-verify'], { env: env(), input: OTHER });
    const { chmodSync } = await import('node:fs');
    const file = join(cfg.dir, 'config.json');
    chmodSync(file, 0o644);
    const r = await piped(['keys', 'list'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: config file ${file} was readable by others (mode 644)`);
    expect(mode(file)).toBe(0o600);
  });
});
