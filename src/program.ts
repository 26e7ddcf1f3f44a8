// The command tree: the global flags, and the nouns. Each noun's verbs are
// defined in src/commands/<noun>/index.ts; their code is imported only when
// one runs, so `--help` and `--version` load nothing but commander.
import { Command } from 'commander';
import { api } from './commands/api/index.js';
import { completion, names } from './commands/completion/index.js';
import { coupons } from './commands/coupons/index.js';
import { examples, intArg, type Noun, type VerbRunner } from './commands/define.js';
import { keys } from './commands/keys/index.js';
import { orders } from './commands/orders/index.js';
import { products } from './commands/products/index.js';
import { restocks } from './commands/restocks/index.js';
import { sandbox } from './commands/sandbox/index.js';
import { warehouses } from './commands/warehouses/index.js';
import type { OutStream } from './io.js';
import { VERSION } from './version.js';

export interface ProgramDeps extends VerbRunner {
  stdout: OutStream;
  stderr: OutStream;
  /**
   * The command line about to be parsed. When given, only the nouns it names
   * get their verbs built: `astrosell --help` and `astrosell orders list`
   * need not construct forty commands they will not run. Omitted: all.
   */
  argv?: readonly string[];
}

const NOUNS: readonly Noun[] = [products, warehouses, restocks(), orders, coupons, keys()];

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

  // `completion` describes the whole tree, so it needs every verb.
  const wanted = (noun: string): boolean =>
    !deps.argv ||
    deps.argv.includes(noun) ||
    deps.argv.includes('help') ||
    deps.argv.includes('completion');

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
      examples([
        'astrosell sandbox                      # a local demo shop to try things on',
        'astrosell products list',
        'astrosell warehouses restock 66f0c3a1b2c4d5e6f7a8b9c0 serials.txt',
        'astrosell orders list --status completed --limit 10 --json',
      ]),
    );

  for (const noun of NOUNS) {
    const cmd = withOutput(new Command(noun.name))
      .description(noun.description)
      .addHelpText('after', examples(noun.examples));
    if (wanted(noun.name)) for (const v of noun.verbs) v.attach(cmd, deps);
    program.addCommand(cmd);
  }
  api.attach(program, deps);
  sandbox.attach(program, deps);
  completion.attach(program, deps);
  names.attach(program, deps);
  return program;
}
