// main(): build the program, run it, and turn whatever happened into an exit
// code and at most one `error: …` line. This is the only place that decides
// exit codes (from the kind of what was thrown, through EXIT_CODES in
// errors.ts); nothing below calls process.exit.
import type { Command, CommanderError } from 'commander';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Context, GlobalOptions } from './context.js';
import { AuthError, CliError, EXIT_CODES, UsageError } from './errors.js';
import type { InStream, OutStream } from './io.js';
import { colorEnabled, createIO } from './io.js';
import { createMasker, type Masker, maskedStream } from './mask.js';
import { sanitizeForTerminal } from './render/format.js';
import { versionText } from './version.js';

export interface MainDeps {
  stdin?: InStream;
  stdout?: OutStream;
  stderr?: OutStream;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Aborted on Ctrl-C; the caller owns signal handling. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function parseGlobals(opts: Record<string, unknown>): GlobalOptions {
  const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
  const query = typeof opts.query === 'string' ? opts.query : undefined;
  return {
    json: Boolean(opts.json) || query !== undefined,
    query,
    verbose: Boolean(opts.verbose),
    noInput: opts.input === false,
    profile: typeof opts.profile === 'string' ? opts.profile : undefined,
    baseUrl: typeof opts.baseUrl === 'string' ? opts.baseUrl : undefined,
    timeoutMs:
      timeout !== undefined && Number.isFinite(timeout) && timeout > 0
        ? Math.round(timeout * 1000)
        : DEFAULT_TIMEOUT_MS,
    color: opts.color === false ? false : undefined,
  };
}

export function createContext(
  cmd: Command,
  deps: Required<Omit<MainDeps, 'signal'>> & { signal: AbortSignal; masker?: Masker },
): Context {
  const globals = parseGlobals(cmd.optsWithGlobals());
  const io = createIO(deps, deps.env, globals);
  const masker = deps.masker;
  const env = deps.env;
  let profilesP: ReturnType<Context['profiles']> | undefined;
  let settingsP: ReturnType<Context['settings']> | undefined;
  let apiP: ReturnType<Context['api']> | undefined;
  const others: Array<ReturnType<Context['api']>> = [];
  const clientFor = async (baseUrl: string, apiKey: string) => {
    const { createClient } = await import('./api/client.js');
    return createClient({
      baseUrl,
      apiKey,
      timeoutMs: globals.timeoutMs,
      clock: deps.clock,
      env,
      signal: deps.signal,
      trace: globals.verbose ? (line) => io.stderr.write(`${line}\n`) : undefined,
      onRetry: ({ delayMs, reason }) => {
        // Piped (CI logs), only waits long enough to look like a hang are told.
        if (!globals.verbose && (io.stderrIsTTY || delayMs >= 1000)) {
          io.stderr.write(`${reason}; retrying in ${(delayMs / 1000).toFixed(1)}s…\n`);
        }
      },
    });
  };
  const ctx: Context = {
    io,
    env,
    globals,
    masker,
    clock: deps.clock,
    signal: deps.signal,
    profiles() {
      profilesP ??= (async () => {
        const { openProfileStore, configDirFrom } = await import('./config/store.js');
        const store = await openProfileStore(configDirFrom(env).dir);
        for (const p of store.list()) masker?.add(p.profile.key);
        for (const w of store.warnings) io.stderr.write(`warning: ${w}\n`);
        return store;
      })();
      return profilesP;
    },
    settings() {
      settingsP ??= (async () => {
        const { resolveSettings } = await import('./config/settings.js');
        return resolveSettings({
          flags: { profile: globals.profile, baseUrl: globals.baseUrl },
          env,
          openStore: () => ctx.profiles(),
        });
      })();
      return settingsP;
    },
    api() {
      apiP ??= (async () => {
        const settings = await ctx.settings();
        const { checkBaseUrl } = await import('./config/settings.js');
        checkBaseUrl(settings.baseUrl); // refuse plain http before complaining about the key
        if (!settings.apiKey) {
          const stored = settings.profile === undefined ? (await ctx.profiles()).list() : [];
          throw new AuthError('no API key configured', {
            hint: stored.length
              ? `no default profile: pass -p <name> or run \`astrosell keys use <name>\` (profiles: ${stored.map((p) => p.name).join(', ')})`
              : 'run `astrosell keys add <name>`, or set ASTROSELL_API_KEY',
          });
        }
        return clientFor(settings.baseUrl, settings.apiKey);
      })();
      return apiP;
    },
    async shopFor({ apiKey, baseUrl }) {
      masker?.add(apiKey);
      const client = clientFor(baseUrl, apiKey);
      others.push(client);
      const { resources } = await import('./api/resources/index.js');
      return resources(await client);
    },
    async shop() {
      const [api, { resources }] = await Promise.all([
        ctx.api(),
        import('./api/resources/index.js'),
      ]);
      return resources(api);
    },
    async close() {
      for (const c of apiP ? [apiP, ...others] : others) {
        await c.then((client) => client.close()).catch(() => undefined);
      }
    },
    async prompter() {
      const { createPrompter } = await import('./prompt.js');
      return createPrompter(io);
    },
  };
  return ctx;
}

function isCommanderError(e: unknown): e is CommanderError {
  return (
    typeof (e as CommanderError)?.code === 'string' &&
    (e as CommanderError).code.startsWith('commander.')
  );
}

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const full = {
    stdin: deps.stdin ?? process.stdin,
    stdout: deps.stdout ?? process.stdout,
    stderr: deps.stderr ?? process.stderr,
    env: deps.env ?? process.env,
    clock: deps.clock ?? systemClock,
    signal: deps.signal ?? new AbortController().signal,
  };
  // `astrosell --version [--verbose]` answers before commander is even loaded (start-up time).
  if (
    argv.some((a) => a === '--version' || a === '-v') &&
    argv.every((a) => a === '--version' || a === '-v' || a === '--verbose')
  ) {
    full.stdout.write(versionText(argv.includes('--verbose'), process));
    return EXIT_CODES.ok;
  }
  // Everything printed passes the masker; only the sandbox prints keys on
  // purpose (the ones it accepts, so the user can copy one).
  const masker = createMasker([full.env.ASTROSELL_API_KEY]);
  const raw = { stdout: full.stdout, stderr: full.stderr };
  full.stdout = maskedStream(full.stdout, masker);
  full.stderr = maskedStream(full.stderr, masker);
  const keyFlag = keyFlagIn(argv);
  if (keyFlag) {
    const noColor = argv.includes('--no-color') ? false : undefined;
    return reportError(
      new UsageError(`${keyFlag} is not an option: an API key is never passed as a flag`, {
        hint: 'store it with `astrosell keys add <name>` (hidden prompt or stdin), or set ASTROSELL_API_KEY',
      }),
      full.stderr,
      false,
      full.env,
      noColor,
    );
  }
  const { buildProgram } = await import('./program.js');
  const state: { ctx?: Context; code: number } = { code: 0 };
  const program = buildProgram({
    argv,
    stdout: full.stdout,
    stderr: full.stderr,
    getContext: (cmd) => {
      state.ctx ??= createContext(
        cmd,
        cmd.name() === 'sandbox' ? { ...full, ...raw, masker } : { ...full, masker },
      );
      return state.ctx;
    },
    setExitCode: (code) => {
      state.code = code;
    },
  });
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return afterHangup(state.code, full.signal);
  } catch (error) {
    if (isCommanderError(error)) {
      // Commander has already printed its message (configureOutput).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const noColor = argv.includes('--no-color') ? false : undefined;
    return afterHangup(reportError(error, full.stderr, verbose, full.env, noColor), full.signal);
  } finally {
    // Close the keep-alive pool so the process can exit promptly.
    await state.ctx?.close();
  }
}

export function reportError(
  error: unknown,
  stderr: OutStream,
  verbose: boolean,
  env: NodeJS.ProcessEnv,
  colorFlag?: boolean,
): number {
  // The same rules as every other colour: NO_COLOR, FORCE_COLOR, --no-color, TTY.
  const color = colorEnabled(env, Boolean(stderr.isTTY), colorFlag);
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  if (error instanceof CliError) {
    if (error.message) stderr.write(`${red('error:')} ${oneLine(error.message)}\n`);
    if (error.hint) stderr.write(`hint: ${error.hint}\n`);
    if (verbose && error.stack && error.kind !== 'interrupted') {
      stderr.write(`${error.stack}\n`);
    }
    return EXIT_CODES[error.kind];
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`${red('error:')} ${oneLine(message)}\n`);
  if (verbose && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  else stderr.write('hint: run again with --verbose for details\n');
  return EXIT_CODES.failure;
}

/** One line, and no terminal escapes smuggled in through the service's `error` text. */
function oneLine(s: string): string {
  return sanitizeForTerminal(s.replace(/\s*\n\s*/g, ' ')).trim();
}

const KEY_FLAGS = /^--(api-?key|key|token|secret)(=|$)/i;

/**
 * A key typed as a flag (`--api-key=nsk_…`): commander would refuse it as an
 * unknown option and print it whole. Named here, before commander sees it,
 * without its value. `sandbox --key` is a real option (keys it accepts).
 */
export function keyFlagIn(argv: readonly string[]): string | undefined {
  const command = argv.find((a) => !a.startsWith('-'));
  for (const arg of argv) {
    if (arg === '--') return undefined;
    const m = KEY_FLAGS.exec(arg);
    if (!m) continue;
    if (command === 'sandbox' && m[1]!.toLowerCase() === 'key') continue;
    return `--${m[1]}`;
  }
  return undefined;
}

/** The reason the process's signal was aborted: the signal it received. */
export class SignalReceived extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(signalName === 'SIGINT' ? 'interrupted' : `received ${signalName}`);
  }
}

/** A run stopped because its terminal closed (SIGHUP) exits 129, not 130. */
function afterHangup(code: number, signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  const hungUp = reason instanceof SignalReceived && reason.signalName === 'SIGHUP';
  return hungUp && code === EXIT_CODES.interrupted ? EXIT_CODES.hangup : code;
}

/**
 * The process-facing entry (bin/astrosell.js). First Ctrl-C (or SIGTERM, or
 * SIGHUP: the terminal closed) aborts the context's signal so long
 * operations can finish the request in flight and save their state (exit
 * 130, 129 after a hang-up); a second Ctrl-C or SIGTERM stops at once.
 */
export async function runFromProcess(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  let hungUp = false;
  const onSignal = (name: NodeJS.Signals) => {
    if (name === 'SIGHUP') {
      // One hang-up however often it is told (the shell passes it on, the
      // kernel sends it again as the shell exits): never a "stop at once".
      if (hungUp) return;
      hungUp = true;
      if (interrupts > 0) return;
    }
    interrupts++;
    if (interrupts > 1) {
      // The restock journal is on disk before each request, so stopping here is safe.
      process.stderr.write(
        '\nstopped at once; an interrupted restock continues with the same command and --resume\n',
      );
      process.exit(hungUp ? EXIT_CODES.hangup : EXIT_CODES.interrupted);
    }
    controller.abort(new SignalReceived(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // A terminal that closed fails every write to it (EIO), and a closed pipe
  // (EPIPE) too: a message that cannot be shown must not crash a run before
  // it has written its lists and its journal.
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (hungUp || error.code === 'EIO') return;
    // `astrosell … | head`: a closed pipe is not an error worth a stack trace.
    if (error.code === 'EPIPE') process.exit(0);
    // A full disk, a file grown too large: the output is cut short. Said in
    // a line (not a stack trace), and the exit code says it failed.
    process.stderr.write(
      `error: cannot write to standard output: ${error.code ?? error.message}\n`,
    );
    process.exit(EXIT_CODES.failure);
  });
  process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
}
