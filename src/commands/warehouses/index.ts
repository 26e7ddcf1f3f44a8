// `astrosell warehouses …`: the verbs, their flags and help. Each verb's code
// is in the file beside this one and is loaded only when it runs.
import { intArg, type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';
import { restockArgs, restockFlags } from '../restock-flags.js';

export const warehouses: Noun = {
  name: 'warehouses',
  description: 'shared serial pools',
  examples: ['astrosell warehouses list', 'astrosell warehouses check'],
  verbs: [
    verb({
      name: 'list',
      description: 'list warehouses, newest first; low stock is highlighted',
      flags: recordFlags('id,name,count'),
      examples: ['astrosell warehouses list', 'astrosell warehouses list --format ndjson'],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'get',
      description: 'show one warehouse, its count and (on a terminal) its first 10 items',
      args: [{ name: '<warehouse>', description: 'its id or exact name', names: 'warehouse' }],
      flags: {
        items: {
          description:
            'on a terminal, every item (default: the first 10); piped and --json have all',
        },
        ...recordFlags('name,count'),
      },
      examples: [
        'astrosell warehouses get 66f0c3a1b2c4d5e6f7a8b9c0',
        'astrosell warehouses get "Netflix pool" --fields name,count --format csv',
      ],
      load: () => import('./get.js'),
    }),
    verb({
      name: 'check',
      description: 'exit 8 when any warehouse is at or below its low-stock threshold',
      flags: {
        min: {
          value: 'n',
          description: 'also report serials products with N or fewer in stock (exit 8 too)',
          parse: intArg('--min', 0),
        },
        days: {
          value: 'n',
          description:
            'days of stock left per pool and product, from the sales in the order history (else the newest orders); exit 8 for what runs out within N days',
          parse: intArg('--days', 1),
        },
        db: { value: 'file', description: 'the history file (with --days)' },
        ...recordFlags('kind,id,count'),
      },
      examples: [
        'astrosell warehouses check || notify-ops "restock needed"',
        'astrosell warehouses check --json',
        'astrosell warehouses check --min 10 --format csv',
        'astrosell warehouses check --days 7',
      ],
      load: () => import('./check.js'),
    }),
    verb({
      name: 'diff',
      description:
        'compare a file of serials with a pool: how many are present, missing, extra; exit 9 when any is missing',
      args: [
        { name: '<warehouse>', description: 'its id or exact name', names: 'warehouse' },
        {
          name: '<file>',
          description: 'serials, one per line, read as restock reads them; - for stdin',
        },
      ],
      flags: {
        show: {
          value: 'which',
          description:
            'print those serials, one per line, and nothing else on stdout (the counts go to stderr)',
          choices: ['missing', 'present', 'extra'],
        },
      },
      examples: [
        'astrosell warehouses diff 66f0c3a1b2c3d4e5f6a7b801 codes.txt',
        'astrosell warehouses diff "Netflix pool" codes.txt --show missing > retry.txt',
        'supplier-export | astrosell warehouses diff 66f0c3a1b2c3d4e5f6a7b801 - --json',
      ],
      load: () => import('./diff.js'),
    }),
    verb({
      name: 'create',
      description: 'create a shared serial pool; prompts for what is missing on a terminal',
      flags: {
        name: { value: 'name', description: 'a label for the pool' },
        stockFile: {
          value: 'file',
          description: 'serials to seed it with (one per line; - for stdin)',
        },
        removeDuplicates: { negate: true, description: 'keep duplicate keys (default: dropped)' },
        removeSold: { negate: true, description: 'keep keys once delivered (default: removed)' },
        lowStockThreshold: {
          value: 'n',
          description: 'flag the pool when stock falls to this count',
          parse: intArg('--low-stock-threshold', 0),
        },
      },
      examples: [
        'astrosell warehouses create --name "Netflix pool" --low-stock-threshold 20',
        "astrosell warehouses create --name 'Steam $20' --stock-file codes.txt --json",
      ],
      load: () => import('./create.js'),
    }),
    verb({
      name: 'restock',
      description: 'stream serials into a warehouse; every linked product is restocked',
      args: restockArgs('warehouse'),
      flags: restockFlags(),
      examples: [
        'astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 codes.txt more.txt',
        'cat codes.txt | astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 --remove-duplicates',
        'astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 codes.txt --resume',
      ],
      load: async () => ({ run: (await import('../restock.js')).runWarehouse }),
    }),
  ],
};
