// `keys add` checks the key with one read before storing it. A key the
// service refuses is never stored (exit 3); when the service cannot say
// (unreachable, 429, 5xx) nothing is stored either, the exit code is the
// read's own and the hint names `--no-verify`, which stores the key offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runners, stripAnsi } from '../cli/guard.js';
import { hurriedClock, tempDir } from '../helpers/cli.js';
import { closeAll, fakeService, jsonAnswer } from '../helpers/fake-service.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const WRONG = 'nsk_test_wrongwrongwrong0000';
const OFFLINE = 'nsk_live_offlineoffline00001';
let shop: TestShop;
let cfg: { dir: string; cleanup: () => void };
const { piped, tty } = runners(() => [shop.key, WRONG, OFFLINE]);

beforeAll(async () => {
  shop = await startTestShop({ empty: true });
});
afterAll(async () => {
  await shop.close();
  await closeAll();
});
beforeEach(() => {
  cfg = tempDir();
});
afterEach(() => cfg.cleanup());

const env = () => ({ ASTROSELL_CONFIG_DIR: cfg.dir });
const file = () => join(cfg.dir, 'config.json');
const stored = () =>
  existsSync(file())
    ? (JSON.parse(readFileSync(file(), 'utf8')) as {
        defaultProfile?: string;
        profiles: Record<string, { key: string; baseUrl?: string }>;
      })
    : undefined;
/** What `error:` and `hint:` say, ANSI codes removed. */
const said = (stderr: string) => stripAnsi(stderr).trimEnd().split('\n');

describe('keys add checks the key first', () => {
  it('a key the service refuses: exit 3, not stored, not made the default', async () => {
    const host = new URL(shop.sandbox.url).host;
    for (const run of [piped, tty]) {
      for (const input of [WRONG, 'hello']) {
        const r = await run(['keys', 'add', 'ci', '--base-url', shop.sandbox.url], {
          env: env(),
          input,
        });
        expect(r.code, r.stderr).toBe(3);
        expect(r.stdout).toBe('');
        expect(said(r.stderr)).toEqual([
          `error: ${host} refused the key (Invalid or revoked API key); it was not stored`,
          'hint: check that the whole key was pasted, and that it is for this base URL (--base-url)',
        ]);
        expect(stored()).toBeUndefined();
      }
    }
    const j = await piped(['keys', 'add', 'ci', '--base-url', shop.sandbox.url, '--json'], {
      env: env(),
      input: WRONG,
    });
    expect(j).toMatchObject({ code: 3, stdout: '' });
  });

  it('a refused key leaves the profile it would replace as it was', async () => {
    const add = (input: string) =>
      piped(['keys', 'add', 'shop', '--base-url', shop.sandbox.url], { env: env(), input });
    expect((await add(shop.key)).code).toBe(0);
    expect((await add(WRONG)).code).toBe(3);
    expect(stored()?.profiles.shop?.key).toBe(shop.key);
    expect((await piped(['products', 'list'], { env: env() })).code).toBe(0);
  });

  it('the check is one read with the new key, at the profile’s base URL', async () => {
    const service = await fakeService(jsonAnswer(200, []));
    const r = await piped(['keys', 'add', 'ci', '--base-url', service.url, '--json'], {
      env: env(),
      input: OFFLINE,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'ci', verified: true });
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0]).toMatchObject({
      method: 'GET',
      url: '/api/v1/orders?limit=1',
      headers: { authorization: `Bearer ${OFFLINE}` },
    });
  });

  it.each([
    ['rate limited (429)', 429, 5],
    ['failing (503)', 503, 1],
  ])('a service %s: its exit code, not stored, --no-verify hinted', async (_what, status, code) => {
    const service = await fakeService(jsonAnswer(status, { error: 'not now' }));
    const r = await piped(['keys', 'add', 'ci', '--base-url', service.url], {
      env: env(),
      input: OFFLINE,
      clock: hurriedClock,
    });
    expect(r.code, r.stderr).toBe(code);
    const [error, hint] = said(r.stderr).filter((l) => /^(error|hint):/.test(l));
    expect(error).toMatch(
      new RegExp(`^error: could not check the key at 127\\.0\\.0\\.1:${service.port}: .*not now`),
    );
    expect(error).toMatch(/; it was not stored$/);
    expect(hint).toBe('hint: add --no-verify to store it without checking');
    expect(stored()).toBeUndefined();
  });

  it('a service that cannot be reached: exit 6, not stored; --no-verify stores it unchecked', async () => {
    const down = 'http://127.0.0.1:9/api/v1';
    const r = await piped(['keys', 'add', 'ci', '--base-url', down], {
      env: { ...env(), ASTROSELL_MAX_RETRIES: '0' },
      input: OFFLINE,
    });
    expect(r.code, r.stderr).toBe(6);
    expect(said(r.stderr).at(-1)).toBe('hint: add --no-verify to store it without checking');
    expect(stored()).toBeUndefined();

    const offline = await piped(['keys', 'add', 'ci', '--base-url', down, '--no-verify'], {
      env: env(),
      input: OFFLINE,
    });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toContain(
      'Added profile "ci" (nsk_live_…0001, not checked), the default.',
    );
    expect(stored()).toEqual({
      defaultProfile: 'ci',
      profiles: { ci: { key: OFFLINE, baseUrl: down } },
    });
    const j = await piped(['keys', 'add', 'ci', '--base-url', down, '--no-verify', '--json'], {
      env: env(),
      input: OFFLINE,
    });
    expect(JSON.parse(j.stdout)).toMatchObject({ replaced: true, verified: false });
  });

  it('a base URL that is not the API: exit 4, not stored, the hint asks about the URL', async () => {
    const wrongPath = `${shop.sandbox.url.replace(/\/api\/v1$/, '')}/v2`;
    const r = await piped(['keys', 'add', 'ci', '--base-url', wrongPath], {
      env: env(),
      input: shop.key,
    });
    expect(r.code, r.stderr).toBe(4);
    expect(said(r.stderr).at(-1)).toBe(
      `hint: is ${wrongPath} the API's base URL (ending in /api/v1)? Or add --no-verify to store the key without checking`,
    );
    expect(stored()).toBeUndefined();
  });

  it('without --base-url, the key is checked where commands go now (ASTROSELL_BASE_URL)', async () => {
    const r = await piped(['keys', 'add', 'ci'], {
      env: { ...env(), ASTROSELL_BASE_URL: shop.sandbox.url },
      input: shop.key,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`checked at ${new URL(shop.sandbox.url).host}`);
    const refused = await piped(['keys', 'add', 'other'], {
      env: { ...env(), ASTROSELL_BASE_URL: shop.sandbox.url },
      input: WRONG,
    });
    expect(refused.code).toBe(3);
  });
});
