// The command tree: the global flags, and the nouns. Each noun's verbs are
// defined in src/commands/<noun>/index.ts; their code is imported only when
// one runs, so `--help` and `--version` load nothing but commander.
import { Command, Help } from 'commander';
import { api } from './commands/api/index.js';
import { completion, names } from './commands/completion/index.js';
import { coupons } from './commands/coupons/index.js';
import { examples, intArg, type Noun, type VerbRunner } from './commands/define.js';
import { keys } from './commands/keys/index.js';
import { orders } from './commands/orders/index.js';
import { products } from './commands/products/index.js';
import { restocks } from './commands/restocks/index.js';
import { sandbox } from './commands/sandbox/index.js';
import { stats } from './commands/stats/index.js';
import { status } from './commands/status/index.js';
import { warehouses } from './commands/warehouses/index.js';
import { UsageError } from './errors.js';
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

const NOUNS: readonly Noun[] = [products, warehouses, restocks, orders, coupons, keys];

export function buildProgram(deps: ProgramDeps): Command {
  const withOutput = (cmd: Command): Command =>
    cmd
      .exitOverride()
      .configureOutput({
        writeOut: (s) => deps.stdout.write(s),
        writeErr: (s) => deps.stderr.write(s),
      })
      .showSuggestionAfterError(true)
      .configureHelp({
        showGlobalOptions: true,
        formatHelp: verbsFirst,
        // A subcommand listed by its name, as gh lists them: its arguments are in its own help.
        subcommandTerm: (sub) => sub.name(),
      });

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
    .option(
      '--query <expr>',
      "a JMESPath expression applied to the JSON output, as in aws --query (implies --json), e.g. '[].id'",
    )
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
    // The description names every verb, so the root's help says what each noun can do.
    const cmd = withOutput(new Command(noun.name))
      .description(`${noun.description}: ${noun.verbs.map((v) => v.name).join(', ')}`)
      .addHelpText('after', examples(noun.examples));
    if (wanted(noun.name)) for (const v of noun.verbs) v.attach(cmd, deps);
    helpOnStdout(cmd);
    program.addCommand(cmd);
  }
  api.attach(program, deps);
  sandbox.attach(program, deps);
  stats.attach(program, deps);
  status.attach(program, deps);
  completion.attach(program, deps);
  names.attach(program, deps);
  program
    .command('help')
    .description('show the help of a command: astrosell help warehouses restock')
    .argument('[command...]', 'a noun, or a noun and a verb')
    .addHelpText(
      'after',
      examples(['astrosell help warehouses', 'astrosell help warehouses restock']),
    )
    .action((path: string[]) => {
      showHelp(program, path);
      deps.setExitCode(0);
    });
  helpOnStdout(program);
  return program;
}

/** `astrosell help <noun> [verb]`: that command's help, on stdout. */
function showHelp(program: Command, path: readonly string[]): void {
  let at = program;
  for (const [i, word] of path.entries()) {
    const next = at.commands.find((c) => c.name() === word);
    if (!next) {
      throw new UsageError(`unknown command "${path.slice(0, i + 1).join(' ')}"`, {
        hint: `astrosell help${i ? ` ${path.slice(0, i).join(' ')}` : ''} lists the commands`,
      });
    }
    at = next;
  }
  at.outputHelp();
}

/**
 * A command run bare (`astrosell`, `astrosell products`) prints its help:
 * asked for, so on stdout (`astrosell | less` shows it), exit 0. Commander
 * would write it to stderr as if it were an error.
 */
function helpOnStdout(cmd: Command): void {
  const help = cmd.help.bind(cmd);
  cmd.help = ((context?: { error: boolean }) =>
    help(context?.error && cmd.args.length === 0 ? undefined : context)) as Command['help'];
}

/**
 * Help as gh lays it out: what the command does, then its subcommands, then
 * its own options, then the global ones. Commander puts the options first.
 */
function verbsFirst(cmd: Command, helper: Help): string {
  const text = Help.prototype.formatHelp.call(helper, cmd, helper);
  // Sections are separated by blank lines; each starts with its heading.
  const sections = text.replace(/\n+$/, '').split(/\n\n+(?=\S)/);
  const commands = sections.findIndex((s) => s.startsWith('Commands:'));
  const options = sections.findIndex((s) => /^(Options|Global Options):/.test(s));
  if (commands < 0 || options < 0 || commands < options) return text;
  const [moved] = sections.splice(commands, 1);
  sections.splice(options, 0, moved!);
  return `${sections.join('\n\n')}\n`;
}
