// Output rules of docs/cli.md: help, version, colour, --verbose traces, and
// where things go (data on stdout, the rest on stderr).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';
import { DEMO } from '../../src/sandbox/index.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { ESC, runners } from './guard.js';

let shop: TestShop;
const { bin, piped, tty } = runners(() => [shop.key]);
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

function commandPaths(): string[][] {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const program = buildProgram({
    stdout: sink,
    stderr: sink,
    getContext: () => {
      throw new Error('not run');
    },
    setExitCode: () => undefined,
  });
  const out: string[][] = [[]];
  const walk = (cmd: Command, path: string[]) => {
    // Hidden helpers (`__names`, what completion scripts call) have no help to show.
    for (const sub of cmd.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden)) {
      const p = [...path, sub.name()];
      out.push(p);
      walk(sub, p);
    }
  };
  walk(program, []);
  return out;
}

describe('help and version', () => {
  it.each(commandPaths().map((p) => [p.join(' ') || '(top)', p]))(
    '%s --help shows examples on stdout, exit 0',
    async (_name, path) => {
      const r = await piped([...(path as string[]), '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: astrosell/);
      expect(r.stdout).toMatch(/Examples:\n {2}\$ .*astrosell /);
      expect(r.stderr).toBe('');
    },
  );

  it('a noun lists its verbs before the options, as gh does; a verb shows its options, then the global ones, then examples', async () => {
    const headings = (help: string) => help.split('\n').filter((l) => /^[A-Z][A-Za-z ]*:$/.test(l));
    const noun = await piped(['warehouses', '--help']);
    expect(headings(noun.stdout)).toEqual([
      'Commands:',
      'Options:',
      'Global Options:',
      'Examples:',
    ]);
    const verb = await piped(['products', 'list', '--help']);
    expect(headings(verb.stdout)).toEqual(['Options:', 'Global Options:', 'Examples:']);
  });

  it('help of a verb that does not exist: exit 2 naming it, and where the verbs are listed', async () => {
    const r = await piped(['help', 'warehouses', 'nope', 'more']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: unknown command "warehouses nope"\nhint: astrosell help warehouses lists the commands\n',
    );
    const hint = async (path: string[]) =>
      (await piped(['help', ...path])).stderr.split('\n').find((l) => l.startsWith('hint: '));
    expect(await hint(['nope'])).toBe('hint: astrosell help lists the commands');
    expect(await hint(['warehouses', 'restock', 'more'])).toBe(
      'hint: astrosell help warehouses restock lists the commands',
    );
  });

  it('--version and -v print the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const r = await bin([flag]);
      expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('--version --verbose (either order) adds the Node.js version on a second line', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const node = `node ${process.version} (${process.platform}-${process.arch})\n`;
    for (const argv of [
      ['--version', '--verbose'],
      ['--verbose', '-v'],
    ]) {
      const r = await bin(argv);
      expect(r).toEqual({ code: 0, stdout: `${version}\n${node}`, stderr: '' });
    }
  });
});

describe('colour', () => {
  const args = ['warehouses', 'list'];
  it('on for a terminal by default', async () => {
    expect((await tty(args, { env: shop.env })).stdout).toContain(ESC);
  });
  it('off with NO_COLOR, FORCE_COLOR=0 or --no-color', async () => {
    for (const [extraEnv, extraArgs] of [
      [{ NO_COLOR: '1' }, []],
      [{ FORCE_COLOR: '0' }, []],
      [{}, ['--no-color']],
      [{ FORCE_COLOR: '1' }, ['--no-color']],
    ] as const) {
      const r = await tty([...args, ...extraArgs], { env: { ...shop.env, ...extraEnv } });
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(ESC);
    }
  });
  it('never in piped output, even with FORCE_COLOR', async () => {
    const r = await piped(args, { env: { ...shop.env, FORCE_COLOR: '3' } });
    expect(r.stdout).not.toContain(ESC);
  });
  it('FORCE_COLOR colours the error line even when stderr is piped', async () => {
    const r = await piped(['orders', 'get', 'AS-NOPE00'], {
      env: { ...shop.env, FORCE_COLOR: '1' },
    });
    expect(r.stderr).toBe(`${ESC}31merror:${ESC}39m Order not found\n`);
    const off = await piped(['orders', 'get', 'AS-NOPE00', '--no-color'], {
      env: { ...shop.env, FORCE_COLOR: '1' },
    });
    expect(off.stderr).toBe('error: Order not found\n');
  });
});

describe('--verbose', () => {
  const commands = [
    ['products', 'list'],
    ['products', 'get', DEMO.products.netflix1m],
    ['warehouses', 'check'],
    ['orders', 'list', '--limit', '1'],
    ['coupons', 'list', '--json'],
    ['keys', 'status'],
    ['orders', 'get', 'AS-NOPE00'],
    ['api', 'GET', '/orders', '-F', 'limit=1'],
  ];
  it.each(commands.map((c) => [c.join(' '), c]))(
    '%s traces requests with the key redacted',
    async (_n, c) => {
      const r = await piped([...(c as string[]), '--verbose'], { env: shop.env });
      expect(r.stderr).toMatch(
        /^> GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/\S+ {2}\(authorization: Bearer nsk_test_…\w{4}\)$/m,
      );
      expect(r.stderr).toMatch(/^< \d{3} GET \/api\/v1\/\S+ {2}\(\d+ ms, \d+ bytes\)$/m);
      // checkRun (guard.ts) already asserts the key is nowhere in stdout or stderr.
      expect(r.stdout).not.toMatch(/^[<>] /m);
    },
  );
});

describe('streams', () => {
  it('a terminal is told about a rate-limit wait; data still goes to stdout', async () => {
    const own = await startTestShop({ rateLimit: { requests: 1, perMs: 1000 } });
    try {
      await fetch(`${own.sandbox.url}/coupons`, {
        headers: { authorization: `Bearer ${own.key}` },
      });
      const r = await tty(['coupons', 'list', '--json'], { env: own.env });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^HTTP 429; retrying in \d+\.\ds…\n$/);
      expect(JSON.parse(r.stdout)).toHaveLength(4);
    } finally {
      await own.close();
    }
  });

  it('a closed pipe on stderr (`2>&1 | head` that stopped reading) does not change the exit code', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../helpers/cli.js');
    const cfg = tempDir();
    try {
      // No key: the run fails with exit 3, and its error line meets EPIPE.
      const script = `"${process.execPath}" "${BIN}" products list 2>&1 >/dev/null | (exec 0<&-; sleep 0.5); exit \${PIPESTATUS[0]}`;
      const child = spawn('bash', ['-c', script], {
        env: cleanEnv({ ASTROSELL_CONFIG_DIR: cfg.dir }),
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      expect(await new Promise<number | null>((r) => child.on('close', r))).toBe(3);
    } finally {
      cfg.cleanup();
    }
  });

  it('--json leaves stderr empty on success', async () => {
    const r = await piped(['orders', 'list', '--json', '--limit', '2'], { env: shop.env });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });
  it('a closed pipe on stdout (`| head`) is not an error', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../helpers/cli.js');
    // The reader closes its end at once, so the CLI's write meets EPIPE.
    const script = `"${process.execPath}" "${BIN}" orders list | (exec 0<&-; sleep 0.5); exit \${PIPESTATUS[0]}`;
    const child = spawn('bash', ['-c', script], {
      env: cleanEnv(shop.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it.runIf(process.platform === 'linux')(
    'stdout on a full disk (`> /dev/full`): one error line, exit 1, no stack trace',
    async () => {
      const { spawn } = await import('node:child_process');
      const { BIN, cleanEnv } = await import('../helpers/cli.js');
      for (const args of [
        ['products', 'list'],
        ['orders', 'list', '--json'],
      ]) {
        const child = spawn(
          'bash',
          ['-c', `exec "$@" > /dev/full`, 'bash', process.execPath, BIN, ...args],
          {
            env: cleanEnv(shop.env),
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
        });
        const code = await new Promise<number | null>((r) => child.on('close', r));
        expect(code).toBe(1);
        expect(stderr).toBe('error: cannot write to standard output: ENOSPC\n');
      }
    },
  );
});
