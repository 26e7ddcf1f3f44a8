// Test harness: run the CLI either as a child process (the built bin, real
// pipes: "piped" mode) or in-process through main() with fake terminal
// streams ("terminal" mode), always against a real sandbox over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';
import { type Clock, systemClock } from '../../src/clock.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'astrosell.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
  cwd?: string;
  /** Runs under `ulimit -f` (runBin only): no file the process writes may grow past this many KiB. */
  fileLimitKiB?: number;
}

/** A clean environment: no inherited ASTROSELL_* or colour settings, a private config folder. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('ASTROSELL_') || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k === 'CI')
      continue;
    if (/^(https?_proxy|HTTPS?_PROXY|NO_PROXY|no_proxy)$/.test(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Run bin/astrosell.js as a child process with piped stdio. */
export function runBin(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const limited = opts.fileLimitKiB !== undefined;
    const [cmd, argv] = limited
      ? [
          'bash',
          [
            '-c',
            `ulimit -f ${opts.fileLimitKiB} && exec "$@"`,
            'bash',
            process.execPath,
            BIN,
            ...args,
          ],
        ]
      : [process.execPath, [BIN, ...args]];
    const child = spawn(cmd, argv, {
      env: cleanEnv(opts.env),
      cwd: opts.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`astrosell ${args.join(' ')} timed out\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

class Capture extends Writable {
  text = '';
  /** Called after each write, e.g. to wake a reader waiting for a line. */
  onText: (() => void) | undefined;
  isTTY: boolean;
  columns: number;
  constructor(tty: boolean, columns = 120) {
    super();
    this.isTTY = tty;
    this.columns = columns;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    this.onText?.();
    cb();
  }
}

export interface Terminals {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export type MainOptions = RunOptions & {
  columns?: number;
  tty?: Terminals;
  /** Ctrl-C, as the real process's handler would abort it. */
  signal?: AbortSignal;
  /** The CLI's clock (default: the system's); see `hurriedClock`. */
  clock?: Clock;
};

/**
 * Real time, but every wait (retry back-off, polling) cut to at most 10 ms:
 * for runs whose point is what happens after retries, not how long they
 * wait. Not for runs that wait for a late answer to land.
 */
export const hurriedClock: Clock = {
  now: () => systemClock.now(),
  sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 10), signal),
};

/**
 * Run main() in-process, each stream a terminal or not as `tty` says (none
 * by default: the piped case). In-process runs execute src/, so mutation
 * testing sees them; only what needs a real process (signals, start-up,
 * real pipes and exit) runs the built bin.
 */
export function runMain(args: string[], opts: MainOptions = {}): Promise<RunResult> {
  return startMain(args, opts).done;
}

/** A long-running command in-process (`orders watch`): lines as they come, Ctrl-C, the exit code. */
export interface Running {
  /** The next whole stdout line; waits for it. */
  nextLine(): Promise<string>;
  /** Waits until stderr matches. */
  stderrMatches(re: RegExp): Promise<void>;
  /** Ctrl-C (as the real process's handler would), then the result. */
  stop(): Promise<RunResult>;
  done: Promise<RunResult>;
}

export function startMain(args: string[], opts: MainOptions = {}): Running {
  const tty = opts.tty ?? {};
  const stdout = new Capture(tty.stdout ?? false, opts.columns);
  const stderr = new Capture(tty.stderr ?? false, opts.columns);
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = tty.stdin ?? false;
  stdin.end(opts.input);
  // Ctrl-C: this run's stop(), or the caller's own signal.
  const ctrlC = new AbortController();
  opts.signal?.addEventListener('abort', () => ctrlC.abort(), { once: true });
  if (opts.signal?.aborted) ctrlC.abort();
  let ended = false;
  let wake = () => {};
  stdout.onText = stderr.onText = () => wake();
  const done = main(args, {
    stdin,
    stdout,
    stderr,
    env: cleanEnv(opts.env),
    signal: ctrlC.signal,
    clock: opts.clock,
  })
    .then((code) => ({ code, stdout: stdout.text, stderr: stderr.text }))
    .finally(() => {
      ended = true;
      wake();
    });
  /** Resolves when `ready()` gives a value; throws if the command ends first. */
  const until = async <T>(ready: () => T | undefined, what: string): Promise<T> => {
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (ended)
        throw new Error(`astrosell ${args.join(' ')} ended before ${what}\nstderr: ${stderr.text}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  let read = 0;
  return {
    nextLine: () =>
      until(() => {
        const end = stdout.text.indexOf('\n', read);
        if (end < 0) return undefined;
        const line = stdout.text.slice(read, end);
        read = end + 1;
        return line;
      }, 'another line'),
    stderrMatches: (re) =>
      until(() => (re.test(stderr.text) ? true : undefined), `${re}`).then(() => {}),
    stop: () => {
      ctrlC.abort();
      return done;
    },
    done,
  };
}

/**
 * Run main() in-process with stdout and stderr claiming to be terminals, for
 * the table/colour/prompt paths a child process with pipes cannot reach.
 */
export function runTerminal(
  args: string[],
  opts: RunOptions & { columns?: number; stdinTTY?: boolean } = {},
): Promise<RunResult> {
  return runMain(args, {
    ...opts,
    tty: { stdin: opts.stdinTTY ?? false, stdout: true, stderr: true },
  });
}

/** A private config folder, removed by the returned cleanup. */
export function tempDir(prefix = 'astrosell-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A module of src/ and a script that runs it, written to `dir` for child
 * processes of a test (a process of their own: another pid, a resource
 * limit). Returns the paths of both; the script gets the module's path first.
 */
export async function childScript(
  dir: string,
  source: string,
  script: string,
): Promise<{ mod: string; runner: string }> {
  const { build } = await import('esbuild');
  const mod = join(dir, `${basename(source, '.ts')}.mjs`);
  await build({
    entryPoints: [join(ROOT, source)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: mod,
    logLevel: 'silent',
  });
  const runner = join(dir, 'runner.mjs');
  writeFileSync(runner, script);
  return { mod, runner };
}

/** The built CLI started as a child process, to be signalled while it runs. */
export interface StartedBin {
  child: ChildProcess;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Once its output is closed: the exit code (128 for a signal) and all it wrote. */
  done: Promise<RunResult>;
}

/** Starts `astrosell <args>` (bin/) with `env` made clean, stdout and stderr collected. */
export function startBin(
  args: string[],
  opts: { env?: Record<string, string | undefined>; input?: string } = {},
): StartedBin {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv(opts.env),
    cwd: ROOT,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(opts.input);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const done = new Promise<RunResult>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }),
    ),
  );
  return { child, stderr: () => stderr, exited, done };
}
