// Setting up an upload run: the target, the journal (lock, a new state or
// the one to resume, checked against the input), the unsent file, the
// source and the progress; then drive() and finish().
import { type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { drive } from './drive.js';
import type { RestockOptions } from './engine.js';
import { finish } from './finish.js';
import { HashSet128 } from './hashset.js';
import { displayName, type InputFile, type PreparedInput } from './input.js';
import {
  emptyCounters,
  JOURNAL_VERSION,
  Journal,
  type JournalState,
  journalKey,
} from './journal.js';
import { retryRead } from './pool-check.js';
import { createProgress, type Progress } from './progress.js';
import { DEFAULT_BATCH_SIZE, type Run } from './run.js';
import { SerialSource } from './source.js';
import { describeTarget } from './target.js';
import { UnsentFile } from './unsent.js';

/** After Ctrl-C the request in flight (and its reconciliation) may finish within this. */
const GRACE_MS = 10_000;

export async function upload(
  ctx: Context,
  opts: RestockOptions,
  prepared: PreparedInput,
  dir: string,
  started: number,
): Promise<number> {
  const api = await ctx.api();
  const target = await retryRead(ctx, ctx.signal, () => describeTarget(api, opts.kind, opts.id));
  const names = prepared.files.map((f) => (f.name === '-' ? '-' : resolve(f.name)));
  const key = journalKey(api.baseUrl, opts.kind, opts.id, names);
  const journal = new Journal(dir, key);
  journal.lock();
  const graceController = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    graceTimer = setTimeout(() => graceController.abort(new Error('interrupted')), GRACE_MS);
    graceTimer.unref();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let unsent: UnsentFile | undefined;
  let uncertain: UnsentFile | undefined;
  let progress: Progress | undefined;
  let source: SerialSource | undefined;
  try {
    const existing = journal.load();
    const state = existing ? checkResume(existing, opts, prepared, journal) : undefined;
    if (!existing && opts.resume) {
      throw new UsageError(
        'nothing to resume: no interrupted restock of this target with this input',
        {
          hint: 'name the same files (or pipe the same input) as the interrupted run',
        },
      );
    }
    const nowIso = new Date(ctx.clock.now()).toISOString();
    const stamp = `${nowIso.replace(/[:.]/g, '-')}-${process.pid}.txt`;
    const unsentPath =
      state?.unsentFile ??
      (opts.unsentFile ? resolve(opts.unsentFile) : join(dir, `unsent-${stamp}`));
    // Beside it: `uncertain-<stamp>` by default, `<PATH>.uncertain` for --unsent-file PATH.
    const uncertainPath =
      state?.uncertainFile ??
      (opts.unsentFile ? `${unsentPath}.uncertain` : join(dir, `uncertain-${stamp}`));
    if (state && opts.unsentFile && resolve(opts.unsentFile) !== state.unsentFile) {
      ctx.io.stderr.write(
        `warning: resuming: unsent serials keep going to ${state.unsentFile}, uncertain ones to ${state.uncertainFile}\n`,
      );
    }
    if (!state) {
      checkUnsentPath(unsentPath, prepared.files);
      checkUnsentPath(uncertainPath, prepared.files, 'uncertain');
    }
    const s: JournalState = state ?? {
      version: JOURNAL_VERSION,
      key,
      target: { kind: opts.kind, id: opts.id, baseUrl: api.baseUrl },
      inputs: prepared.files.map((f, i) => ({ name: names[i]!, size: f.size, sha256: f.sha256 })),
      removeDuplicates: Boolean(opts.removeDuplicates),
      batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
      committedLine: 0,
      inflight: null,
      counters: emptyCounters(),
      unsentFile: unsentPath,
      unsentBytes: 0,
      uncertainFile: uncertainPath,
      uncertainBytes: 0,
      poolTotal: null,
      startedAt: nowIso,
      updatedAt: nowIso,
    };
    if (state && opts.batchSize) s.batchSize = Math.min(s.batchSize, opts.batchSize);
    unsent = new UnsentFile(s.unsentFile, s.unsentBytes);
    uncertain = new UnsentFile(s.uncertainFile, s.uncertainBytes, 'uncertain');
    source = new SerialSource(prepared.files, s.removeDuplicates ? new HashSet128() : undefined);
    progress = await createProgress(
      ctx.io,
      prepared.totalLines,
      ctx.clock,
      `restocking ${opts.kind} ${opts.id}`,
      s.committedLine,
    );
    const run: Run = {
      ctx,
      api,
      target,
      state: s,
      journal,
      unsent,
      uncertain,
      source,
      progress,
      sendSignal: graceController.signal,
      requestDedup: s.removeDuplicates ? true : undefined,
      effectiveDedup: s.removeDuplicates || target.poolRemoveDuplicates,
      capped: false,
      uncommitted: [],
      inflightSerials: 0,
      flushJournal: async () => {},
      requests: 0,
      startCounters: structuredClone(s.counters),
      totalLines: prepared.totalLines,
    };
    const outcome = await drive(run);
    progress.stop();
    return await finish(run, opts, outcome, Boolean(state), started);
  } finally {
    progress?.stop();
    source?.close();
    unsent?.close();
    uncertain?.close();
    ctx.signal.removeEventListener('abort', onAbort);
    if (graceTimer) clearTimeout(graceTimer);
    journal.unlock();
  }
}

function checkResume(
  j: JournalState,
  opts: RestockOptions,
  prepared: PreparedInput,
  journal: Journal,
): JournalState {
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
  return j;
}

function statOrUndefined(path: string, label = 'unsent'): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`cannot use ${path} as the ${label} file: ${code ?? String(error)}`);
  }
}

/**
 * A new run's unsent file (and the uncertain file beside it) must be a new or empty regular file, in a folder
 * that exists, and none of the inputs: serials written into an input would be
 * read back (and sent) later in the run, or change what a resume hashes.
 * Checked before anything is sent, not when the first serial is written.
 */
function checkUnsentPath(path: string, inputs: readonly InputFile[], label = 'unsent'): void {
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
    const input = statOrUndefined(f.readPath);
    if (input && input.dev === st.dev && input.ino === st.ino) {
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
