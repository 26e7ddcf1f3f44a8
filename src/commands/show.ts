// Small pieces every read command uses: fetch through a resource, then
// either pass the service's JSON through (--json) or hand the typed data to
// a renderer.
import { once } from 'node:events';
import type { ApiStream } from '../api/client.js';
import type { Read, Resources } from '../api/resources/index.js';
import type { Context } from '../context.js';
import type { RecordFlags } from '../render/formats.js';
import { type Renderer, writeJsonBody } from '../render/output.js';
import {
  chooseFormat,
  type RecordView,
  recordsOf,
  rendererFor,
  writeRecords,
} from '../render/records.js';

/**
 * The largest answer parsed for a table: parsing holds the body several
 * times over in memory. Above it the error says to use --json, which is
 * written out as it arrives.
 */
export const MAX_TABLE_BYTES = 64 * 2 ** 20;

/** How a read's records are printed beyond the command's own table (--format, --fields). */
export interface Output extends RecordFlags {
  view: RecordView;
  /** The read answers one record (a `get`), not a list. */
  one?: boolean;
  empty?: string;
}

/**
 * Send a resource's read and print it: the service's body untouched with
 * --json, the command's own table or tsv by default, else the records in
 * the format and fields asked for (src/render/records.ts).
 */
export async function show<T>(
  ctx: Context,
  call: (shop: Resources) => Read<T>,
  render: (data: T, r: Renderer) => void,
  out: Output,
): Promise<number> {
  const format = chooseFormat(ctx.globals, ctx.io, out.format);
  const read = call(await ctx.shop());
  if (format === 'json' && !out.fields) {
    // Piped --json (`warehouses get ID --json > pool.json`): byte for byte as
    // it arrives, in bounded memory, however large the pool.
    if (!ctx.io.stdoutIsTTY) {
      await streamBody(ctx, await read.stream());
      return 0;
    }
    writeJsonBody(ctx.io, (await read.fetch({ maxBodyBytes: MAX_TABLE_BYTES })).raw);
    return 0;
  }
  const answer = await read.fetch({ maxBodyBytes: MAX_TABLE_BYTES });
  if ((format === 'table' || format === 'tsv') && !out.fields) {
    render(answer.data, await rendererFor(ctx.io, format));
    return 0;
  }
  await writeRecords(
    ctx.io,
    ctx.clock.now(),
    format,
    recordsOf(answer.raw, Boolean(out.one)),
    out.view,
    out,
  );
  return 0;
}

/** Write a streamed body to stdout as it comes (keys masked), newline-terminated. */
async function streamBody(ctx: Context, res: ApiStream): Promise<void> {
  const out = ctx.io.stdout;
  const masking = ctx.masker?.chunks();
  let last = 0x0a;
  const write = async (b: Buffer) => {
    if (b.length && !out.write(b)) await once(out, 'drain');
  };
  for await (const chunk of res.body) {
    if (chunk.length) last = chunk[chunk.length - 1]!;
    await write(masking ? masking.push(chunk) : chunk);
  }
  if (masking) await write(masking.end());
  if (last !== 0x0a) await write(Buffer.from('\n'));
}
