// Starting a run: a new journal state (the unsent and uncertain files
// checked before anything is sent, the orders snapshot taken), or the
// checks that a --resume continues the same restock with the same input.
import { existsSync, fstatSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Resources } from '../api/resources/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { displayName, type InputFile, type PreparedInput } from './input.js';
import {
  emptyCounters,
  JOURNAL_VERSION,
  Journal,
  type JournalState,
  journalKey,
  journalKeys,
} from './journal.js';
import { DEFAULT_MAX_BATCH, type RestockOptions } from './options.js';
import { firstSize, type Sizing } from './policy.js';
import { takeSnapshot } from './sales.js';
import { describeTarget, type Target } from './target.js';

export async function newState(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  dir: string,
  key: string,
  names: string[],
  target: Target,
  shop: Resources,
  baseUrl: string,
): Promise<JournalState> {
  const nowIso = new Date(ctx.clock.now()).toISOString();
  const stamp = `${nowIso.replace(/[:.]/g, '-')}-${process.pid}.txt`;
  const unsentFile = opts.unsentFile ? resolve(opts.unsentFile) : join(dir, `unsent-${stamp}`);
  // Beside it: `uncertain-<stamp>` by default, `<PATH>.uncertain` for --unsent-file PATH.
  const uncertainFile = opts.unsentFile
    ? `${unsentFile}.uncertain`
    : join(dir, `uncertain-${stamp}`);
  checkListPath(unsentFile, prepared.files, 'unsent');
  checkListPath(uncertainFile, prepared.files, 'uncertain');
  // The sales window opens before the first send (see sales.ts).
  const sales = target.removeSold ? await takeSnapshot(shop, ctx.signal) : null;
  // Where sold keys leave, the size read before the snapshot may miss sales the
  // snapshot already counts as old: it is read again after it.
  const size = target.removeSold
    ? (await describeTarget(shop, target.kind, target.id, target.dedupFrom === 'flag')).size
    : target.size;
  return {
    version: JOURNAL_VERSION,
    key,
    target: { kind: opts.kind, id: opts.id, baseUrl, pool: target.poolId },
    inputs: prepared.files.map((f, i) => ({ name: names[i]!, size: f.size, sha256: f.sha256 })),
    removeDuplicates: Boolean(opts.removeDuplicates),
    poolDedup: target.dedup,
    sizing: firstSizing(opts),
    committedLine: 0,
    inflight: null,
    counters: emptyCounters(),
    unsentFile,
    unsentBytes: 0,
    uncertainFile,
    uncertainBytes: 0,
    sales,
    poolTotal: size,
    otherWriter: false,
    totalLines: prepared.totalLines,
    spool: prepared.spool ?? null,
    startedAt: nowIso,
    updatedAt: nowIso,
  };
}

/**
 * `--resume` of a restock of standard input reads the copy its journal
 * recorded (the spool), not standard input; undefined when there is none
 * (then standard input is read, and must hash the same).
 */
export async function savedStdin(
  ctx: Context,
  opts: RestockOptions,
  dir: string,
): Promise<string | undefined> {
  if (!opts.resume || opts.dryRun) return undefined;
  const names = inputNames(opts.files);
  if (!names.includes('-')) return undefined;
  const { baseUrl } = await ctx.api();
  const spool = new Journal(dir, journalKey(baseUrl, opts.kind, opts.id, names)).load()?.spool;
  if (!spool || !existsSync(spool)) return undefined;
  ctx.io.stderr.write(
    `warning: resuming from the saved copy of standard input (${spool}); standard input is not read\n`,
  );
  return spool;
}

/** The names a journal is keyed by: files as absolute paths, `-` for standard input. */
export function inputNames(files: readonly string[]): string[] {
  return (files.length ? files : ['-']).map((f) => (f === '-' ? '-' : resolve(f)));
}

/** A resumed journal takes what this run read: a new spool of re-piped stdin, the line count. */
export function adopt(j: JournalState, prepared: PreparedInput, journal: Journal): void {
  j.totalLines ??= prepared.totalLines;
  if (prepared.spool && j.spool !== prepared.spool) {
    j.spool = prepared.spool;
    journal.save(j);
  }
}

/** The batch sizes a new run starts with: pinned by --batch-size, else growing from small. */
export function firstSizing(opts: Pick<RestockOptions, 'batchSize' | 'maxBatchSize'>): Sizing {
  const max = opts.maxBatchSize ?? DEFAULT_MAX_BATCH;
  return opts.batchSize
    ? { size: opts.batchSize, ceiling: null, pinned: true, max }
    : { size: firstSize(max), ceiling: null, pinned: false, max };
}

export function checkResume(
  j: JournalState,
  opts: RestockOptions,
  prepared: PreparedInput,
  journal: Journal,
): void {
  if (!opts.resume) {
    throw new UsageError(
      `an interrupted restock of this ${opts.kind} with this input was not finished (journal ${journal.path})`,
      {
        hint: 'add --resume to continue it without resending what was stored, or delete the journal to start over',
      },
    );
  }
  if (j.inputs.length !== prepared.files.length) {
    throw new UsageError('the input differs from the interrupted restock: not the same files');
  }
  prepared.files.forEach((f, i) => {
    const was = j.inputs[i]!;
    if (was.size !== f.size || was.sha256 !== f.sha256) {
      throw new UsageError(
        `${displayName(f.name)} changed since the interrupted restock (size or SHA-256 differ); refusing to resume`,
        { hint: `restock the new content separately; the journal is ${journal.path}` },
      );
    }
  });
  if (j.removeDuplicates !== Boolean(opts.removeDuplicates)) {
    throw new UsageError(
      `the interrupted restock ran ${j.removeDuplicates ? 'with' : 'without'} --remove-duplicates; resume it the same way`,
    );
  }
}

/**
 * A fresh run refused over a stopped one with the same serials into the same
 * pool at the same service, whatever the files are called now (a new CI job
 * folder, a copy): it would send the stopped run's stored part again (twice
 * in a pool that keeps duplicates; a sold key back in stock in one that
 * removes sold keys). A journal that cannot be read is left to `restocks list`.
 */
export function checkNoStoppedTwin(
  dir: string,
  key: string,
  baseUrl: string,
  target: Target,
  prepared: PreparedInput,
): void {
  const content = (inputs: ReadonlyArray<{ size: number; sha256: string }>) =>
    inputs.map((f) => `${f.size}:${f.sha256}`).join(' ');
  const mine = content(prepared.files);
  for (const other of journalKeys(dir)) {
    if (other === key) continue;
    const journal = new Journal(dir, other);
    let j: JournalState | undefined;
    try {
      j = journal.load();
    } catch {
      continue;
    }
    if (!j || j.target.baseUrl !== baseUrl || content(j.inputs) !== mine) continue;
    // A journal of an earlier version names its target only: the same one, then.
    const same = j.target.pool
      ? j.target.pool === target.poolId
      : j.target.kind === target.kind && j.target.id === target.id;
    if (!same) continue;
    const files = j.inputs.map((f) => (f.name === '-' ? '-' : displayName(f.name)));
    throw new UsageError(
      `an interrupted restock of the same serials into this pool was not finished: ${other} (journal ${journal.path})`,
      {
        hint: `resume it as it was run (astrosell ${j.target.kind}s restock ${j.target.id} ${files.join(' ')} --resume), or give it up with \`astrosell restocks abandon ${other}\` and restock the files it lists`,
      },
    );
  }
}

function statOrUndefined(path: string, label: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`cannot use ${path} as the ${label} file: ${code ?? String(error)}`);
  }
}

/**
 * A new run's unsent file (and the uncertain file beside it) must be a new or
 * empty regular file, in a folder that exists, and none of the inputs:
 * serials written into an input would be read back (and sent) later in the
 * run, or change what a resume hashes. Checked before anything is sent.
 */
function checkListPath(path: string, inputs: readonly InputFile[], label: string): void {
  const st = statOrUndefined(path, label);
  if (!st) {
    const folder = statOrUndefined(dirname(path), label);
    if (!folder?.isDirectory()) {
      throw new UsageError(`the folder of the ${label} file ${path} does not exist`, {
        hint: 'create it, or name another file with --unsent-file',
      });
    }
    return;
  }
  if (st.isDirectory()) {
    throw new UsageError(`the ${label} file ${path} is a directory`, {
      hint: `name a file with --unsent-file, e.g. ${join(path, 'unsent.txt')}`,
    });
  }
  if (!st.isFile()) {
    throw new UsageError(`the ${label} file ${path} is not a regular file`, {
      hint: 'name a regular file with --unsent-file',
    });
  }
  for (const f of inputs) {
    const input = fstatSync(f.fd);
    if (input.dev === st.dev && input.ino === st.ino) {
      throw new UsageError(`the ${label} file ${path} is also an input (${displayName(f.name)})`, {
        hint: 'name another file with --unsent-file',
      });
    }
  }
  if (st.size > 0) {
    throw new UsageError(`the ${label} file ${path} already exists and is not empty`, {
      hint: 'name another with --unsent-file, or move that one away',
    });
  }
}
