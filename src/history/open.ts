// The history file a command uses (--db, else the default for its settings)
// and how it is opened from a command: waiting for another astrosell is said
// once on stderr.
import type { Context } from '../context.js';
import { History } from './db.js';

export { historyFile } from './path.js';

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
