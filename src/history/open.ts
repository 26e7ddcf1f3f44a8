// The history file a command uses (--db, else the default for its settings)
// and how it is opened from a command: waiting for another astrosell is said
// once on stderr.
import { resolve } from 'node:path';
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { History } from './db.js';
import { defaultHistoryPath } from './path.js';

export async function historyFile(ctx: Context, db: string | undefined): Promise<string> {
  if (db !== undefined) {
    if (db.trim() === '') throw new UsageError('--db must not be empty');
    return resolve(db);
  }
  return defaultHistoryPath(configDirFrom(ctx.env).dir, await ctx.settings());
}

export function openHistory(
  ctx: Context,
  file: string,
  create: boolean,
  label: string,
): Promise<History> {
  return History.open(file, {
    create,
    label,
    clock: ctx.clock,
    onWait: (holder) =>
      ctx.io.stderr.write(
        `waiting for another astrosell using ${file} (pid ${holder.pid}${holder.label ? `, ${holder.label}` : ''})…\n`,
      ),
  });
}
