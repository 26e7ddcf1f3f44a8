// A terminal context for calling a command's run() directly, whose prompter
// records each question (message, choices, options such as the default and
// the answer check) and gives scripted answers in turn.
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { createContext } from '../../src/cli.js';
import { systemClock } from '../../src/clock.js';
import type { Context } from '../../src/context.js';
import type { Prompter } from '../../src/prompt.js';
import { cleanEnv } from './cli.js';
import { Tty } from './typing.js';

export interface Question {
  kind: 'input' | 'password' | 'select' | 'confirm';
  message: string;
  opts?: unknown;
  choices?: unknown;
}

export function askingContext(env: Record<string, string>, answers: unknown[]) {
  const stdout = new Tty();
  const stderr = new Tty();
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const base = createContext(new Command(), {
    stdin,
    stdout,
    stderr,
    env: cleanEnv(env),
    clock: systemClock,
    signal: new AbortController().signal,
  });
  const asked: Question[] = [];
  const next = () => {
    if (!answers.length) throw new Error(`no answer left for ${JSON.stringify(asked.at(-1))}`);
    return answers.shift();
  };
  const prompter: Prompter = {
    async input(message, opts) {
      asked.push({ kind: 'input', message, opts });
      return next() as string;
    },
    async password(message) {
      asked.push({ kind: 'password', message });
      return next() as string;
    },
    async select(message, choices, opts) {
      asked.push({ kind: 'select', message, choices, opts });
      return next() as never;
    },
    async confirm(message, opts) {
      asked.push({ kind: 'confirm', message, opts });
      return next() as boolean;
    },
  };
  const ctx: Context = { ...base, prompter: async () => prompter };
  /** Runs `run` with this context, then closes it. */
  const call = async <F>(run: (ctx: Context, flags: F) => Promise<number>, flags: F) => {
    try {
      return await run(ctx, flags);
    } finally {
      await base.close();
    }
  };
  return { ctx, call, asked, stdout, stderr };
}
