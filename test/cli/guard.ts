// Runs the CLI (piped via the built bin, or as a terminal in-process) and
// checks what every run must honour: the key never appears whole in any
// output, and a failure is one `error:` line (plus an optional hint), never
// a stack trace unless --verbose.
import { expect } from 'vitest';
import {
  type MainOptions,
  type RunOptions,
  type RunResult,
  runBin,
  runMain,
  runTerminal,
} from '../helpers/cli.js';

export const ESC = '\u001b[';
export const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

export function checkRun(args: string[], r: RunResult, secrets: string[]): RunResult {
  const all = r.stdout + r.stderr;
  for (const s of secrets)
    expect(all, `key leaked by astrosell ${args.join(' ')}`).not.toContain(s);
  if (r.code !== 0 && r.code !== 8 && r.code !== 9 && !args.includes('--verbose') && r.stderr) {
    const lines = stripAnsi(r.stderr).trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('error:'));
    expect(errors, `one error line for ${args.join(' ')}:\n${r.stderr}`).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }
  return r;
}

export function runners(secrets: () => string[]) {
  return {
    bin: async (args: string[], opts: RunOptions = {}) =>
      checkRun(args, await runBin(args, opts), secrets()),
    tty: async (args: string[], opts: Parameters<typeof runTerminal>[1] = {}) =>
      checkRun(args, await runTerminal(args, opts), secrets()),
    /** In-process, stdout and stderr not terminals (or as `opts.tty` says): what mutation testing sees. */
    piped: async (args: string[], opts: MainOptions = {}) =>
      checkRun(args, await runMain(args, opts), secrets()),
  };
}
