// A verb's definition is checked against what its run() reads: each
// expected-error line below fails `npm run typecheck` the day a wrong
// definition compiles. At run time, the flags are spelled from the option
// names and the parsed values reach run() as typed.
import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { collect, intArg, type VerbDef, type VerbRunner, verb } from '../../src/commands/define.js';
import type { Context } from '../../src/context.js';

interface Options {
  args: [string, string[]?];
  batchSize?: number;
  dryRun?: boolean;
  removeSold?: boolean;
  rawField?: string[];
  name?: string;
}
const seen: Options[] = [];
const load = async () => ({
  run: async (_ctx: Context, o: Options) => {
    seen.push(o);
    return 3;
  },
});
const good = {
  name: 'go',
  description: 'a test verb',
  examples: ['astrosell go x'],
  args: [
    { name: '<id>', description: 'an id' },
    { name: '[files...]', description: 'files' },
  ],
  flags: {
    batchSize: { value: 'n', description: 'n', parse: intArg('--batch-size', 1) },
    dryRun: { description: 'do nothing' },
    removeSold: { negate: true, description: 'keep sold' },
    rawField: { short: 'f', value: 'k=v', description: 'field', parse: collect },
    name: { value: 'name', description: 'a name', default: 'anon' },
  },
  load,
} as const;

describe('verb definitions', () => {
  it('the compiler refuses definitions that disagree with run()', () => {
    // Type-level only: `npm run typecheck` fails it, vitest cannot. The good
    // definition fits run()'s options; each line marked @ts-expect-error must
    // not compile (one that does is an unused directive, itself an error).
    expectTypeOf(good).toExtend<VerbDef<Options>>();
    const { batchSize: _b, ...noBatchSize } = good.flags;
    // @ts-expect-error: batchSize is read by run() but has no flag
    verb({ ...good, flags: noBatchSize });
    // @ts-expect-error: a number needs a parser
    verb({ ...good, flags: { ...good.flags, batchSize: { value: 'n', description: 'n' } } });
    // @ts-expect-error: a flag run() does not read
    verb({ ...good, flags: { ...good.flags, extra: { description: 'x' } } });
    // @ts-expect-error: a switch takes no value
    verb({ ...good, flags: { ...good.flags, dryRun: { value: 'x', description: 'x' } } });
    // @ts-expect-error: run() reads two arguments (the second optional)
    verb({ ...good, args: [{ name: '<id>', description: 'an id' }] });
    // @ts-expect-error: the second argument is a list
    verb({ ...good, args: [good.args[0], { name: '[file]', description: 'f' }] });
  });

  it('builds the flags from the option names and hands run() the parsed values', async () => {
    let code: number | undefined;
    const runner: VerbRunner = {
      getContext: () => ({}) as Context,
      setExitCode: (c) => {
        code = c;
      },
    };
    const program = new Command('t').exitOverride();
    const cmd = verb(good).attach(program, runner);
    expect(cmd.options.map((o) => o.flags)).toEqual([
      '--batch-size <n>',
      '--dry-run',
      '--no-remove-sold',
      '-f, --raw-field <k=v>',
      '--name <name>',
    ]);
    expect(cmd.helpInformation()).toMatch(/--name <name> +a name \(default: "anon"\)/);
    await program.parseAsync(
      [
        'go',
        'w1',
        'a.txt',
        'b.txt',
        '--batch-size',
        '5',
        '--no-remove-sold',
        '-f',
        'x=1',
        '-f',
        'y=2',
      ],
      { from: 'user' },
    );
    expect(seen.at(-1)).toEqual({
      args: ['w1', ['a.txt', 'b.txt']],
      batchSize: 5,
      removeSold: false,
      rawField: ['x=1', 'y=2'],
      name: 'anon',
    });
    expect(code).toBe(3);
  });
});
