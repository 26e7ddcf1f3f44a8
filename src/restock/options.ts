// What a restock is asked to do, and what it gives back.
import type { CliError } from '../errors.js';
import type { PreparedInput } from './input.js';
import type { Summary } from './summary.js';
import type { TargetKind } from './target.js';

export const DEFAULT_BATCH_SIZE = 1000;

export interface RestockOptions {
  kind: TargetKind;
  id: string;
  files: string[];
  batchSize?: number;
  removeDuplicates?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  unsentFile?: string;
  /** Already checked input (create commands). */
  prepared?: PreparedInput;
}

/** What a restock did; `error` (when set) is what the verb exits with, after the summary. */
export interface RestockResult {
  summary: Summary;
  error?: CliError;
}
