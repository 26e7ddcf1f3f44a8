// The arguments and flags both restock verbs share (one engine behind them,
// src/commands/restock.ts); each noun's index.ts adds its own name and help.

import { type Args, type Flags, intArg } from './define.js';
import type { RestockFlags } from './restock.js';

export function restockArgs(what: 'product' | 'warehouse'): Args<RestockFlags> {
  return [
    {
      name: `<${what}>`,
      description: what === 'product' ? 'its id, slug or exact title' : 'its id or exact name',
      names: what,
    },
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
      description:
        'serials per request, fixed (default: from 1000, growing to what the service takes)',
      parse: intArg('--batch-size', 1, 100_000),
    },
    maxBatchSize: {
      value: 'n',
      description: 'the largest request the growing batch size may reach (default 100000)',
      parse: intArg('--max-batch-size', 1, 1_000_000),
    },
    removeDuplicates: {
      description:
        "drop serials already in the pool (the API's option) and repeats within the input",
    },
    dryRun: {
      description: 'check the input and the target, and report what would be sent; send nothing',
    },
    offline: { description: 'with --dry-run: check the input only, read nothing remote' },
    resume: { description: 'continue an interrupted restock from its journal' },
    unsentFile: {
      value: 'path',
      description:
        'where serials that were not stored are written; those of unknown outcome go to PATH.uncertain (default: named at the end)',
    },
  };
}
