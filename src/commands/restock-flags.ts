// The arguments and flags both restock verbs share (one engine behind them,
// src/commands/restock.ts); each noun's index.ts adds its own name and help.

import { type Args, type Flags, intArg } from './define.js';
import type { RestockFlags } from './restock.js';

export function restockArgs(what: 'product' | 'warehouse'): Args<RestockFlags> {
  return [
    { name: '<id>', description: `${what} id` },
    {
      name: '[files...]',
      description: 'files of serials, one per line; - or none: standard input',
    },
  ];
}

export function restockFlags(): Flags<RestockFlags> {
  return {
    batchSize: {
      value: 'n',
      description: 'serials per request (default 1000)',
      parse: intArg('--batch-size', 1, 100_000),
    },
    removeDuplicates: {
      description:
        "drop serials already in the pool (the API's option) and repeats within the input",
    },
    dryRun: { description: 'read, normalise, dedupe and report; send nothing' },
    resume: { description: 'continue an interrupted restock from its journal' },
    unsentFile: {
      value: 'path',
      description:
        'where serials that were not stored are written; those of unknown outcome go to PATH.uncertain (default: named at the end)',
    },
  };
}
