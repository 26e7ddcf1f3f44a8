// `restocks list`: the interrupted restocks in the config folder, a record
// each (src/records/restock.ts), printed like every list: a table on a
// terminal, tab-separated when piped, --format and --fields; --json is the
// array of restocks, as it always was.
import { configDirFrom } from '../../config/store.js';
import type { Context } from '../../context.js';
import { RESTOCK } from '../../records/restock.js';
import type { RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat } from '../../render/records.js';
import { listInterrupted, usableJournalDir } from '../../restock/index.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  const { restocks, unreadable } = listInterrupted(usableJournalDir(configDirFrom(ctx.env).dir));
  for (const u of unreadable) ctx.io.stderr.write(`warning: ${u.error}\n`);
  if (format === 'json' && !options.fields) {
    writeJsonValue(ctx.io, restocks);
    return 0;
  }
  return print(ctx, RESTOCK, restocks, options);
}
