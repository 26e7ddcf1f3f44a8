// The command tree. Only definitions live here (names, flags, help); each
// action lazily imports its verb module, so `--help` and `--version` load
// nothing but commander.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context, OutStream } from './context.js';
import { VERSION } from './version.js';

export interface ProgramDeps {
  stdout: OutStream;
  stderr: OutStream;
  getContext(cmd: Command): Context;
  setExitCode(code: number): void;
  /**
   * The command line about to be parsed. When given, only the nouns it names
   * get their verbs built: `astrosell --help` and `astrosell orders list`
   * need not construct forty commands they will not run. Omitted: all.
   */
  argv?: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: each verb declares its own option type
type Verb = (ctx: Context, options: any) => Promise<number | undefined | undefined>;
type VerbModule = { run: Verb };

export function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be at least ${min}`
          : `${name} must be between ${min} and ${max}`,
      );
    }
    return n;
  };
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** The flags both restock commands share (one engine behind them). */
function restockOptions(cmd: Command): Command {
  return cmd
    .argument('[files...]', 'files of serials, one per line; - or none: standard input')
    .option(
      '--batch-size <n>',
      'serials per request (default 1000)',
      intArg('--batch-size', 1, 100_000),
    )
    .option(
      '--remove-duplicates',
      "drop serials already in the pool (the API's option) and repeats within the input",
    )
    .option('--dry-run', 'read, normalise, dedupe and report; send nothing')
    .option('--resume', 'continue an interrupted restock from its journal')
    .option(
      '--unsent-file <path>',
      'where serials that were not stored are written; those of unknown outcome go to PATH.uncertain (default: named at the end)',
    );
}

export function buildProgram(deps: ProgramDeps): Command {
  const withOutput = (cmd: Command): Command =>
    cmd
      .exitOverride()
      .configureOutput({
        writeOut: (s) => deps.stdout.write(s),
        writeErr: (s) => deps.stderr.write(s),
      })
      .showSuggestionAfterError(true)
      .configureHelp({ showGlobalOptions: true });

  /** Wire a command to a lazily loaded verb; positional args arrive as `options.args`. */
  const verb = (cmd: Command, load: () => Promise<VerbModule>): Command =>
    cmd.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      const ctx = deps.getContext(self);
      const { run } = await load();
      const code = await run(ctx, { ...self.opts(), args: self.processedArgs });
      deps.setExitCode(typeof code === 'number' ? code : 0);
    });

  const wanted = (noun: string): boolean =>
    !deps.argv || deps.argv.includes(noun) || deps.argv.includes('help');

  const sub = (name: string, description: string): Command =>
    withOutput(new Command(name)).description(description);

  const program = withOutput(new Command('astrosell'))
    .description('Run an AstroSell shop from the terminal and from CI.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--json', "print the service's JSON (or one JSON result object) on stdout")
    .option('-p, --profile <name>', 'profile to use (env: ASTROSELL_PROFILE)')
    .option('--base-url <url>', 'API base URL incl. /api/v1 (env: ASTROSELL_BASE_URL)')
    .option(
      '--timeout <seconds>',
      'limit for each whole request (connecting, answer and body), in seconds (default 30)',
      intArg('--timeout', 1, 3600),
    )
    .option('--no-input', 'never prompt; a missing value is an error')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--verbose', 'trace requests on stderr (keys redacted) and show stack traces')
    .enablePositionalOptions(false)
    .addHelpText(
      'after',
      examples(
        'astrosell sandbox                      # a local demo shop to try things on',
        'astrosell products list',
        'astrosell warehouses restock 66f0c3a1b2c4d5e6f7a8b9c0 serials.txt',
        'astrosell orders list --status completed --limit 10 --json',
      ),
    );

  // products
  const products = sub('products', 'list, inspect, create and restock products').addHelpText(
    'after',
    examples('astrosell products list', 'astrosell products get 66f0a1b2c3d4e5f6a7b8c901 --json'),
  );
  if (wanted('products')) {
    verb(
      products
        .command('list')
        .description('list products, newest first')
        .addHelpText(
          'after',
          examples('astrosell products list', 'astrosell products list --json | jq ".[].id"'),
        ),
      () => import('./commands/products/list.js'),
    );
    verb(
      products
        .command('get')
        .description('show one product with its stock items')
        .argument('<id>', 'product id')
        .addHelpText('after', examples('astrosell products get 66f0a1b2c3d4e5f6a7b8c9d0')),
      () => import('./commands/products/get.js'),
    );
    verb(
      products
        .command('create')
        .description('create a product; prompts for what is missing on a terminal')
        .option('--title <title>', 'product name shown to buyers')
        .option('--price <price>', 'price in the product currency, ≥ 0')
        .option('--type <type>', 'serials (default), service, file or dynamic')
        .option('--currency <code>', 'USD (default), EUR, GBP or CAD')
        .option('--visibility <v>', 'public (default), unlisted or private')
        .option('--purchase-note <text>', 'shown to the buyer after purchase')
        .option('--warehouse <id>', 'draw stock from this existing warehouse')
        .option(
          '--stock-file <file>',
          'initial serials (one per line; - for stdin): creates a dedicated warehouse',
        )
        .addHelpText(
          'after',
          examples(
            'astrosell products create',
            'astrosell products create --title "Steam Gift Card $20" --price 18.5 --stock-file codes.txt',
            'astrosell products create --title "Netflix 1 Month" --price 4.99 --warehouse 66f0c3a1b2c3d4e5f6a7b801',
            'astrosell products create --title "Setup call" --price 25 --type service --no-input --json',
          ),
        ),
      () => import('./commands/products/create.js'),
    );
    verb(
      restockOptions(products.command('restock').argument('<id>', 'product id'))
        .description("add serials to a product's pool (its warehouse, or its own legacy stock)")
        .addHelpText(
          'after',
          examples(
            'astrosell products restock 66f0a1b2c3d4e5f6a7b8c901 codes.txt',
            'generate-codes | astrosell products restock 66f0a1b2c3d4e5f6a7b8c901 --json',
          ),
        ),
      () => import('./commands/restock.js').then((m) => ({ run: m.runProduct })),
    );
  }
  program.addCommand(products);

  // warehouses
  const warehouses = sub(
    'warehouses',
    'shared serial pools: list, inspect, create, restock, check',
  ).addHelpText('after', examples('astrosell warehouses list', 'astrosell warehouses check'));
  if (wanted('warehouses')) {
    verb(
      warehouses
        .command('list')
        .description('list warehouses, newest first; low stock is highlighted')
        .addHelpText('after', examples('astrosell warehouses list')),
      () => import('./commands/warehouses/list.js'),
    );
    verb(
      warehouses
        .command('get')
        .description('show one warehouse with its items')
        .argument('<id>', 'warehouse id')
        .addHelpText('after', examples('astrosell warehouses get 66f0c3a1b2c4d5e6f7a8b9c0')),
      () => import('./commands/warehouses/get.js'),
    );
    verb(
      warehouses
        .command('check')
        .description('exit 8 when any warehouse is at or below its low-stock threshold')
        .addHelpText(
          'after',
          examples(
            'astrosell warehouses check || notify-ops "restock needed"',
            'astrosell warehouses check --json',
          ),
        ),
      () => import('./commands/warehouses/check.js'),
    );
    verb(
      warehouses
        .command('create')
        .description('create a shared serial pool; prompts for what is missing on a terminal')
        .option('--name <name>', 'a label for the pool')
        .option('--stock-file <file>', 'serials to seed it with (one per line; - for stdin)')
        .option('--no-remove-duplicates', 'keep duplicate keys (default: dropped)')
        .option('--no-remove-sold', 'keep keys once delivered (default: removed)')
        .option(
          '--low-stock-threshold <n>',
          'flag the pool when stock falls to this count',
          intArg('--low-stock-threshold', 0),
        )
        .addHelpText(
          'after',
          examples(
            'astrosell warehouses create --name "Netflix pool" --low-stock-threshold 20',
            'astrosell warehouses create --name "Steam $20" --stock-file codes.txt --json',
          ),
        ),
      () => import('./commands/warehouses/create.js'),
    );
    verb(
      restockOptions(warehouses.command('restock').argument('<id>', 'warehouse id'))
        .description('stream serials into a warehouse; every linked product is restocked')
        .addHelpText(
          'after',
          examples(
            'astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 codes.txt more.txt',
            'cat codes.txt | astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 --remove-duplicates',
            'astrosell warehouses restock 66f0c3a1b2c3d4e5f6a7b801 codes.txt --resume',
          ),
        ),
      () => import('./commands/restock.js').then((m) => ({ run: m.runWarehouse })),
    );
  }
  program.addCommand(warehouses);

  // orders
  const orders = sub('orders', 'read orders').addHelpText(
    'after',
    examples('astrosell orders list --status pending', 'astrosell orders get AS-7KD2P9'),
  );
  if (wanted('orders')) {
    verb(
      orders
        .command('list')
        .description('list orders, newest first')
        .option(
          '--status <status>',
          'only this status (completed, pending, processing, expired, refunded, …)',
        )
        .option('--limit <n>', 'how many, 1–200 (service default 50)', intArg('--limit', 1, 200))
        .addHelpText(
          'after',
          examples(
            'astrosell orders list --status completed --limit 20',
            'astrosell orders list --json',
          ),
        ),
      () => import('./commands/orders/list.js'),
    );
    verb(
      orders
        .command('get')
        .description('show one order with its delivered items')
        .argument('<invoiceId>', 'invoice id, e.g. AS-7KD2P9')
        .addHelpText('after', examples('astrosell orders get AS-7KD2P9')),
      () => import('./commands/orders/get.js'),
    );
  }
  program.addCommand(orders);

  // coupons
  const coupons = sub('coupons', 'read coupons').addHelpText(
    'after',
    examples('astrosell coupons list'),
  );
  if (wanted('coupons')) {
    verb(
      coupons
        .command('list')
        .description('list coupons with usage and expiry')
        .addHelpText('after', examples('astrosell coupons list')),
      () => import('./commands/coupons/list.js'),
    );
  }
  program.addCommand(coupons);

  // keys
  const keys = sub('keys', 'manage stored API keys (profiles)').addHelpText(
    'after',
    examples('echo "$KEY" | astrosell keys add ci', 'astrosell keys status'),
  );
  if (wanted('keys')) {
    verb(
      keys
        .command('add')
        .description('store a key as a profile: hidden prompt on a terminal, else read from stdin')
        .argument('<name>', 'profile name')
        .option('--base-url <url>', 'base URL for this profile')
        .option('--default', 'make it the default profile')
        .addHelpText(
          'after',
          examples(
            'astrosell keys add live',
            'echo "$ASTROSELL_KEY" | astrosell keys add ci --base-url http://127.0.0.1:4010/api/v1',
          ),
        ),
      () => import('./commands/keys/add.js'),
    );
    verb(
      keys
        .command('list')
        .description('list profiles (keys masked)')
        .addHelpText('after', examples('astrosell keys list')),
      () => import('./commands/keys/list.js'),
    );
    verb(
      keys
        .command('use')
        .description('make a profile the default')
        .argument('<name>', 'profile name')
        .addHelpText('after', examples('astrosell keys use live')),
      () => import('./commands/keys/use.js'),
    );
    verb(
      keys
        .command('remove')
        .description('delete a profile')
        .argument('<name>', 'profile name')
        .addHelpText('after', examples('astrosell keys remove old')),
      () => import('./commands/keys/remove.js'),
    );
    verb(
      keys
        .command('status')
        .description('show the active profile, where each setting came from, and verify the key')
        .addHelpText(
          'after',
          examples('astrosell keys status', 'ASTROSELL_PROFILE=ci astrosell keys status --json'),
        ),
      () => import('./commands/keys/status.js'),
    );
  }
  program.addCommand(keys);

  // api
  verb(
    program
      .command('api')
      .description(
        'send an authenticated request to any path under the base URL and print the body as received, keys in it masked',
      )
      .argument('<method>', 'GET, POST, …')
      .argument('<path>', 'path under the base URL, e.g. /products')
      .addOption(
        new Option('-f, --raw-field <key=value>', 'add a string body field (repeatable)').argParser(
          (v: string, prev: string[] = []) => [...prev, v],
        ),
      )
      .addOption(
        new Option(
          '-F, --field <key=value>',
          'add a typed body field: numbers, true, false and null are converted (repeatable)',
        ).argParser((v: string, prev: string[] = []) => [...prev, v]),
      )
      .option('--input <file>', 'request body from a file, or - for stdin')
      .addHelpText(
        'after',
        examples(
          'astrosell api GET /products',
          'astrosell api POST /warehouses -f name="Netflix pool" -F lowStockThreshold=20',
          'astrosell api GET /orders -F limit=5 -f status=completed   # fields become the query on GET',
          'astrosell api POST /warehouses/ID/stock --input body.json',
        ),
      ),
    () => import('./commands/api.js'),
  );

  // sandbox
  verb(
    program
      .command('sandbox')
      .description('serve a local AstroSell-compatible API with a demo shop')
      .option('--port <n>', 'port (0 = any free port)', intArg('--port', 0, 65535), 4010)
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .addOption(
        new Option(
          '--key <key>',
          'accept this API key (repeatable); none: one is made up',
        ).argParser((v: string, prev: string[] = []) => [...prev, v]),
      )
      .option('--data <file>', 'keep the shop in this JSON file across restarts')
      .option('--empty', 'start with an empty shop instead of the demo one')
      .option(
        '--max-lines <n>',
        'lines accepted per stock add (more → truncated)',
        intArg('--max-lines', 1),
      )
      .option('--max-pool <n>', 'maximum pool size (more → capped)', intArg('--max-pool', 1))
      .option('--rate-limit <rate>', 'per-key limit, e.g. 10/s or 600/min')
      .option('--latency <ms>', 'added latency per request', intArg('--latency', 0))
      .option('--error-rate <share>', 'share of requests answered 5xx, 0–1', Number.parseFloat)
      .option(
        '--drop-rate <share>',
        'share of requests processed then dropped, 0–1',
        Number.parseFloat,
      )
      .option('--seed <n>', 'seed for fault injection', intArg('--seed', 0))
      .addHelpText(
        'after',
        examples(
          'astrosell sandbox',
          'astrosell sandbox --port 0 --empty --key nsk_test_ci',
          'astrosell sandbox --data shop.json --rate-limit 5/s --drop-rate 0.05 --seed 7',
        ),
      ),
    () => import('./commands/sandbox.js'),
  );

  return program;
}
