// `products get` and `warehouses get`: one record and its pool. On a
// terminal a pool of any size is the record, its size and its first ten
// serials as the service lists them (`--items`: all of them); piped and
// `--json` output hold every serial, as the service sent them.
import type { Context } from '../context.js';
import type { RecordFlags } from '../render/formats.js';
import type { ShortSection } from '../render/records.js';

export const FIRST_ITEMS = 10;

export interface DetailFlags extends RecordFlags {
  args: [string];
  items?: boolean;
}

/** How many items a terminal is shown, and what it is told about the rest. */
export function shortOnTerminal(ctx: Context, flags: DetailFlags): ShortSection | undefined {
  if (flags.items || !ctx.io.stdoutIsTTY) return undefined;
  return {
    first: FIRST_ITEMS,
    more: '--items shows them all (--json, or a pipe, prints the whole record)',
  };
}
