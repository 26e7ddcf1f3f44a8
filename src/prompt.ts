// Interactive input, bound to the context's streams. @inquirer/prompts is
// loaded only when a prompt is actually shown.

import { Writable } from 'node:stream';
import { InterruptedError, UsageError } from './errors.js';
import type { IO, OutStream } from './io.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  input(
    message: string,
    opts?: {
      default?: string;
      validate?: (v: string) => true | string;
      /** Default true; false lets Enter on an empty line answer "" (e.g. "blank for none"). */
      required?: boolean;
    },
  ): Promise<string>;
  password(message: string): Promise<string>;
  select<T>(message: string, choices: Choice<T>[], opts?: { default?: T }): Promise<T>;
  confirm(message: string, opts?: { default?: boolean }): Promise<boolean>;
}

/**
 * A path typed at a prompt gets no shell expansion, yet people type `~/codes.txt`
 * there as they would on the command line.
 */
export function typedPath(answer: string, env: NodeJS.ProcessEnv): string {
  const p = answer.trim();
  const home = env.HOME || env.USERPROFILE;
  if (home && (p === '~' || p.startsWith('~/'))) return home + p.slice(1);
  return p;
}

/**
 * Thrown in place of prompts when prompting is not possible: every value
 * missing at once, each with the flag that gives it (exit 2).
 */
export function missingValues(
  missing: ReadonlyArray<readonly [flag: string, what: string]>,
): UsageError {
  const list = (xs: string[]) =>
    xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? '');
  return new UsageError(
    `missing ${list(missing.map(([, w]) => w))}: pass ${list(missing.map(([f]) => f))}`,
    {
      hint: 'prompts are shown only when stdin and stderr are terminals and --no-input is not given',
    },
  );
}

/**
 * inquirer pipes into its `output` and ends it when a prompt closes. Ending
 * our stderr would swallow every later message (and a second prompt), so each
 * prompt writes through a fresh stream that forwards writes but never ends it.
 */
function unendingOutput(out: OutStream): Writable {
  const w = new Writable({
    write(chunk, encoding, callback) {
      out.write(chunk, encoding, () => callback());
    },
  });
  // What inquirer (through mute-stream) asks of a terminal.
  for (const key of ['isTTY', 'columns', 'rows'] as const) {
    Object.defineProperty(w, key, { get: () => (out as unknown as Record<string, unknown>)[key] });
  }
  return w;
}

export function createPrompter(io: IO): Prompter {
  const contextFor = () =>
    ({ input: io.stdin, output: unendingOutput(io.stderr), clearPromptOnDone: false }) as const;
  const load = () => import('@inquirer/prompts');
  // Ctrl-C inside a prompt: inquirer rejects with ExitPromptError.
  const wrap = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (error) {
      if ((error as Error)?.name === 'ExitPromptError') throw new InterruptedError('cancelled');
      throw error;
    }
  };
  return {
    async input(message, opts = {}) {
      const { input } = await load();
      return wrap(
        input(
          {
            message,
            default: opts.default,
            validate: opts.validate,
            required: opts.required ?? true,
          },
          contextFor(),
        ),
      );
    },
    async password(message) {
      const { password } = await load();
      return wrap(password({ message, mask: '*' }, contextFor()));
    },
    async select(message, choices, opts = {}) {
      const { select } = await load();
      return wrap(select({ message, choices, default: opts.default, loop: false }, contextFor()));
    },
    async confirm(message, opts = {}) {
      const { confirm } = await load();
      return wrap(confirm({ message, default: opts.default }, contextFor()));
    },
  };
}
