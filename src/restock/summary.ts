// The restock summary: what a run did, as data (commands/restock-summary.ts
// prints it: one object with --json, or a short report on stderr). It adds up: every input line is counted once (sent, blank,
// rejected, duplicate, unsent or uncertain), and every serial sent is either
// added by the service, dropped by the pool as already present or repeated
// (droppedByPool), or found in the pool after its answer was lost
// (foundStored): sent = added + droppedByPool + foundStored.
//
// After --resume the counts are those of the whole restock, the stopped
// run(s) included (`thisRun` holds this run's own part).
import type { Counters } from './journal.js';
import type { Target } from './target.js';

/** The counters (see journal.ts), and how the run ended. */
export interface Summary extends Omit<Counters, 'unsentReasons'> {
  target: { type: string; id: string };
  status: 'complete' | 'partial' | 'interrupted' | 'failed' | 'invalid';
  dryRun: boolean;
  resumed: boolean;
  /** The removeDuplicates sent with each stock add, and where it came from. */
  removeDuplicates: boolean | null;
  removeDuplicatesFrom: Target['dedupFrom'] | null;
  unsentReasons: Record<string, number>;
  /** Dry run: serials that would be sent. */
  wouldSend?: number;
  /** Dry run into a pool that drops duplicates: distinct serials of the input it already holds. */
  alreadyInPool?: number;
  /** Stopped runs: serials not yet sent (the unsent file's tail) and in flight (the uncertain file's tail). */
  notSent?: number;
  inflight?: number;
  /** Stopped runs: of those, the serials no list holds (a list could not be written); --resume still covers them. */
  unlisted?: { notSent: number; inflight: number };
  poolTotal: number | null;
  /** A read-back found the pool changed in ways this run and its sales cannot explain. */
  otherWriter: boolean;
  /** The batch size in use at the end (the first one, for a dry run). */
  batchSize: number;
  /** Sizes this run sent: smallest, largest, last (null: it sent nothing). */
  batchSizes: { smallest: number; largest: number; last: number } | null;
  /** The largest batch the service is known to take, learned from a 413 or a truncation. */
  batchCeiling: number | null;
  unsentFile: string | null;
  uncertainFile: string | null;
  journal: string | null;
  durationMs: number;
  /** Resumed runs: this run's own part of the counts. */
  thisRun?: RunPart;
}

const PART_KEYS = [
  'lines',
  'sent',
  'added',
  'droppedByPool',
  'foundStored',
  'unsent',
  'uncertain',
  'batches',
] as const;
export type RunPart = Pick<Counters, (typeof PART_KEYS)[number]>;

export function runPart(now: Counters, start: Counters): RunPart {
  const part = {} as RunPart;
  for (const k of PART_KEYS) part[k] = now[k] - start[k];
  return part;
}

export interface SummaryExtra
  extends Partial<
    Pick<
      Summary,
      | 'poolTotal'
      | 'otherWriter'
      | 'batchSizes'
      | 'batchCeiling'
      | 'unsentFile'
      | 'uncertainFile'
      | 'journal'
      | 'resumed'
      | 'wouldSend'
      | 'alreadyInPool'
      | 'notSent'
      | 'inflight'
      | 'unlisted'
    >
  > {
  dryRun: boolean;
  durationMs: number;
  status: Summary['status'];
  batchSize: number;
  target?: Target;
  startCounters?: Counters;
}

export function summaryOf(
  opts: { kind: string; id: string },
  c: Counters,
  x: SummaryExtra,
): Summary {
  const { target, startCounters, ...rest } = x;
  return {
    target: { type: opts.kind, id: opts.id },
    removeDuplicates: target ? target.dedup : null,
    removeDuplicatesFrom: target ? target.dedupFrom : null,
    ...c,
    unsentReasons: { ...c.unsentReasons },
    poolTotal: null,
    otherWriter: false,
    batchSizes: null,
    batchCeiling: null,
    unsentFile: null,
    uncertainFile: null,
    journal: null,
    ...rest,
    resumed: Boolean(x.resumed),
    ...(startCounters ? { thisRun: runPart(c, startCounters) } : {}),
  };
}
