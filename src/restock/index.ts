// The restock engine's one door: what the verbs (restock, create --stock-file,
// warehouses diff) use. Everything else in this folder is the engine's own;
// docs/restock.md says what it promises and how.
export { restock } from './engine.js';
// The input reader, pool scanner and key set are also what `warehouses diff` compares with.
export { HashSet128 } from './hashset.js';
export { displayName, type PreparedInput, prepareInput } from './input.js';
export {
  type AbandonReport,
  abandon,
  type InterruptedRestock,
  listInterrupted,
} from './interrupted.js';
export { journalDir, usableJournalDir } from './journal.js';
export type {
  Progress,
  RestockOptions,
  RestockResult,
} from './options.js';
export { PoolScanner } from './pool-scan.js';
export { UnitReader } from './read.js';
export type { Summary } from './summary.js';
export type { TargetKind } from './target.js';
