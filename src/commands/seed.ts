// Initial stock for `products create` / `warehouses create --stock-file`.
// The create request carries the serials only when they fit in one batch;
// a larger file creates the pool empty and then goes through the restock
// engine (streaming, journal, reconcile), so a big seed is as loss-free as a
// restock and never one giant request.
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { createProgress } from '../render/progress.js';
import {
  journalDir,
  type PreparedInput,
  prepareInput,
  restock,
  type TargetKind,
  UnitReader,
} from '../restock/index.js';
import { writeSummary } from './restock-summary.js';

/** A seed file up to this many serials goes in the create request itself. */
const CREATE_SEED_MAX = 1000;

export interface Seed {
  /** Serials for the create body, when they fit in one batch. */
  stock: string | undefined;
  /** Set when the file is larger than a batch: restock after creating. */
  large: PreparedInput | undefined;
  cleanup(): void;
}

export async function readSeed(ctx: Context, file: string): Promise<Seed> {
  const prepared = await prepareInput([file], {
    stdin: ctx.io.stdin,
    spoolDir: journalDir(configDirFrom(ctx.env).dir),
    stopAtFirstBad: true,
  });
  if (prepared.firstBad) {
    prepared.cleanup();
    const b = prepared.firstBad;
    throw new UsageError(`--stock-file ${b.file}, line ${b.line}: ${b.reason}; nothing was sent`);
  }
  const reader = new UnitReader(prepared.files);
  const first = await reader.next(CREATE_SEED_MAX + 1);
  reader.close();
  const count = first?.serials.length ?? 0;
  if (count > CREATE_SEED_MAX) {
    return { stock: undefined, large: prepared, cleanup: prepared.cleanup };
  }
  prepared.cleanup();
  if (count === 0) {
    throw new UsageError(`--stock-file ${file} holds no serials`);
  }
  return { stock: first!.serials.slice().join('\n'), large: undefined, cleanup: () => {} };
}

/** Restocks a pool just created empty from a large seed file; errors name the new id. */
export async function restockSeed(
  ctx: Context,
  kind: TargetKind,
  id: string,
  file: string,
  prepared: PreparedInput,
): Promise<void> {
  const noun = kind === 'product' ? 'products' : 'warehouses';
  try {
    const result = await restock(ctx, {
      kind,
      id,
      files: [file],
      prepared,
      progress: (label, total) => createProgress(ctx.io, total, ctx.clock, label),
    });
    // On stderr: create prints the created resource on stdout.
    writeSummary(ctx, result.summary, true);
    if (result.error) throw result.error;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const again = `astrosell ${noun} restock ${id} ${file} --resume`;
    throw new CliError(`${kind} ${id} was created, but ${error.message}`, error.exitCode, {
      hint:
        error.exitCode === 7
          ? 'the unsent serials can be restocked later; settle the uncertain ones with warehouses diff first'
          : `continue with: ${again}`,
      cause: error,
    });
  }
}
