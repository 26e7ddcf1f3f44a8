// `orders sync`: bring the local order history up to date (src/history,
// docs/history.md). Meant for cron: idempotent, safe to overlap and to kill.

import { ORDERS_PAGE_MAX } from '../../api/resources/orders.js';
import type { Context } from '../../context.js';
import { EXIT_CODES } from '../../errors.js';
import { historyFile, openHistory } from '../../history/open.js';
import { syncOrders } from '../../history/sync.js';
import { writeJsonValue } from '../../render/output.js';

export interface SyncOptions {
  db?: string;
}

export async function run(ctx: Context, options: SyncOptions): Promise<number> {
  const file = await historyFile(ctx, options.db);
  const shop = await ctx.shop();
  const pause = Number(ctx.env.ASTROSELL_TEST_SYNC_PAUSE_MS ?? 0);
  const report = await syncOrders({
    shop,
    clock: ctx.clock,
    signal: ctx.signal,
    open: (create) => openHistory(ctx, file, create, 'orders sync'),
    pauseInTransactionMs: Number.isFinite(pause) && pause > 0 ? pause : undefined,
    onPause: () => ctx.io.stderr.write('paused in the transaction\n'),
  });
  const err = ctx.io.stderr;
  if (report.first && report.pageOldest) {
    err.write(
      `note: the history starts at ${report.pageOldest}: the service lists only the newest ${ORDERS_PAGE_MAX} orders, older ones cannot be read\n`,
    );
  }
  if (report.gap) {
    err.write(
      `warning: orders created between ${report.gap.after ?? 'the start of the history'} and ${report.gap.before} may be missing: the newest ${ORDERS_PAGE_MAX} orders held none already in the history\n`,
    );
    err.write('hint: sync more often (the newest page must overlap the last sync)\n');
  }
  if (report.vanished > 0) {
    err.write(
      `note: ${report.vanished} kept open order${report.vanished === 1 ? '' : 's'} no longer found by the service; kept as last seen\n`,
    );
  }
  if (ctx.globals.json) {
    writeJsonValue(ctx.io, {
      file: report.file,
      seen: report.seen,
      added: report.added,
      changed: report.changed,
      total: report.total,
      gap: report.gap ?? null,
    });
  } else {
    ctx.io.stdout.write(
      `synced ${report.seen} order${report.seen === 1 ? '' : 's'}: ${report.added} new, ${report.changed} changed; ${report.total} in ${report.file}\n`,
    );
  }
  return report.gap ? EXIT_CODES.historyGap : EXIT_CODES.ok;
}
