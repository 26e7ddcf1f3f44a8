// `keys add/list/use/remove/status` in-process, each output line exact:
// masked keys, where each setting came from, the verification outcome
// (works, rejected, unknown, no key) and its exit code. Every profile and
// run points at the local sandbox or a local fake: no request leaves 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskKey } from '../../src/config/settings.js';
import { hurriedClock, type MainOptions, runMain, tempDir } from '../helpers/cli.js';
import { closeAll, fakeService, jsonAnswer } from '../helpers/fake-service.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const KEY = 'nsk_test_abcdefghijklmnop';
const LIVE = 'nsk_live_zzzzzzzzzzzzzzzz';
/** The key `keys status` finds in force. */
const MAIN = 'nsk_test_mainmainmainmain0';

let shop: TestShop;
let host: string;
beforeAll(async () => {
  // The sandbox accepts every key these tests store: `keys add` checks each.
  shop = await startTestShop({ empty: true, keys: [MAIN, KEY, LIVE] });
  host = new URL(shop.sandbox.url).host;
});
afterAll(async () => {
  await shop.close();
  await closeAll();
});

const B = '\u001b[1m';
const b = '\u001b[22m';

/** A fresh config folder per test; runs never inherit a key or URL unless given. */
function config() {
  const d = tempDir();
  const run = (args: string[], opts: MainOptions & { extra?: Record<string, string> } = {}) =>
    runMain(args, { ...opts, env: { ASTROSELL_CONFIG_DIR: d.dir, ...opts.extra } });
  return { dir: d.dir, run, cleanup: d.cleanup };
}

describe('keys add, list, use, remove', () => {
  it('the whole round, each message exact', async () => {
    const c = config();
    try {
      const url = shop.sandbox.url;
      const saved = `Saved in ${c.dir}/config.json`;
      expect(await c.run(['keys', 'list'])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(await c.run(['keys', 'list'], { tty: { stdout: true, stderr: true } })).toEqual({
        code: 0,
        stdout: '',
        stderr: 'No profiles. Add one with `astrosell keys add <name>`.\n',
      });
      expect(await c.run(['keys', 'list', '--json'])).toEqual({
        code: 0,
        stdout: '{\n  "default": null,\n  "profiles": []\n}\n',
        stderr: '',
      });
      // The first profile becomes the default.
      expect(await c.run(['keys', 'add', 'ci', '--base-url', url], { input: `${KEY}\n` })).toEqual({
        code: 0,
        stdout: '',
        stderr: `Added profile "ci" (nsk_test_…mnop, checked at ${host}), the default. ${saved}\n`,
      });
      expect(await c.run(['keys', 'add', 'ci', '--base-url', url], { input: KEY })).toEqual({
        code: 0,
        stdout: '',
        stderr: `Updated profile "ci" (nsk_test_…mnop, checked at ${host}), the default. ${saved}\n`,
      });
      // The global --base-url serves too; a second profile is not the default.
      expect(await c.run(['--base-url', url, 'keys', 'add', 'live'], { input: LIVE })).toEqual({
        code: 0,
        stdout: '',
        stderr: `Added profile "live" (nsk_live_…zzzz, checked at ${host}). ${saved}\n`,
      });
      expect(
        await c.run(['keys', 'add', 'odd', '--base-url', url, '--default', '--no-verify'], {
          input: 'abc',
        }),
      ).toEqual({
        code: 0,
        stdout: '',
        stderr: `warning: AstroSell keys start with "nsk_"; stored anyway\nAdded profile "odd" (…, not checked), the default. ${saved}\n`,
      });
      expect(await c.run(['keys', 'list'])).toEqual({
        code: 0,
        stdout: `\tci\tnsk_test_…mnop\t${url}\n\tlive\tnsk_live_…zzzz\t${url}\n*\todd\t…\t${url}\n`,
        stderr: '',
      });
      expect(JSON.parse((await c.run(['keys', 'list', '--json'])).stdout)).toEqual({
        default: 'odd',
        profiles: [
          { name: 'ci', key: 'nsk_test_…mnop', baseUrl: url, default: false },
          { name: 'live', key: 'nsk_live_…zzzz', baseUrl: url, default: false },
          { name: 'odd', key: '…', baseUrl: url, default: true },
        ],
      });
      expect(await c.run(['keys', 'use', 'nope'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: profile "nope" not found\nhint: known profiles: ci, live, odd\n',
      });
      expect(await c.run(['keys', 'use', 'ci'])).toEqual({
        code: 0,
        stdout: '',
        stderr: '"ci" is now the default profile.\n',
      });
      expect(await c.run(['keys', 'use', 'ci', '--json'])).toEqual({
        code: 0,
        stdout: '{\n  "default": "ci"\n}\n',
        stderr: '',
      });
      // Not the default: a short message.
      expect(await c.run(['keys', 'remove', 'live'])).toEqual({
        code: 0,
        stdout: '',
        stderr: 'Removed profile "live".\n',
      });
      // The default, with others left: how to pick another.
      expect(await c.run(['keys', 'remove', 'ci'])).toEqual({
        code: 0,
        stdout: '',
        stderr:
          'Removed profile "ci". There is no default profile now: pick one with `astrosell keys use <name>` (odd).\n',
      });
      expect(await c.run(['keys', 'remove', 'odd', '--json'])).toEqual({
        code: 0,
        stdout: '{\n  "removed": "odd",\n  "default": null\n}\n',
        stderr: '',
      });
      expect(await c.run(['keys', 'remove', 'odd'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: profile "odd" not found\n',
      });
      expect(await c.run(['keys', 'use', 'x'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: profile "x" not found\nhint: add one with `astrosell keys add <name>`\n',
      });
    } finally {
      c.cleanup();
    }
  });

  it('the last default removed alone: no advice about others', async () => {
    const c = config();
    try {
      await c.run(['keys', 'add', 'solo', '--base-url', shop.sandbox.url], { input: KEY });
      expect(await c.run(['keys', 'remove', 'solo'])).toEqual({
        code: 0,
        stdout: '',
        stderr: 'Removed profile "solo".\n',
      });
    } finally {
      c.cleanup();
    }
  });

  it('--json for add: masked key, base URL, default, replaced', async () => {
    const c = config();
    try {
      const url = shop.sandbox.url;
      expect(
        await c.run(['keys', 'add', 'a', '--base-url', url, '--json'], { input: KEY }),
      ).toEqual({
        code: 0,
        stdout: `${JSON.stringify({ name: 'a', key: 'nsk_test_…mnop', baseUrl: url, default: true, replaced: false, verified: true }, null, 2)}\n`,
        stderr: '',
      });
      expect(
        JSON.parse(
          (await c.run(['keys', 'add', 'a', '--base-url', url, '--json'], { input: KEY })).stdout,
        ),
      ).toEqual({
        name: 'a',
        key: 'nsk_test_…mnop',
        baseUrl: url,
        default: true,
        replaced: true,
        verified: true,
      });
    } finally {
      c.cleanup();
    }
  });

  it('profile names: 64 characters at most, starting with a letter or digit; a key as a name is refused', async () => {
    const c = config();
    try {
      const url = shop.sandbox.url;
      const ok = `a${'b'.repeat(63)}`;
      expect((await c.run(['keys', 'add', ok, '--base-url', url], { input: KEY })).code).toBe(0);
      for (const bad of [`${ok}c`, '.hidden', '_x', 'a b', 'ü']) {
        expect(await c.run(['keys', 'add', bad, '--base-url', url], { input: KEY })).toEqual({
          code: 2,
          stdout: '',
          stderr: `error: invalid profile name "${bad}": use letters, digits, '.', '_' or '-'\n`,
        });
      }
      const r = await c.run(['keys', 'add', 'NSK_live_x', '--base-url', url], { input: KEY });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'error: the profile name looks like an API key; refusing to store it as a name\nhint: name the profile (e.g. `astrosell keys add live`) and give the key at the prompt or on stdin; consider rotating that key\n',
      });
    } finally {
      c.cleanup();
    }
  });

  it('the key read: empty, several lines, spaces, too large', async () => {
    const c = config();
    try {
      const add = (input: string) =>
        c.run(['keys', 'add', 'k', '--base-url', shop.sandbox.url], { input });
      expect((await add(' \n')).stderr).toBe('error: the key is empty\n');
      expect((await add('nsk_a\nnsk_b\n')).stderr).toBe(
        'error: expected one key on standard input, got several lines\n',
      );
      expect((await add('nsk_a b')).stderr).toBe(
        'error: the key contains spaces; check what was pasted\n',
      );
      const big = await add('x'.repeat(64 * 1024 + 1));
      expect(big).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: standard input is too large to be an API key\n',
      });
      // Exactly at the limit it is read.
      const atLimit = await c.run(['keys', 'add', 'k', '--no-verify'], {
        input: `nsk_${'x'.repeat(64 * 1024 - 4)}`,
      });
      expect(atLimit.code).toBe(0);
    } finally {
      c.cleanup();
    }
  });
});

describe('keys status', () => {
  it('key and URL from the environment: piped lines, OK', async () => {
    const c = config();
    try {
      const r = await c.run(['keys', 'status'], {
        extra: { ASTROSELL_API_KEY: MAIN, ASTROSELL_BASE_URL: shop.sandbox.url },
      });
      expect(r).toEqual({
        code: 0,
        stdout: `profile\t(none)\nkey\t${maskKey(MAIN)}  (from env)\nbase url\t${shop.sandbox.url}  (from env)\nstatus\tOK — the key works\n`,
        stderr: '',
      });
    } finally {
      c.cleanup();
    }
  });

  it('on a terminal: labels, the status in green; --verbose traces the one request', async () => {
    const c = config();
    try {
      const extra = { ASTROSELL_API_KEY: MAIN, ASTROSELL_BASE_URL: shop.sandbox.url };
      const r = await c.run(['keys', 'status'], { extra, tty: { stdout: true, stderr: true } });
      expect(r).toEqual({
        code: 0,
        stdout:
          `${B}profile: ${b} (none)\n${B}key:     ${b} ${maskKey(MAIN)}  (from env)\n` +
          `${B}base url:${b} ${shop.sandbox.url}  (from env)\n${B}status:  ${b} \u001b[32mOK — the key works\u001b[39m\n`,
        stderr: '',
      });
      const v = await c.run(['keys', 'status', '--verbose'], { extra });
      const lines = v.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(
        `> GET ${shop.sandbox.url}/orders?limit=1  (authorization: Bearer ${maskKey(MAIN)})`,
      );
      expect(lines[1]).toMatch(/^< 200 GET \/api\/v1\/orders {2}\(\d+ ms, \d+ bytes\)$/);
      expect(lines).toHaveLength(2);
    } finally {
      c.cleanup();
    }
  });

  it('from a stored profile: the default, a flag, the environment', async () => {
    const c = config();
    try {
      const url = shop.sandbox.url;
      await c.run(['keys', 'add', 'main', '--base-url', url], { input: MAIN });
      const lines = (src: string) =>
        `profile\tmain  (from ${src})\nkey\t${maskKey(MAIN)}  (from profile)\nbase url\t${url}  (from profile)\nstatus\tOK — the key works\n`;
      expect(await c.run(['keys', 'status'])).toEqual({
        code: 0,
        stdout: lines('default'),
        stderr: '',
      });
      expect(await c.run(['keys', 'status', '-p', 'main'])).toEqual({
        code: 0,
        stdout: lines('flag'),
        stderr: '',
      });
      expect(await c.run(['keys', 'status'], { extra: { ASTROSELL_PROFILE: 'main' } })).toEqual({
        code: 0,
        stdout: lines('env'),
        stderr: '',
      });
      expect(JSON.parse((await c.run(['keys', 'status', '--json'])).stdout)).toEqual({
        profile: 'main',
        profileSource: 'default',
        key: maskKey(MAIN),
        keySource: 'profile',
        baseUrl: url,
        baseUrlSource: 'profile',
        verified: true,
      });
    } finally {
      c.cleanup();
    }
  });

  it('a rejected key: "invalid or revoked", verified false, exit 3', async () => {
    const c = config();
    try {
      const extra = {
        ASTROSELL_API_KEY: 'nsk_test_revokedrevoked0000',
        ASTROSELL_BASE_URL: shop.sandbox.url,
      };
      const r = await c.run(['keys', 'status'], { extra });
      expect(r.code).toBe(3);
      const out = r.stdout.split('\n');
      expect(out[3]).toMatch(/^status\tinvalid or revoked \(.+\)$/);
      const j = await c.run(['keys', 'status', '--json'], { extra });
      expect(j.code).toBe(3);
      const body = JSON.parse(j.stdout);
      expect(body.verified).toBe(false);
      expect(out[3]).toBe(`status\tinvalid or revoked (${body.error})`);
      expect(j.stderr.split('\n')[0]).toBe(`error: ${body.error}`);
    } finally {
      c.cleanup();
    }
  });

  it('a service that keeps failing: "unknown: …", verified null, its own exit code', async () => {
    const c = config();
    try {
      const down = await fakeService(jsonAnswer(503, { error: 'down for maintenance' }));
      const extra = { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: down.url };
      const r = await c.run(['keys', 'status', '--json'], { extra, clock: hurriedClock });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ verified: null, key: 'nsk_test_…mnop' });
      const t = await c.run(['keys', 'status'], {
        extra,
        clock: hurriedClock,
        tty: { stdout: true },
      });
      expect(t.code).toBe(1);
      expect(t.stdout.split('\n')[3]).toMatch(
        /^\u001b\[1mstatus: {2}\u001b\[22m \u001b\[31munknown: .*down for maintenance.*\u001b\[39m$/,
      );
    } finally {
      c.cleanup();
    }
  });

  it('no key at all: the report, then exit 3 with the hint (nothing sent)', async () => {
    const c = config();
    try {
      const extra = { ASTROSELL_BASE_URL: shop.sandbox.url };
      expect(await c.run(['keys', 'status'], { extra })).toEqual({
        code: 3,
        stdout: `profile\t(none)\nkey\t(none)\nbase url\t${shop.sandbox.url}  (from env)\nstatus\tunknown: no API key configured\n`,
        stderr:
          'error: no API key configured\nhint: run `astrosell keys add <name>`, or set ASTROSELL_API_KEY\n',
      });
      const j = await c.run(['keys', 'status', '--json'], { extra });
      expect(j.code).toBe(3);
      expect(j.stdout).toBe(
        `${JSON.stringify(
          {
            profile: null,
            profileSource: 'none',
            key: null,
            keySource: 'none',
            baseUrl: shop.sandbox.url,
            baseUrlSource: 'env',
            verified: null,
            error: 'no API key configured',
          },
          null,
          2,
        )}\n`,
      );
    } finally {
      c.cleanup();
    }
  });
});
