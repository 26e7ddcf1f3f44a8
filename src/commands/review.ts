// What interactive `create` shows before it creates anything: the command
// line that does the same without questions (to keep, or to put in a
// script), and a last yes or no.
import { accessSync, constants, statSync } from 'node:fs';
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { Prompter } from '../prompt.js';

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Shows `astrosell <argv>` and asks to go on; no is exit 130, nothing created. */
export async function review(
  ctx: Context,
  p: Prompter,
  what: 'product' | 'warehouse',
  argv: readonly string[],
): Promise<void> {
  const line = ['astrosell', ...argv].map(shellWord).join(' ');
  ctx.io.stderr.write(`\nThe same without questions:\n  ${line}\n\n`);
  if (!(await p.confirm(`Create this ${what}?`, { default: true }))) {
    throw new InterruptedError(`cancelled: no ${what} was created`);
  }
}

/** A path answered at a prompt: true when it is a file that can be read, else why not. */
export function readableFile(path: string): true | string {
  if (!path) return 'required';
  try {
    if (!statSync(path).isFile()) return `not a file: ${path}`;
    accessSync(path, constants.R_OK);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path} (${code})`;
  }
}
