// main() and reportError(): the one place that turns outcomes into exit codes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, reportError, SignalReceived } from '../../src/cli.js';
import {
  AuthError,
  CliError,
  ExitCode,
  InterruptedError,
  NotFoundError,
  UsageError,
} from '../../src/errors.js';
import { VERSION } from '../../src/version.js';
import { BIN, cleanEnv, ROOT, runBin, runMain, tempDir } from '../helpers/cli.js';
import { holdServer } from '../helpers/hold-server.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

class Sink extends Writable {
  text = '';
  constructor(public isTTY = false) {
    super();
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

describe('reportError', () => {
  it('prints one error line and the hint, returns the exit code', () => {
    const err = new Sink();
    const code = reportError(
      new AuthError('no API key configured', { hint: 'run `astrosell keys add`' }),
      err,
      false,
      {},
    );
    expect(code).toBe(3);
    expect(err.text).toBe('error: no API key configured\nhint: run `astrosell keys add`\n');
  });

  it('keeps service messages on one line and strips terminal escapes', () => {
    const err = new Sink();
    reportError(new NotFoundError('Product\n  not found\u001b]0;pwned\u0007'), err, false, {});
    expect(err.text).toBe('error: Product not found]0;pwned\n');
  });

  it('a message that ends in a newline (as service bodies often do) is one line with nothing after it', () => {
    const err = new Sink();
    reportError(new NotFoundError('Product not found\n'), err, false, {});
    expect(err.text).toBe('error: Product not found\n');
  });

  it('Ctrl-C is not a failure to debug: no stack trace, even with --verbose', () => {
    const err = new Sink();
    expect(reportError(new InterruptedError(), err, true, {})).toBe(ExitCode.interrupted);
    expect(err.text).toBe('error: interrupted\n');
  });

  it('unexpected errors: exit 1, a hint to use --verbose, no stack', () => {
    const err = new Sink();
    expect(reportError(new TypeError('x is undefined'), err, false, {})).toBe(1);
    expect(err.text).toBe('error: x is undefined\nhint: run again with --verbose for details\n');
    expect(reportError('a string', new Sink(), false, {})).toBe(1);
  });

  it('--verbose adds the stack', () => {
    const err = new Sink();
    reportError(new TypeError('boom'), err, true, {});
    expect(err.text).toMatch(/^error: boom\nTypeError: boom\n\s+at /);
  });

  it('an exit status without a message prints nothing', () => {
    const err = new Sink();
    expect(reportError(new CliError('', 8), err, false, {})).toBe(8);
    expect(err.text).toBe('');
  });

  it('colour follows the terminal, NO_COLOR, FORCE_COLOR and --no-color', () => {
    const red = '\u001b[31merror:\u001b[39m x\n';
    const cases: Array<[boolean, NodeJS.ProcessEnv, boolean | undefined, string]> = [
      [true, {}, undefined, red],
      [true, { NO_COLOR: '1' }, undefined, 'error: x\n'],
      [true, {}, false, 'error: x\n'],
      [false, {}, undefined, 'error: x\n'],
      [false, { FORCE_COLOR: '1' }, undefined, red],
    ];
    for (const [tty, env, flag, expected] of cases) {
      const err = new Sink(tty);
      reportError(new UsageError('x'), err, false, env, flag);
      expect(err.text).toBe(expected);
    }
  });
});

describe('main', () => {
  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await main(argv, { stdout, stderr, env: cleanEnv(env), stdin: process.stdin });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  it('help and version are exit 0 on stdout', async () => {
    expect((await run(['--help'])).code).toBe(0);
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--version and -v: the version alone on one line (what scripts parse)', async () => {
    for (const flag of ['--version', '-v']) {
      expect(await run([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('--version --verbose, in either order: the Node.js running it on a second line', async () => {
    const node = `node ${process.version} (${process.platform}-${process.arch})\n`;
    for (const argv of [
      ['--version', '--verbose'],
      ['--verbose', '-v'],
    ]) {
      expect(await run(argv), argv.join(' ')).toEqual({
        code: 0,
        stdout: `${VERSION}\n${node}`,
        stderr: '',
      });
    }
  });

  it('commander errors are usage errors (2) on stderr', async () => {
    for (const argv of [
      ['nope'],
      ['products', 'get'],
      ['--bogus'],
      ['orders', 'list', '--limit', '500'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(ExitCode.usage);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout).toBe('');
    }
  });

  it('a misspelt command: exit 2, and the nearest command suggested', async () => {
    const r = await run(['prodcts', 'list']);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/^error: unknown command 'prodcts'\n\(Did you mean products\?\)\n$/);
  });

  it('an error from the system that no command named (it has a code, as ENOTDIR) is exit 1 with its one line', async () => {
    // A history file under a file: `orders sync` meets it making the history's folder.
    const cfg = tempDir();
    try {
      const file = join(cfg.dir, 'not-a-folder');
      writeFileSync(file, '');
      const r = await run(['orders', 'sync', '--db', join(file, 'sub', 'orders.db')], {
        ASTROSELL_CONFIG_DIR: cfg.dir,
        ASTROSELL_API_KEY: 'nsk_test_0123456789',
        // Nothing listens there: no request leaves this machine.
        ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1',
        ASTROSELL_MAX_RETRIES: '0',
      });
      expect(r.code).toBe(ExitCode.failure);
      expect(r.stderr).toMatch(/^error: .*not a directory/);
      expect(r.stdout).toBe('');
    } finally {
      cfg.cleanup();
    }
  });

  it('never exits the process itself', async () => {
    const cfg = tempDir();
    try {
      const r = await run(['products', 'list'], { ASTROSELL_CONFIG_DIR: cfg.dir });
      expect(r.code).toBe(3);
    } finally {
      cfg.cleanup();
    }
  });
});

describe('no API key: the hint says what to do next', () => {
  it('nothing stored: add a key with keys add, or set ASTROSELL_API_KEY (exit 3)', async () => {
    const cfg = tempDir();
    try {
      const r = await runMain(['products', 'list'], { env: { ASTROSELL_CONFIG_DIR: cfg.dir } });
      expect(r.code).toBe(ExitCode.auth);
      expect(r.stderr.split('\n')[0]).toBe('error: no API key configured');
      expect(r.stderr).toMatch(/^hint: .*`astrosell keys add <name>`.*ASTROSELL_API_KEY/m);
    } finally {
      cfg.cleanup();
    }
  });

  it('profiles stored but none is the default: pass -p or run keys use, naming the profiles', async () => {
    const cfg = tempDir();
    try {
      const profiles = {
        shop: { key: 'nsk_live_aaaaaaaaaaaaaaaaaaaa1111' },
        staging: { key: 'nsk_test_bbbbbbbbbbbbbbbbbbbb2222' },
      };
      writeFileSync(join(cfg.dir, 'config.json'), JSON.stringify({ profiles }), { mode: 0o600 });
      const r = await runMain(['products', 'list'], { env: { ASTROSELL_CONFIG_DIR: cfg.dir } });
      expect(r.code).toBe(ExitCode.auth);
      expect(r.stderr.split('\n')[0]).toBe('error: no API key configured');
      const hint = r.stderr.split('\n').find((l) => l.startsWith('hint: '));
      expect(hint).toMatch(/-p <name>.*`astrosell keys use <name>`/);
      expect(hint).toMatch(/profiles: shop, staging\)$/);
    } finally {
      cfg.cleanup();
    }
  });
});

describe('a run stopped by a signal', () => {
  /** `products list` against a service that never answers, stopped by `reason`. */
  const stopped = async (reason: SignalReceived) => {
    const srv = await holdServer();
    try {
      const controller = new AbortController();
      const stderr = new Sink();
      const code = main(['products', 'list'], {
        stdout: new Sink(),
        stderr,
        env: cleanEnv({
          ASTROSELL_BASE_URL: srv.url,
          ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
        }),
        signal: controller.signal,
      });
      await srv.arrived();
      controller.abort(reason);
      return { code: await code, stderr: stderr.text };
    } finally {
      await srv.close();
    }
  };

  it('Ctrl-C or SIGTERM: exit 130', async () => {
    expect((await stopped(new SignalReceived('SIGINT'))).code).toBe(130);
    expect((await stopped(new SignalReceived('SIGTERM'))).code).toBe(130);
  });

  it('a hang-up (the terminal closed, SIGHUP): exit 129, so a script can tell it from Ctrl-C', async () => {
    const r = await stopped(new SignalReceived('SIGHUP'));
    expect(r.code).toBe(129);
    expect(r.stderr).toBe('error: interrupted\n');
  });
});

describe('the connections to the service are closed when a run ends', () => {
  it('even when the service would keep them open: nothing is left to hold the process', async () => {
    const open = new Set<Socket>();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    server.keepAliveTimeout = 600_000;
    server.on('connection', (s: Socket) => {
      open.add(s);
      s.on('close', () => open.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
      const r = await runMain(['products', 'list', '--json'], {
        env: { ASTROSELL_BASE_URL: url, ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef' },
      });
      expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
      // The client's close is under way when main() returns; the socket's close lands just after.
      for (let i = 0; i < 50 && open.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(open.size).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('the profile store is not opened when the environment covers everything', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('a corrupt config does not stop a CI run with ASTROSELL_API_KEY and ASTROSELL_BASE_URL', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.dir, 'config.json'), '{corrupt', { mode: 0o600 });
      const env: Record<string, string> = { ...shop.env, ASTROSELL_CONFIG_DIR: dir.dir };
      const r = await runBin(['coupons', 'list'], { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      // …but it is read (and reported) when it is needed.
      const { ASTROSELL_BASE_URL: _u, ...noUrl } = env;
      const needed = await runBin(['coupons', 'list'], { env: noUrl });
      expect(needed.code).toBe(1);
      expect(needed.stderr).toContain('is not valid JSON');
    } finally {
      dir.cleanup();
    }
  });
});

describe('Ctrl-C with the key in a stored profile', () => {
  let shop: TestShop;
  const requestLog: string[] = [];
  beforeAll(async () => {
    shop = await startTestShop({
      faults: { latencyMs: 1000 },
      log: (line) => requestLog.push(line),
    });
  });
  afterAll(() => shop.close());

  it('the first Ctrl-C stops a restock gracefully: summary, resume hint, exit 130', async () => {
    const cfg = tempDir();
    try {
      const env = { ASTROSELL_CONFIG_DIR: cfg.dir };
      const add = await runBin(['keys', 'add', 'slow', '--base-url', shop.sandbox.url], {
        env,
        input: shop.key,
      });
      expect(add.code).toBe(0);
      const file = join(cfg.dir, 'codes.txt');
      writeFileSync(file, 'A-1\nA-2\nA-3\n');
      // conf (loaded for the profile) must not turn one Ctrl-C into an instant, silent exit.
      const child = spawn(
        process.execPath,
        [BIN, 'warehouses', 'restock', '66f0c3a1b2c3d4e5f6a7b801', file, '--batch-size', '1'],
        { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Interrupt once the first batch is in flight (start-up is slow on a busy machine).
      for (let i = 0; i < 200 && !requestLog.some((l) => l.includes('/stock')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(stderr).toMatch(/^error: interrupted/m);
      expect(stderr).toContain('--resume');
    } finally {
      cfg.cleanup();
    }
  }, 30_000);
});

describe('astrosell sandbox', () => {
  it('prints its base URL first, serves the CLI, and stops on Ctrl-C', async () => {
    const key = 'nsk_test_sandboxcommand000001';
    const child = spawn(
      process.execPath,
      [BIN, 'sandbox', '--port', '0', '--empty', '--key', key],
      {
        cwd: ROOT,
        env: cleanEnv({}),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const cfg = tempDir();
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('error', reject);
        setTimeout(() => reject(new Error('sandbox did not start')), 10_000);
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const r = await runBin(['products', 'list', '--json'], {
        env: {
          ASTROSELL_BASE_URL: url,
          ASTROSELL_API_KEY: key,
          ASTROSELL_CONFIG_DIR: tempDir().dir,
        },
      });
      expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
      const stopped = new Promise<number | null>((resolve) => child.on('close', resolve));
      // A sandbox that ignored Ctrl-C would run on and the test would time out.
      child.kill('SIGINT');
      const code = await stopped;
      expect([0, 130]).toContain(code);
    } finally {
      child.kill('SIGKILL');
      cfg.cleanup();
    }
  });

  it('a bad share is a usage error', async () => {
    const r = await runBin(['sandbox', '--port', '0', '--error-rate', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --error-rate must be between 0 and 1\n');
  });
});
