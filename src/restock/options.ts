// What a restock is asked to do, and what it gives back.
import type { CliError } from '../errors.js';
import type { PreparedInput } from './input.js';
import type { Summary } from './summary.js';
import type { TargetKind } from './target.js';

/** The largest batch a run grows to unless --max-batch-size says otherwise. */
export const DEFAULT_MAX_BATCH = 100_000;

/** How a run shows its progress: the verb hands one in (a spinner on a terminal). */
export interface Progress {
  /** `done`: input lines settled so far. */
  update(sent: number, done: number): void;
  /** A line that must not be overwritten by the spinner. */
  note(line: string): void;
  stop(): void;
}

export interface RestockOptions {
  kind: TargetKind;
  id: string;
  files: string[];
  /** Pins the batch size (no growth). */
  batchSize?: number;
  /** The largest batch the run may grow to. */
  maxBatchSize?: number;
  removeDuplicates?: boolean;
  dryRun?: boolean;
  /** With dryRun: read nothing remote (the input alone is checked). */
  offline?: boolean;
  resume?: boolean;
  unsentFile?: string;
  /** Already checked input (create commands). */
  prepared?: PreparedInput;
  /** Progress for `totalLines` input lines; without it, notes go to stderr as plain lines. */
  progress?: (label: string, totalLines: number) => Promise<Progress>;
}

/** What a restock did; `error` (when set) is what the verb exits with, after the summary. */
export interface RestockResult {
  summary: Summary;
  error?: CliError;
}
