// `astrosell products …`: the verbs, their flags and help. Each verb's code
// is in the file beside this one and is loaded only when it runs.
import { type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';
import { restockArgs, restockFlags } from '../restock-flags.js';

export const products: Noun = {
  name: 'products',
  description: 'the products you sell',
  examples: ['astrosell products list', 'astrosell products get 66f0a1b2c3d4e5f6a7b8c901 --json'],
  verbs: [
    verb({
      name: 'list',
      description: 'list products, newest first',
      flags: recordFlags('id,title,stock'),
      examples: [
        'astrosell products list',
        'astrosell products list --json | jq ".[].id"',
        'astrosell products list --format csv --fields id,title,price,currency,stock > products.csv',
      ],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'get',
      description: 'show one product, its stock and (on a terminal) its first 10 stock items',
      args: [{ name: '<product>', description: 'its id, slug or exact title', names: 'product' }],
      flags: {
        items: {
          description:
            'on a terminal, every stock item (default: the first 10); piped and --json have all',
        },
        ...recordFlags('title,stock'),
      },
      examples: [
        'astrosell products get 66f0a1b2c3d4e5f6a7b8c9d0',
        'astrosell products get netflix-premium-1-month --fields title,stock --format json',
      ],
      load: () => import('./get.js'),
    }),
    verb({
      name: 'create',
      description: 'create a product; prompts for what is missing on a terminal',
      flags: {
        title: { value: 'title', description: 'product name shown to buyers' },
        price: { value: 'price', description: 'price in the product currency, ≥ 0' },
        type: {
          value: 'type',
          description: 'serials (default), service, file or dynamic',
          complete: ['serials', 'service', 'file', 'dynamic'],
        },
        currency: {
          value: 'code',
          description: 'USD (default), EUR, GBP or CAD',
          complete: ['USD', 'EUR', 'GBP', 'CAD'],
        },
        visibility: {
          value: 'v',
          description: 'public (default), unlisted or private',
          complete: ['public', 'unlisted', 'private'],
        },
        purchaseNote: { value: 'text', description: 'shown to the buyer after purchase' },
        warehouse: {
          value: 'warehouse',
          description: 'draw stock from this existing warehouse (its id or exact name)',
          names: 'warehouse',
        },
        stockFile: {
          value: 'file',
          description: 'initial serials (one per line; - for stdin): creates a dedicated warehouse',
        },
      },
      examples: [
        'astrosell products create',
        "astrosell products create --title 'Steam Gift Card $20' --price 18.5 --stock-file codes.txt",
        "astrosell products create --title 'Netflix 1 Month' --price 4.99 --warehouse 'Netflix pool'",
        "astrosell products create --title 'Setup call' --price 25 --type service --no-input --json",
      ],
      load: () => import('./create.js'),
    }),
    verb({
      name: 'restock',
      description: "add serials to a product's pool (its warehouse, or its own legacy stock)",
      args: restockArgs('product'),
      flags: restockFlags(),
      examples: [
        'astrosell products restock 66f0a1b2c3d4e5f6a7b8c901 codes.txt',
        'generate-codes | astrosell products restock 66f0a1b2c3d4e5f6a7b8c901 --json',
      ],
      load: async () => ({ run: (await import('../restock.js')).runProduct }),
    }),
  ],
};
