// What one upload run shares between its parts (upload.ts sets it up,
// drive.ts sends unit after unit, send-unit.ts settles one, finish.ts ends it).
import type { ApiClient } from '../api/client.js';
import type { Context } from '../context.js';
import type { CliError } from '../errors.js';
import type { Unit } from './batch.js';
import type { Counters, Journal, JournalState } from './journal.js';
import type { Progress } from './progress.js';
import type { SerialSource } from './source.js';
import type { Target } from './target.js';
import type { UnsentFile } from './unsent.js';

export const DEFAULT_BATCH_SIZE = 1000;

export interface Run {
  ctx: Context;
  api: ApiClient;
  target: Target;
  state: JournalState;
  journal: Journal;
  unsent: UnsentFile;
  /** Serials whose outcome is unknown (they may be in the pool). */
  uncertain: UnsentFile;
  source: SerialSource;
  progress: Progress;
  /** Aborted a grace period after Ctrl-C: lets the request in flight finish. */
  sendSignal: AbortSignal;
  /** removeDuplicates sent with each request (undefined: the pool's own setting applies). */
  requestDedup: boolean | undefined;
  /** A stored serial resent is dropped by the service. */
  effectiveDedup: boolean;
  capped: boolean;
  /** Units read from the input but neither sent nor committed (read-ahead). */
  uncommitted: Unit[];
  /** Serials of the unit in flight. */
  inflightSerials: number;
  /** Waits for queued journal writes (before the final, synchronous one). */
  flushJournal: () => Promise<void>;
  /** Stock requests started in this run. */
  requests: number;
  /** The counters as this run found them (a resume: the stopped run's). */
  startCounters: Counters;
  /** Lines in the input, as counted by the check before sending. */
  totalLines: number;
}

export type Outcome = { kind: 'done' } | { kind: 'stopped'; error: CliError | Error };
