// The streams a command talks through, and terminal-ness and colour decided
// once from them: only cli.ts hands in the real process streams.

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}
export interface OutStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface IO {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  /** stdout is a terminal: tables with borders, relative dates. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Colour on stdout/stderr, decided once from NO_COLOR, FORCE_COLOR, --no-color and TTY-ness. */
  color: boolean;
  /** Terminal width for truncation; 80 when unknown. */
  columns: number;
  /** Prompts allowed: stdin and stderr are terminals and --no-input was not given. */
  canPrompt: boolean;
  /** --query, compiled: what JSON output passes through before it is written (src/query.ts). */
  query?: { apply(value: unknown): unknown };
}

export function colorEnabled(
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
  flag: boolean | undefined,
): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function createIO(
  streams: { stdin: InStream; stdout: OutStream; stderr: OutStream },
  env: NodeJS.ProcessEnv,
  globals: { color: boolean | undefined; noInput: boolean },
): IO {
  const stdoutIsTTY = Boolean(streams.stdout.isTTY);
  const stderrIsTTY = Boolean(streams.stderr.isTTY);
  const stdinIsTTY = Boolean(streams.stdin.isTTY);
  const envColumns = Number(env.COLUMNS);
  return {
    ...streams,
    stdoutIsTTY,
    stderrIsTTY,
    stdinIsTTY,
    color: colorEnabled(env, stdoutIsTTY, globals.color),
    columns:
      streams.stdout.columns ?? (Number.isInteger(envColumns) && envColumns > 0 ? envColumns : 80),
    canPrompt: stdinIsTTY && stderrIsTTY && !globals.noInput,
  };
}
