// How a noun's index.ts describes its verbs: names, arguments, flags, help
// and examples as data, checked by the compiler against the options the
// verb's `run` reads, and turned into commander commands here. A verb's code
// is imported only when that verb runs, so `--help` loads none of it.
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from '../context.js';
import type { Noun as NameNoun } from '../names.js';

export type VerbRun<O> = (ctx: Context, options: O) => Promise<number>;

/**
 * One flag. Its long name is the option's key in kebab case (`batchSize` →
 * `--batch-size`), so the flag and what the verb reads cannot drift apart.
 * Switches take no value; strings may take a default; other types need a
 * parser that turns the text (and the previous value, for repeatable flags)
 * into the type the verb expects.
 */
export type FlagSpec<T> = {
  description: string;
  short?: string;
  /** Values offered by shell completion, not enforced (the service may know others). */
  complete?: readonly string[];
  /** Completed with the ids and names of these records (src/commands/completion/names.ts). */
  names?: NameNoun;
} & ([NonNullable<T>] extends [boolean]
  ? { negate?: true; value?: never; parse?: never; default?: never }
  : [NonNullable<T>] extends [string]
    ? {
        value: string;
        parse?: never;
        default?: NonNullable<T>;
        /** The only values accepted (anything else: exit 2); completed too. */
        choices?: readonly NonNullable<T>[];
      }
    : {
        value: string;
        parse: (value: string, previous: NonNullable<T> | undefined) => NonNullable<T>;
        default?: NonNullable<T>;
      });

/** A positional argument: `<x>` required, `[x]` optional, `...` for the rest of the line. */
export type ArgSpec<T> = {
  name: [NonNullable<T>] extends [readonly string[]]
    ? `[${string}...]` | `<${string}...>`
    : `<${string}>` | `[${string}]`;
  description: string;
  /** The only values accepted (anything else: exit 2); completed too. */
  choices?: readonly string[];
  /** Completed with the ids and names of these records (src/commands/completion/names.ts). */
  names?: NameNoun;
};

/**
 * Values shell completion offers for an option or argument that does not
 * restrict them (`--status`: the service may send statuses not listed).
 */
export const completionValues = new WeakMap<object, readonly string[]>();

/** Options and arguments completed with the ids and names of products or warehouses. */
export const completionNames = new WeakMap<object, NameNoun>();

type FlagKeys<O> = Exclude<keyof O, 'args'> & string;
export type Flags<O> = { [K in FlagKeys<O>]-?: FlagSpec<O[K]> };
type ArgsOf<O> = O extends { args: infer A extends readonly unknown[] } ? A : [];
// -?: an optional argument still needs its definition.
type ArgSpecs<A> = { [I in keyof A]-?: ArgSpec<A[I]> };
export type Args<O> = ArgSpecs<ArgsOf<O>>;

/**
 * A verb's definition. O is inferred from the verb module's `run` alone, so
 * every option it reads needs a flag here, of the right type, and every
 * positional argument it reads an argument here.
 */
export type VerbDef<O> = {
  name: string;
  description: string;
  examples: readonly string[];
  load: () => Promise<{ run: VerbRun<O> }>;
} & ([FlagKeys<O>] extends [never] ? { flags?: never } : { flags: NoInfer<Flags<O>> }) &
  (ArgsOf<O> extends [] ? { args?: never } : { args: NoInfer<Readonly<Args<O>>> });

/** What a definition becomes once its types have been checked. */
export interface Verb {
  readonly name: string;
  attach(parent: Command, runner: VerbRunner): Command;
}

/** How the program hands a verb its context and takes back its exit code. */
export interface VerbRunner {
  getContext(cmd: Command): Context;
  setExitCode(code: number): void;
}

export interface Noun {
  name: string;
  description: string;
  examples: readonly string[];
  verbs: readonly Verb[];
}

export function verb<O>(def: VerbDef<O>): Verb {
  return {
    name: def.name,
    attach(parent, runner) {
      const cmd = parent.command(def.name).description(def.description);
      for (const a of (def.args ?? []) as ArgSpec<unknown>[]) {
        const arg = new Argument(a.name, a.description);
        if (a.choices) arg.choices(a.choices);
        if (a.names) completionNames.set(arg, a.names);
        cmd.addArgument(arg);
      }
      const flags = (def.flags ?? {}) as Record<string, FlagSpec<unknown>>;
      for (const [key, spec] of Object.entries(flags)) cmd.addOption(toOption(key, spec));
      cmd.addHelpText('after', examples(def.examples));
      return cmd.action(async (...params: unknown[]) => {
        const self = params[params.length - 1] as Command;
        const ctx = runner.getContext(self);
        // Loaded only when asked for; an expression that does not parse stops here (exit 2).
        const query = ctx.globals?.query;
        if (query !== undefined && !ctx.io.query) {
          ctx.io.query = (await import('../query.js')).parseQuery(query);
        }
        const { run } = await def.load();
        // The one unchecked step: commander's parsed values, shaped by the flags above.
        const options = { ...self.opts(), args: self.processedArgs } as O;
        const code = await run(ctx, options);
        runner.setExitCode(typeof code === 'number' ? code : 0);
      });
    },
  };
}

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function toOption(key: string, spec: FlagSpec<unknown>): Option {
  const s = spec as {
    description: string;
    short?: string;
    negate?: true;
    value?: string;
    parse?: (value: string, previous: unknown) => unknown;
    default?: unknown;
    choices?: readonly string[];
    complete?: readonly string[];
    names?: NameNoun;
  };
  const flags = `${s.short ? `-${s.short}, ` : ''}--${s.negate ? 'no-' : ''}${kebab(key)}${
    s.value ? ` <${s.value}>` : ''
  }`;
  const option = new Option(flags, s.description);
  if (s.parse) option.argParser(s.parse);
  if (s.default !== undefined) option.default(s.default);
  if (s.choices) option.choices(s.choices);
  if (s.complete) completionValues.set(option, s.complete);
  if (s.names) completionNames.set(option, s.names);
  return option;
}

export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** A parser for whole-number flags within [min, max]. */
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

/** A parser for repeatable flags: each use adds to the list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
