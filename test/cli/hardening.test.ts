// The CLI against misbehaving services of the test's own (test/helpers/
// fake-service.ts) and typical operator mistakes: keys never printed, every
// wait bounded, every mistake named with its exit code.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runBin, runMain, runTerminal, tempDir } from '../helpers/cli.js';
import {
  closeAll,
  connectProxy,
  fakeService,
  httpsFront,
  jsonAnswer,
  refusingPort,
  throwAwayCert,
} from '../helpers/fake-service.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { checkRun } from './guard.js';

const KEY = 'nsk_live_4f9a1c2e7b3d5a6f8e0c1b2a';
/** Another profile's key, stored but not in use, and not `nsk_`-shaped: only known keys catch it. */
const STORED = 'legacy-7d1e5c9a0b3f2e4d6c8a';
/** Shaped like a key, known to nobody: masked all the same. */
const STRANGER = 'nsk_test_99887766554433221100aabb';
const SECRETS = [KEY, STORED, STRANGER];

afterEach(closeAll);

function cfg(profiles: Record<string, { key: string; baseUrl?: string }>, def?: string) {
  const t = tempDir();
  writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ defaultProfile: def, profiles }), {
    mode: 0o600,
  });
  return t;
}

describe('a key the service echoes back is masked', () => {
  const echo = `Invalid or revoked API key: ${KEY} (also seen: ${STORED}, ${STRANGER})`;
  let conf: ReturnType<typeof cfg>;
  beforeAll(() => {
    conf = cfg({ live: { key: KEY }, old: { key: STORED } }, 'live');
  });
  afterAll(() => conf.cleanup());

  const cases: Array<[string, string[], number]> = [
    ['products list', ['products', 'list'], 3],
    ['keys status', ['keys', 'status'], 3],
    ['keys status --json', ['keys', 'status', '--json'], 3],
    ['api', ['api', 'GET', '/products'], 3],
    [
      'create on a 400',
      ['products', 'create', '--title', 'x', '--price', '1', '--type', 'service', '--no-input'],
      2,
    ],
  ];
  for (const [name, args, code] of cases) {
    for (const verbose of [false, true]) {
      it(`${name}${verbose ? ' --verbose' : ''}: stdout, stderr, trace and stack`, async () => {
        const status = name.startsWith('create') ? 400 : 401;
        const srv = await fakeService(jsonAnswer(status, { error: echo }));
        const argv = [...args, ...(verbose ? ['--verbose'] : [])];
        const r = checkRun(
          argv,
          // In-process (what mutation testing sees); one case as a real process too.
          await (name === 'products list' && verbose ? runBin : runMain)(argv, {
            env: {
              ASTROSELL_CONFIG_DIR: conf.dir,
              ASTROSELL_BASE_URL: srv.url,
              ASTROSELL_MAX_RETRIES: '0',
            },
          }),
          SECRETS,
        );
        expect(r.code).toBe(code);
        expect(srv.requests.length).toBeGreaterThan(0);
        const all = r.stdout + r.stderr;
        expect(all).toContain('Invalid or revoked API key: nsk_live_…1b2a');
        expect(all).toContain('nsk_test_…aabb');
        expect(all).toContain('…4f6c8a'.slice(-4)); // the stored key, as its last four only
        if (verbose) expect(r.stderr).toMatch(/^\s+at /m); // the stack trace is there, masked
        if (name === 'api') expect(r.stdout).toContain('nsk_live_…1b2a');
      });
    }
  }

  it('a key given in ASTROSELL_API_KEY, of any shape and stored nowhere, is masked when echoed', async () => {
    const envKey = 'envkey-0a1b2c3d4e5f6a7b';
    const srv = await fakeService(
      jsonAnswer(401, { error: `Invalid or revoked API key: ${envKey}` }),
    );
    const r = checkRun(
      ['products', 'list'],
      await runMain(['products', 'list'], {
        env: {
          ASTROSELL_CONFIG_DIR: conf.dir,
          ASTROSELL_BASE_URL: srv.url,
          ASTROSELL_API_KEY: envKey,
          ASTROSELL_MAX_RETRIES: '0',
        },
      }),
      [envKey],
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Invalid or revoked API key: …6a7b');
  });

  it('a key split across two chunks of a streamed --json body is masked too', async () => {
    const srv = await fakeService((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[{"id":"a","note":"${KEY.slice(0, 13)}`);
      setTimeout(() => res.end(`${KEY.slice(13)}"}]`), 50);
    });
    const r = checkRun(
      ['products', 'list', '--json'],
      await runMain(['products', 'list', '--json'], {
        env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url },
      }),
      SECRETS,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[{"id":"a","note":"nsk_live_…1b2a"}]\n');
  });
});

describe('a key typed as a flag is refused without repeating it', () => {
  for (const flag of ['--api-key=', '--key=', '--token=', '--apikey=']) {
    it(`${flag}…`, async () => {
      const srv = await fakeService(jsonAnswer(200, []));
      const argv = ['products', 'list', `${flag}${KEY}`];
      const r = checkRun(
        argv,
        await runMain(argv, { env: { ASTROSELL_BASE_URL: srv.url, ASTROSELL_API_KEY: KEY } }),
        [...SECRETS, KEY.slice(9)],
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: ${flag.slice(0, -1)} is not an option`);
      expect(r.stderr).toMatch(/keys add.*ASTROSELL_API_KEY/);
      expect(srv.requests).toHaveLength(0);
    });
  }

  it('as two words (--api-key VALUE) too', async () => {
    const argv = ['--api-key', KEY, 'orders', 'list'];
    const r = checkRun(argv, await runMain(argv), SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--api-key is not an option');
  });
});

describe('URLs with credentials', () => {
  it('are refused before anything is sent, and never printed whole', async () => {
    const srv = await fakeService(jsonAnswer(200, []));
    const withCreds = srv.url.replace('://', '://operator:hunter2secret@');
    for (const [argv, env] of [
      [['products', 'list', '--base-url', withCreds], {}],
      [['products', 'list'], { ASTROSELL_BASE_URL: withCreds }],
      [['keys', 'add', 'x', '--base-url', withCreds], {}],
    ] as Array<[string[], Record<string, string>]>) {
      const conf = tempDir();
      const r = checkRun(
        argv,
        await runMain(argv, {
          env: { ASTROSELL_API_KEY: KEY, ASTROSELL_CONFIG_DIR: conf.dir, ...env },
          input: `${KEY}\n`,
        }),
        [...SECRETS, 'hunter2secret', 'operator'],
      );
      conf.cleanup();
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('contains a user name or password');
    }
    expect(srv.requests).toHaveLength(0);
  });
});

describe('bounded waits and sizes', () => {
  /** Headers at once, then one byte a second, for ever. */
  const drip = () =>
    fakeService((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const t = setInterval(() => res.write(' '), 1000);
      res.on('close', () => clearInterval(t));
    });

  for (const json of [false, true]) {
    it(`--timeout bounds the whole body${json ? ' (streamed --json)' : ''}: exit 6, not a hang`, async () => {
      const srv = await drip();
      const argv = ['products', 'list', '--timeout', '1', ...(json ? ['--json'] : [])];
      // No bound on the time: without the whole-request timeout the drip never ends and the test's own timeout fails it.
      const r = checkRun(
        argv,
        await runMain(argv, {
          env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url, ASTROSELL_MAX_RETRIES: '0' },
          timeoutMs: 15_000,
        }),
        SECRETS,
      );
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /error: timed out after 1s talking to 127\.0\.0\.1:\d+ \(the whole request/,
      );
    });
  }

  it('piped --json streams a huge pool in bounded memory, byte for byte', async () => {
    const chunk = Buffer.from(`${'"SERIAL-0123456789-abcdefghij",'.repeat(2000)}\n`);
    const rounds = 1200; // ~72 MB, well above the heap allowed below
    const hash = createHash('sha256');
    const srv = await fakeService((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const head = Buffer.from('{"id":"w1","items":[');
      hash.update(head);
      res.write(head);
      let i = 0;
      const pump = () => {
        while (i < rounds) {
          i++;
          hash.update(chunk);
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        const tail = Buffer.from('"last"]}\n');
        hash.update(tail);
        res.end(tail);
      };
      pump();
    });
    const out = tempDir();
    const file = join(out.dir, 'pool.json');
    const fd = openSync(file, 'w');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'warehouses', 'get', 'w1', '--json'], {
        env: cleanEnv({
          ASTROSELL_API_KEY: KEY,
          ASTROSELL_BASE_URL: srv.url,
          // Far less than the body: holding it as a string would run out of heap.
          NODE_OPTIONS: '--max-old-space-size=40',
        }),
        stdio: ['ignore', fd, 'inherit'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    closeSync(fd);
    expect(code).toBe(0);
    expect(statSync(file).size).toBe(20 + rounds * chunk.length + 9);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash.digest('hex'));
    out.cleanup();
  }, 90_000);

  it('a table of an enormous answer fails clearly above 64 MiB (declared length)', async () => {
    const srv = await fakeService((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(65 * 2 ** 20),
      });
      res.write('{"id":"w1","items":[');
    });
    const r = checkRun(
      ['warehouses', 'get', 'w1'],
      await runMain(['warehouses', 'get', 'w1'], {
        env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url },
      }),
      SECRETS,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: the answer from /api/v1/warehouses/w1 is larger than 64 MiB',
    );
    expect(r.stderr).toContain('hint: pass --json');
  });

  it('… and as it arrives, when no length is declared', async () => {
    const piece = Buffer.alloc(2 ** 20, 0x20);
    const srv = await fakeService((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const pump = () => {
        while (sent < 80 && !res.destroyed) {
          sent++;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const r = checkRun(
      ['warehouses', 'get', 'w1'],
      await runMain(['warehouses', 'get', 'w1'], {
        env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url },
      }),
      SECRETS,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is larger than 64 MiB');
  });
});

describe('config files of the wrong shape are named', () => {
  const shapes: Array<[string, string, RegExp]> = [
    ['profiles an array', '{"profiles":[]}', /"profiles" is an array/],
    ['the file null', 'null', /holds null, not an object/],
    [
      'a default that names no profile',
      '{"defaultProfile":"gone","profiles":{"a":{"key":"nsk_test_aaaaaaaaaaaa"}}}',
      /defaultProfile "gone" names no profile/,
    ],
  ];
  for (const [what, text, message] of shapes) {
    it(`${what}: exit 1 naming the file`, async () => {
      const t = tempDir();
      const file = join(t.dir, 'config.json');
      writeFileSync(file, text, { mode: 0o600 });
      const r = checkRun(
        ['products', 'list'],
        await runMain(['products', 'list'], { env: { ASTROSELL_CONFIG_DIR: t.dir } }),
        SECRETS,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: config file ${file}`);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('no API key configured');
      expect(readFileSync(file, 'utf8')).toBe(text);
      t.cleanup();
    });
  }

  it('a config file that is a symlink is refused, left as it was, target untouched', async () => {
    const t = tempDir();
    const target = join(t.dir, 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ profiles: { a: { key: KEY } } }), { mode: 0o644 });
    const cfgDir = join(t.dir, 'cfg');
    const link = join(cfgDir, 'config.json');
    mkdirSync(cfgDir, { mode: 0o700 });
    symlinkSync(target, link);
    for (const argv of [
      ['keys', 'list'],
      ['keys', 'add', 'b'],
    ]) {
      const r = checkRun(
        argv,
        await runMain(argv, { env: { ASTROSELL_CONFIG_DIR: cfgDir }, input: `${KEY}\n` }),
        SECRETS,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: config file ${link} is a symbolic link (to ${target})`);
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ profiles: { a: { key: KEY } } });
    t.cleanup();
  });
});

describe('proxy settings', () => {
  it('HTTPS_PROXY=garbage: says HTTPS_PROXY is not a URL (exit 2), sends nothing', async () => {
    const r = checkRun(
      ['products', 'list'],
      await runMain(['products', 'list'], {
        env: {
          ASTROSELL_API_KEY: KEY,
          ASTROSELL_BASE_URL: 'https://api.astrosell.test/api/v1',
          HTTPS_PROXY: 'garbage',
        },
      }),
      SECRETS,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: HTTPS_PROXY is not a URL');
  });

  it('a proxy that refuses connections is named as the proxy, not the target', async () => {
    const port = await refusingPort();
    const r = checkRun(
      ['products', 'list'],
      await runMain(['products', 'list'], {
        env: {
          ASTROSELL_API_KEY: KEY,
          ASTROSELL_BASE_URL: 'https://api.astrosell.test/api/v1',
          HTTPS_PROXY: `http://127.0.0.1:${port}`,
          ASTROSELL_MAX_RETRIES: '0',
        },
      }),
      SECRETS,
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(
      `error: cannot reach api.astrosell.test: the proxy 127.0.0.1:${port} (HTTPS_PROXY) refused the connection`,
    );
  });
});

describe('a 3xx answer is never followed', () => {
  const cases: Array<[string, string[]]> = [
    ['products list', ['products', 'list']],
    ['api', ['api', 'GET', '/products']],
    ['products list --json', ['products', 'list', '--json']],
    [
      'products create',
      ['products', 'create', '--title', 'x', '--price', '1', '--type', 'service', '--no-input'],
    ],
  ];
  for (const [name, argv] of cases) {
    it(`${name}: exit 1 naming the redirect and where it points`, async () => {
      const srv = await fakeService((_req, res) => {
        res.writeHead(301, { location: 'https://collector.example/steal?from=astrosell' }).end();
      });
      const r = checkRun(
        argv,
        await runMain(argv, { env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url } }),
        SECRETS,
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'error: the service answered HTTP 301, a redirect (to https://collector.example/steal?from=astrosell); not followed',
      );
      expect(srv.requests).toHaveLength(1);
    });
  }
});

describe('text from the service on a terminal', () => {
  it('drops bidirectional overrides and zero-width characters, as it drops escapes', async () => {
    const srv = await fakeService(
      jsonAnswer(200, [
        {
          id: 'p1',
          title: 'Gift\u202Edrac\u202C \u200Bcard\u2066x\u2069\uFEFF \u001b[31mred',
          price: 5,
          currency: 'USD',
          stockCount: 3,
          createdAt: '2024-01-01T00:00:00Z',
        },
      ]),
    );
    const r = await runTerminal(['products', 'list'], {
      env: { ASTROSELL_API_KEY: KEY, ASTROSELL_BASE_URL: srv.url },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Giftdrac cardx [31mred');
    expect(r.stdout).not.toMatch(/[\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/);
  });
});

describe('HTTPS through a CONNECT proxy, for real', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('a TLS tunnel to a local HTTPS front of the sandbox, trusted via NODE_EXTRA_CA_CERTS', async () => {
    const host = 'api.astrosell.test';
    const tls = throwAwayCert(host);
    const front = await httpsFront(shop.sandbox.url, tls);
    const proxy = await connectProxy(() => front.port);
    const r = checkRun(
      ['products', 'list', '--json'],
      await runBin(['products', 'list', '--json'], {
        env: {
          ASTROSELL_API_KEY: shop.key,
          ASTROSELL_BASE_URL: `https://${host}/api/v1`,
          HTTPS_PROXY: proxy.url,
          NODE_EXTRA_CA_CERTS: tls.certFile,
        },
      }),
      [shop.key],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).length).toBe(shop.sandbox.store.products.size);
    expect(proxy.seen).toEqual([`CONNECT ${host}:443 auth=no`]);
    expect(front.requests).toBe(1);
  });
});
