// Every command that prints records prints them here: the format is picked
// once (--format, --json, the terminal), filters are applied to the records,
// and the record's definition (src/records) says how each format draws them.
import { once } from 'node:events';
import type { ApiStream } from '../api/client.js';
import type { Answer as Full, Read, Resources } from '../api/resources/index.js';
import type { Context } from '../context.js';
import type { RecordDef } from '../records/define.js';
import type { RecordFlags } from '../render/formats.js';
import { writeJsonBody } from '../render/output.js';
import {
  checkFields,
  chooseFormat,
  type RecordWriter,
  recordsOf,
  recordWriter,
  type ShortSection,
} from '../render/records.js';

/**
 * The largest answer parsed for a table: parsing holds the body several
 * times over in memory. Above it the error says to use --json, which is
 * written out as it arrives.
 */
export const MAX_TABLE_BYTES = 64 * 2 ** 20;

type Answer<T> = Pick<Full<T>, 'data' | 'raw'>;

export interface PrintOptions<T> extends RecordFlags {
  /** What a record must pass to be printed; undefined entries are filters not asked for. */
  filters?: ReadonlyArray<((r: T) => boolean) | undefined>;
  /**
   * After the filters, the records to print of those kept: a last step that
   * may ask the service more, or cut (`orders list`: --email, then --limit).
   */
  select?: (kept: T[]) => readonly T[] | Promise<readonly T[]>;
  /** A one-record table shows only the first items of its section. */
  short?: ShortSection;
}

/** Records that arrive over time, a batch at a time (`orders watch`): printed as each comes. */
export type Arriving<T> = AsyncIterable<readonly T[]>;

/**
 * Print records: from a read not yet sent (sent once the format is known),
 * an answer already received, records the command computed, or records
 * arriving over time (JSON is then one object a line, and a table keeps
 * the widths of its first rows). --fields
 * names are checked against the records, after the read: the service may
 * send fields beyond the documented ones, and those can be asked for too.
 * Unfiltered --json is the service's body,
 * piped as it arrives (in bounded memory, however large the pool), indented
 * on a terminal; filtered, it is the kept records (unknown fields kept).
 */
export async function print<T>(
  ctx: Context,
  def: RecordDef<T>,
  source:
    | ((shop: Resources) => Read<T> | Read<T[]>)
    | Answer<T>
    | Answer<T[]>
    | readonly T[]
    | Arriving<T>,
  options: PrintOptions<T> = {},
): Promise<number> {
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  const filters = (options.filters ?? []).filter((f) => f !== undefined);
  const kept = (batch: readonly unknown[]) =>
    filters.length ? batch.filter((r) => filters.every((f) => f(r as T))) : batch;
  if (arriving(source)) {
    // Only the documented fields can be checked before anything arrives.
    checkFields(options.fields, [], def as RecordDef<never>);
    // Begun with the first batch: a source that fails first (no key) prints nothing.
    let out: RecordWriter | undefined;
    for await (const batch of source) {
      out ??= await recordWriter(ctx.io, ctx.clock.now(), format, def, {
        ...options,
        stream: true,
      });
      out.write(kept(batch));
    }
    out?.end();
    return 0;
  }
  const from = typeof source === 'function' ? source(await ctx.shop()) : source;
  const one = def.rows !== undefined;
  let records: readonly unknown[];
  if (computed(from)) {
    records = from;
  } else {
    const whole = format === 'json' && !options.fields && !filters.length && !options.select;
    if (whole && 'stream' in from && !ctx.io.stdoutIsTTY && !ctx.io.query) {
      await streamBody(ctx, await from.stream());
      return 0;
    }
    const answer = 'fetch' in from ? await from.fetch({ maxBodyBytes: MAX_TABLE_BYTES }) : from;
    if (whole) {
      writeJsonBody(ctx.io, answer.raw);
      return 0;
    }
    // The service's objects as they came, unless the table needs the typed
    // ones (or a filter does: typed records keep every field they can).
    const columns = (format === 'table' || format === 'tsv') && !options.fields;
    records =
      columns || filters.length || options.select
        ? ([] as unknown[]).concat(answer.data)
        : recordsOf(answer.raw, one);
  }
  records = kept(records);
  if (options.select) records = await options.select(records as T[]);
  checkFields(options.fields, records, def as RecordDef<never>);
  const out = await recordWriter(ctx.io, ctx.clock.now(), format, def, options);
  out.write(records);
  out.end();
  return 0;
}

function computed<T>(from: object): from is readonly T[] {
  return Array.isArray(from);
}

function arriving<T>(source: object): source is Arriving<T> {
  return Symbol.asyncIterator in source;
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
