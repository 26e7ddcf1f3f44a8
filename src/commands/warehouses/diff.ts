// `warehouses diff <id> <file|->`: did a file of serials go into a pool?
//
// The file is read the way a restock reads it (src/restock: checked first,
// stdin spooled, the same normalisation), into a set of 128-bit hashes of its
// distinct serials; the pool is then read as its body arrives, item by item,
// never held whole. Memory: two or three such sets (21–43 bytes per distinct
// serial of the file each), however large the pool. `--show missing|present`
// reads the file a second time to print those serials in file order.
import type { Resources } from '../../api/resources/index.js';
import { configDirFrom } from '../../config/store.js';
import type { Context } from '../../context.js';
import { EXIT_CODES, NotFoundError, UsageError } from '../../errors.js';
import { DIFF, type DiffResult } from '../../records/diff.js';
import { writeJsonValue } from '../../render/output.js';
import {
  displayName,
  HashSet128,
  journalDir,
  PoolScanner,
  type PreparedInput,
  prepareInput,
  UnitReader,
} from '../../restock/index.js';
import { print } from '../print.js';
import { notFound, resolveId } from '../resolve.js';

export const SHOW = ['missing', 'present', 'extra'] as const;
export type Show = (typeof SHOW)[number];

export interface DiffOptions {
  args: [string, string];
  show?: Show;
}

export type { DiffResult };

const UNIT = 10_000;

export async function run(ctx: Context, options: DiffOptions): Promise<number> {
  const [ref] = options.args;
  const shop = await ctx.shop();
  // A name is resolved before the file is read: a wrong one stops at once.
  const id = await resolveId(shop, 'warehouse', ref, ctx.signal);
  try {
    return await diff(ctx, options, id, shop);
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound('warehouse', ref);
    throw error;
  }
}

async function diff(
  ctx: Context,
  options: DiffOptions,
  id: string,
  shop: Resources,
): Promise<number> {
  const file = options.args[1];
  const read = shop.warehouses.get(id);
  const input = await prepareInput([file], {
    stdin: ctx.io.stdin,
    spoolDir: journalDir(configDirFrom(ctx.env).dir),
    stopAtFirstBad: true,
    signal: ctx.signal,
    onStdinTTY: () =>
      ctx.io.stderr.write('reading serials from standard input (end with Ctrl-D)…\n'),
  });
  try {
    const bad = input.firstBad;
    if (bad) {
      throw new UsageError(`${bad.file}, line ${bad.line}: ${bad.reason}`, {
        hint: 'a restock would refuse this file too; serials are one per line, printable UTF-8',
      });
    }
    const out = serialWriter(ctx);
    const inFile = new HashSet128(1024);
    let blankLines = 0;
    let repeated = 0;
    await eachUnit(input, inFile, (u) => {
      blankLines += u.blank;
      repeated += u.duplicates;
    });

    // The pool, streamed: an item of the file is marked found; any other is extra.
    const found = new HashSet128(1024);
    let extra = 0;
    const items = new PoolScanner('items', [], 0, {
      countKey: 'count',
      what: `warehouse ${id}`,
      onItem: (serial) => {
        if (inFile.has(serial)) found.add(serial);
        else {
          extra++;
          if (options.show === 'extra') out.line(serial);
        }
      },
    });
    const res = await read.stream();
    for await (const chunk of res.body) {
      items.push(chunk);
      await out.drain();
    }
    // A cut-off or malformed pool is no verdict: finish() refuses it.
    items.finish();

    if (options.show === 'missing' || options.show === 'present') {
      const want = options.show === 'present';
      await eachUnit(input, new HashSet128(1024), async (u) => {
        for (const s of u.serials) if (found.has(s) === want) out.line(s);
        await out.drain();
      });
    }
    await out.end();

    const result: DiffResult = {
      warehouse: id,
      file: displayName(file),
      fileSerials: inFile.size,
      present: found.size,
      missing: inFile.size - found.size,
      extra,
      poolItems: items.result.size,
      blankLines,
      repeated,
    };
    await report(ctx, result, options.show !== undefined);
    return result.missing > 0 ? EXIT_CODES.serialsMissing : EXIT_CODES.ok;
  } finally {
    input.cleanup();
  }
}

/** Reads the checked input unit by unit; `seen` drops repeats (and counts them). */
async function eachUnit(
  input: PreparedInput,
  seen: HashSet128,
  each: (u: { serials: Iterable<string>; blank: number; duplicates: number }) => unknown,
): Promise<void> {
  const reader = new UnitReader(input.files, seen);
  try {
    for (let u = await reader.next(UNIT); u; u = await reader.next(UNIT)) await each(u);
  } finally {
    reader.close();
  }
}

/** Serials to stdout, a line each, in buffered writes that respect back-pressure. */
function serialWriter(ctx: Context) {
  const stdout = ctx.io.stdout;
  let buf = '';
  let full = false;
  const flush = () => {
    if (buf) full = !stdout.write(buf) || full;
    buf = '';
  };
  return {
    line(s: string) {
      buf += `${s}\n`;
      if (buf.length >= 64 * 1024) flush();
    },
    async drain() {
      flush();
      if (full) {
        await new Promise<void>((resolve) => stdout.once('drain', () => resolve()));
        full = false;
      }
    },
    async end() {
      await this.drain();
    },
  };
}

async function report(ctx: Context, r: DiffResult, serialsShown: boolean): Promise<void> {
  const verdict =
    r.missing === 0
      ? `all ${r.fileSerials} serials of ${r.file} are in the pool`
      : `${r.missing} of ${r.fileSerials} serials of ${r.file} are missing from the pool`;
  // With --show, stdout holds the serials only: the counts go to stderr.
  if (ctx.globals.json) {
    if (serialsShown) ctx.io.stderr.write(`${JSON.stringify(r)}\n`);
    else writeJsonValue(ctx.io, r);
    return;
  }
  if (serialsShown) {
    ctx.io.stderr.write(
      `${verdict}; ${r.present} present, ${r.missing} missing, ${r.extra} in the pool but not in the file.\n`,
    );
    return;
  }
  await print(ctx, DIFF, [r]);
  ctx.io.stderr.write(`${verdict}.\n`);
}
