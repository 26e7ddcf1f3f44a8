// Prompts: only on a terminal, bound to the injected streams, and they must
// not close stderr behind them.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/errors.js';
import { createIO } from '../src/io.js';
import { createPrompter, missingValues, typedPath } from '../src/prompt.js';
import { stripAnsi } from './cli/guard.js';
import { runTerminal, tempDir } from './helpers/cli.js';
import { Tty } from './helpers/typing.js';

describe('prompts', () => {
  it('keys add asks with hidden input on a terminal, then reports on stderr', async () => {
    const cfg = tempDir();
    try {
      const key = 'nsk_live_typedintheterminal0042';
      const r = await runTerminal(['keys', 'add', 'ci', '--no-verify'], {
        env: { ASTROSELL_CONFIG_DIR: cfg.dir },
        stdinTTY: true,
        input: `${key}\r`,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const err = stripAnsi(r.stderr);
      expect(err).toContain('API key for profile "ci"');
      expect(err).not.toContain(key);
      expect(err).toContain('Added profile "ci" (nsk_live_…0042, not checked), the default.');
    } finally {
      cfg.cleanup();
    }
  });

  it('two prompts in a row both reach stderr, and stderr stays usable', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = new Tty();
    const io = createIO({ stdin, stdout: new Tty(), stderr }, {}, { color: false, noInput: false });
    const p = createPrompter(io);
    const first = p.input('Title');
    stdin.write('Steam\r');
    expect(await first).toBe('Steam');
    const second = p.confirm('Sure?');
    stdin.write('y\r');
    expect(await second).toBe(true);
    stderr.write('after\n');
    expect(stderr.writableEnded).toBe(false);
    expect(stripAnsi(stderr.text)).toContain('Title');
    expect(stripAnsi(stderr.text)).toContain('Sure?');
    expect(stderr.text).toMatch(/after\n$/);
  });

  /** A prompter on a fake terminal: what is typed, and what stderr shows. */
  const terminal = () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = new Tty();
    const io = createIO({ stdin, stdout: new Tty(), stderr }, {}, { color: false, noInput: false });
    return { stdin, stderr, p: createPrompter(io) };
  };

  it('a question that needs an answer is not answered by Enter alone', async () => {
    const { stdin, p } = terminal();
    const title = p.input('Title');
    stdin.write('\r');
    await new Promise((r) => setTimeout(r, 50));
    stdin.write('Steam\r');
    expect(await title).toBe('Steam');
  });

  it('Ctrl-C at a prompt cancels the run: exit 130, "cancelled"', async () => {
    const { stdin, p } = terminal();
    const title = p.input('Title').catch((e: unknown) => e);
    stdin.write('\u0003');
    const e = await title;
    expect(e).toBeInstanceOf(InterruptedError);
    expect((e as InterruptedError).exitCode).toBe(130);
    expect((e as Error).message).toBe('cancelled');
  });

  it('a path typed at a prompt: ~ is the home folder, as in the shell; spaces around it dropped', () => {
    const env = { HOME: '/home/ann' };
    expect(typedPath('~/codes.txt', env)).toBe('/home/ann/codes.txt');
    expect(typedPath('  ~/codes.txt \n', env)).toBe('/home/ann/codes.txt');
    expect(typedPath('~', env)).toBe('/home/ann');
    // Only a leading ~ or ~/ (not ~bob/, not a ~ inside a name).
    expect(typedPath('~bob/codes.txt', env)).toBe('~bob/codes.txt');
    expect(typedPath('old~/codes.txt', env)).toBe('old~/codes.txt');
  });

  it('missingValues names every flag to pass at once (exit 2)', () => {
    const one = missingValues([['--name', 'warehouse name']]);
    expect(one.exitCode).toBe(2);
    expect(one.message).toBe('missing warehouse name: pass --name');
    const three = missingValues([
      ['--title', 'product title'],
      ['--price', 'price'],
      ['--x', 'x'],
    ]);
    expect(three.message).toBe('missing product title, price and x: pass --title, --price and --x');
  });
});
