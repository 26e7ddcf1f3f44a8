// Decide terminal-ness and colour once, from the real process streams.
import type { GlobalOptions, InStream, IO, OutStream } from './context.js';

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
  globals: Pick<GlobalOptions, 'color' | 'noInput'>,
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
