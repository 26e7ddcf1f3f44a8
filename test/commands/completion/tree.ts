import { Argument, Command, Option } from 'commander';
import { completionNames, completionValues } from '../../../src/commands/define.js';

/** A small command tree with one of each kind of flag and argument. */
export function tree(): Command {
  const root = new Command('astrosell').description('the root');
  root.option('-p, --profile <name>', 'profile to use');
  root.option('--json', 'JSON output');
  const keys = root.command('keys').description('API keys');
  keys.command('use').description('switch profile').argument('<name>');
  keys.command('remove').description('forget a profile').argument('<name>');
  keys.command('add').description("add 'em").argument('<name>');
  const orders = root.command('orders').description('orders');
  const list = orders.command('list').description('list orders');
  list.addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'json']));
  const status = new Option('--status <s>', 'which orders');
  completionValues.set(status, ['open', 'done']);
  list.addOption(status);
  list.option('--show <what>', 'what to show');
  list.option('--input <file>', 'read from');
  const wh = root
    .command('wh')
    .description('warehouses')
    .addArgument(new Argument('[mode]').choices(['all', 'low']));
  const diff = wh.command('diff').description('compare').argument('<id>').argument('<file>');
  diff.addOption(new Option('--show <which>', 'lines').choices(['missing', 'extra']));
  diff.addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'csv']));
  const id = new Argument('<id>');
  completionNames.set(id, 'warehouse');
  wh.command('remove').description('delete').addArgument(id);
  wh.command('restock')
    .description('add stock')
    .argument('<id>')
    .argument('[files...]')
    .option('--stock-file <f>', 'stock')
    .option('--unsent-file <f>', 'unsent')
    .option('--data <f>', 'data')
    .option('-n, --dry-run', 'dry')
    .option('-l, --limit [n]', 'limit')
    .option('-x <v>', 'short only');
  root.command('load').description('load').argument('<file>');
  root
    .command('completion')
    .description('script')
    .addArgument(new Argument('<shell>').choices(['bash', 'fish']));
  return root;
}
