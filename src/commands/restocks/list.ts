// `restocks list`: the interrupted restocks in the config folder, a row each
// (a table on a terminal, tab-separated when piped, one JSON array with --json).
import { configDirFrom } from '../../config/store.js';
import type { Context } from '../../context.js';
import { date } from '../../render/format.js';
import { type Column, createRenderer, writeJsonValue } from '../../render/output.js';
import {
  displayName,
  type InterruptedRestock,
  journalDir,
  listInterrupted,
} from '../../restock/index.js';

export async function run(ctx: Context): Promise<number> {
  const { restocks, unreadable } = listInterrupted(journalDir(configDirFrom(ctx.env).dir));
  for (const u of unreadable) ctx.io.stderr.write(`warning: ${u.error}\n`);
  if (ctx.globals.json) {
    writeJsonValue(ctx.io, restocks);
    return 0;
  }
  const r = await createRenderer(ctx.io);
  r.list(restocks, columns(ctx.io.stdoutIsTTY, ctx.clock.now()), {
    empty: 'No interrupted restocks.',
  });
  return 0;
}

function columns(tty: boolean, now: number): Column<InterruptedRestock>[] {
  const count = (v: number | null) =>
    v === null ? '?' : tty ? v.toLocaleString('en-US') : String(v);
  // A list that cannot be counted is named: it is where the operator must look.
  const file = (f: InterruptedRestock['unsent']) => (f.serials === 0 ? '' : f.path);
  return [
    { header: 'key', value: (x) => x.key },
    {
      header: 'state',
      value: (x) => (x.runningPid ? `running (pid ${x.runningPid})` : 'interrupted'),
      tone: (x) => (x.runningPid ? 'dim' : 'warn'),
    },
    { header: 'target', value: (x) => `${x.target.kind} ${x.target.id}` },
    { header: 'input', value: (x) => x.inputs.map(displayName).join(', '), shrink: true },
    {
      header: 'settled',
      value: (x) =>
        `${count(x.linesSettled)}/${x.totalLines === null ? '?' : count(x.totalLines)}${tty ? ' lines' : ''}`,
      align: 'right',
    },
    { header: 'unsent', value: (x) => count(x.unsent.serials), align: 'right' },
    {
      header: 'uncertain',
      value: (x) => count(x.uncertain.serials),
      align: 'right',
      tone: (x) => (x.uncertain.serials === 0 ? 'plain' : 'warn'),
    },
    { header: 'updated', value: (x) => date(x.updatedAt, tty, now) },
    { header: 'started', value: (x) => date(x.startedAt, tty, now), drop: 3 },
    { header: 'base url', value: (x) => x.target.baseUrl, drop: 4, shrink: true },
    { header: 'unsent file', value: (x) => file(x.unsent), drop: 5, shrink: true },
    { header: 'uncertain file', value: (x) => file(x.uncertain), drop: 6, shrink: true },
    { header: 'spool', value: (x) => x.spool ?? '', drop: 7, shrink: true },
  ];
}
