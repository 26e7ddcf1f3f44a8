// The small pieces of src/commands/define.ts, restock-flags.ts and
// record-flags.ts: number parsing and its messages at each boundary,
// repeatable flags, kebab names, help examples, choices, completion values,
// and what reaches the exit code; then the same messages through main().
import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  collect,
  completionValues,
  examples,
  intArg,
  kebab,
  type VerbRunner,
  verb,
} from '../../src/commands/define.js';
import { recordFlags } from '../../src/commands/record-flags.js';
import { restockFlags } from '../../src/commands/restock-flags.js';
import type { Context } from '../../src/context.js';
import { runMain } from '../helpers/cli.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('intArg', () => {
  const range = intArg('--limit', 1, 200);
  const atLeast = intArg('--min', 0);

  it('accepts the bounds themselves and whole numbers between', () => {
    expect(range('1')).toBe(1);
    expect(range('200')).toBe(200);
    expect(range(' 7 ')).toBe(7);
    expect(range('007')).toBe(7);
    expect(atLeast('0')).toBe(0);
    expect(atLeast(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('one past a bound: the range, or "at least" when there is no upper bound', () => {
    expect(message(() => range('0'))).toBe('--limit must be between 1 and 200');
    expect(message(() => range('201'))).toBe('--limit must be between 1 and 200');
    expect(message(() => intArg('--batch-size', 1)('0'))).toBe('--batch-size must be at least 1');
    expect(message(() => atLeast(String(Number.MAX_SAFE_INTEGER + 2)))).toBe(
      '--min must be at least 0',
    );
  });

  it('not a whole number: says so', () => {
    for (const v of ['', ' ', '-1', '1.5', '1e2', '0x10', 'ten', '+3', '3 4'])
      expect(message(() => range(v))).toBe('--limit must be a whole number');
  });
});

describe('collect, kebab, examples', () => {
  it('collect appends, starting a list when there is none', () => {
    expect(collect('a', undefined)).toEqual(['a']);
    const prev = ['a'];
    expect(collect('b', prev)).toEqual(['a', 'b']);
    expect(prev).toEqual(['a']);
  });
  it('kebab turns each capital into -lower', () => {
    expect(kebab('batchSize')).toBe('batch-size');
    expect(kebab('unsentFile')).toBe('unsent-file');
    expect(kebab('aBC')).toBe('a-b-c');
    expect(kebab('plain')).toBe('plain');
  });
  it('examples: a block for --help', () => {
    expect(examples(['astrosell a', 'astrosell b --x'])).toBe(
      '\nExamples:\n  $ astrosell a\n  $ astrosell b --x\n',
    );
  });
});

describe('verb(): options, choices, completion and the exit code', () => {
  const make = (code: unknown) => {
    let seen: Record<string, unknown> | undefined;
    let exit: number | undefined;
    const runner: VerbRunner = {
      getContext: () => ({}) as Context,
      setExitCode: (c) => {
        exit = c;
      },
    };
    const program = new Command('t').exitOverride();
    program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    const cmd = verb<{ args: [string]; format?: 'tsv' | 'csv'; status?: string }>({
      name: 'go',
      description: 'a verb',
      examples: ['astrosell go x'],
      args: [{ name: '<kind>', description: 'a kind', choices: ['a', 'b'] }],
      flags: {
        format: { value: 'f', description: 'fmt', choices: ['tsv', 'csv'] },
        status: { value: 's', description: 'st', complete: ['open', 'shut'] },
      },
      load: async () => ({
        run: async (_ctx: Context, o) => {
          seen = o as Record<string, unknown>;
          return code as number;
        },
      }),
    }).attach(program, runner);
    return { program, cmd, seen: () => seen, exit: () => exit };
  };

  it('choices are enforced on flags and arguments; completion values are only offered', async () => {
    const v = make(0);
    const status = v.cmd.options.find((o) => o.long === '--status')!;
    expect(completionValues.get(status)).toEqual(['open', 'shut']);
    const format = v.cmd.options.find((o) => o.long === '--format')!;
    expect(format.argChoices).toEqual(['tsv', 'csv']);
    expect(completionValues.get(format)).toBeUndefined();
    await v.program.parseAsync(['go', 'a', '--format', 'csv', '--status', 'other'], {
      from: 'user',
    });
    expect(v.seen()).toEqual({ args: ['a'], format: 'csv', status: 'other' });
    await expect(
      make(0).program.parseAsync(['go', 'a', '--format', 'xml'], { from: 'user' }),
    ).rejects.toThrow(/Allowed choices are tsv, csv/);
    await expect(make(0).program.parseAsync(['go', 'c'], { from: 'user' })).rejects.toThrow(
      /Allowed choices are a, b/,
    );
  });

  it('the help ends with the examples', () => {
    const v = make(0);
    let help = '';
    v.cmd.configureOutput({ writeOut: (s) => (help += s) });
    v.cmd.outputHelp();
    expect(help).toBe(
      'Usage: t go [options] <kind>\n\na verb\n\nArguments:\n  kind          a kind (choices: "a", "b")\n\n' +
        'Options:\n  --format <f>  fmt (choices: "tsv", "csv")\n  --status <s>  st\n  -h, --help    display help for command\n\n' +
        'Examples:\n  $ astrosell go x\n\n',
    );
  });

  it("run()'s number is the exit code; anything else is 0", async () => {
    const eight = make(8);
    await eight.program.parseAsync(['go', 'b'], { from: 'user' });
    expect(eight.exit()).toBe(8);
    const none = make(undefined);
    await none.program.parseAsync(['go', 'b'], { from: 'user' });
    expect(none.exit()).toBe(0);
  });
});

describe('shared flag sets', () => {
  it('restock: --batch-size takes 1 to 100,000 serials a request', () => {
    expect(restockFlags().batchSize.parse!('100000', undefined)).toBe(100_000);
    expect(message(() => restockFlags().batchSize.parse!('100001', undefined))).toBe(
      '--batch-size must be between 1 and 100000',
    );
    expect(message(() => restockFlags().batchSize.parse!('0', undefined))).toBe(
      '--batch-size must be between 1 and 100000',
    );
  });

  it('record flags: --format with its choices, --fields with the example in its help', () => {
    const f = recordFlags('id,name');
    expect(f.format.value).toBe('format');
    expect(f.format.choices).toEqual(['table', 'tsv', 'csv', 'json', 'ndjson']);
    expect(f.fields.value).toBe('a,b,c');
    expect(f.fields.description).toBe(
      'only these fields, in this order; dotted paths reach nested ones (e.g. id,name)',
    );
  });
});

describe('through main(): bad values are one error line and exit 2', () => {
  const env = {
    ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
    ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1',
  };
  for (const [args, line] of [
    [
      ['orders', 'list', '--limit', '0'],
      "error: option '--limit <n>' argument '0' is invalid. --limit must be at least 1",
    ],
    [
      ['orders', 'list', '--limit', 'x'],
      "error: option '--limit <n>' argument 'x' is invalid. --limit must be a whole number",
    ],
    [
      ['warehouses', 'restock', 'w1', '--batch-size', '100001', '--dry-run'],
      "error: option '--batch-size <n>' argument '100001' is invalid. --batch-size must be between 1 and 100000",
    ],
    [
      ['orders', 'watch', '--max-orders', '0'],
      "error: option '--max-orders <n>' argument '0' is invalid. --max-orders must be at least 1",
    ],
  ] as const) {
    it(args.join(' '), async () => {
      const r = await runMain([...args], { env });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe(line);
    });
  }
});
