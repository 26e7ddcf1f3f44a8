// What the noun definitions say beyond their help text: the values shell
// completion offers for flags that do not restrict them, and the flag name
// each number parser puts in its error.
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionValues } from '../../src/commands/define.js';
import { buildProgram } from '../../src/program.js';
import { runMain } from '../helpers/cli.js';

function program(): Command {
  const sink = { write: () => true, isTTY: false } as never;
  return buildProgram({
    stdout: sink,
    stderr: sink,
    getContext: () => {
      throw new Error('not run');
    },
    setExitCode: () => {},
  });
}

function option(path: string[], flag: string): Option {
  let cmd = program();
  for (const name of path) {
    const next = cmd.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`no command ${name}`);
    cmd = next;
  }
  const found = cmd.options.find((o) => o.long === flag);
  if (!found) throw new Error(`no ${flag} on ${path.join(' ')}`);
  return found;
}

describe('completion values of open flags', () => {
  it('orders list and watch offer the known statuses for --status, cancelled too', () => {
    const statuses = ['completed', 'pending', 'processing', 'expired', 'refunded', 'cancelled'];
    expect(completionValues.get(option(['orders', 'list'], '--status'))).toEqual(statuses);
    expect(completionValues.get(option(['orders', 'watch'], '--status'))).toEqual(statuses);
  });

  it('products create offers the product types and visibilities', () => {
    expect(completionValues.get(option(['products', 'create'], '--type'))).toEqual([
      'serials',
      'service',
      'file',
      'dynamic',
    ]);
    expect(completionValues.get(option(['products', 'create'], '--visibility'))).toEqual([
      'public',
      'unlisted',
      'private',
    ]);
  });
});

describe('number flags name themselves in their errors', () => {
  it.each([
    [['sandbox', '--port', 'x'], '--port must be a whole number'],
    [['sandbox', '--max-lines', '0'], '--max-lines must be at least 1'],
    [['sandbox', '--max-pool', '0'], '--max-pool must be at least 1'],
    [['sandbox', '--latency', 'x'], '--latency must be a whole number'],
    [['sandbox', '--seed', 'x'], '--seed must be a whole number'],
    [
      ['warehouses', 'create', '--name', 'a', '--low-stock-threshold', 'x'],
      '--low-stock-threshold must be a whole number',
    ],
  ])('%j', async (args, message) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
