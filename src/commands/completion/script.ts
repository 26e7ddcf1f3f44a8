// `astrosell completion bash|zsh|fish`: a completion script drawn from the
// command tree itself (commands, subcommands, flags, the values a flag or
// argument takes), so it cannot drift from the CLI. Profile names are asked
// for when completing (`astrosell keys list`, piped: tab-separated, name in
// the second column), since they change after the script is installed.
import type { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import type { Noun } from '../../names.js';
import { completionNames, completionValues } from '../define.js';

export type Shell = 'bash' | 'zsh' | 'fish';

/** What may follow a flag or fill an argument. */
type Values = readonly string[] | 'profiles' | 'files' | Noun | undefined;

interface Node {
  /** The words leading here: [] for the root, ['orders', 'list'] for a verb. */
  path: string[];
  description: string;
  subs: string[];
  flags: Array<{ names: string[]; description: string; values: Values; takesValue: boolean }>;
  /** What the positional arguments take, in order. */
  args: Values[];
}

const PROFILE_FLAGS = new Set(['--profile']);
const FILE_FLAGS = new Set(['--stock-file', '--unsent-file', '--input', '--data']);

function flagValues(o: Option): Values {
  if (o.argChoices) return o.argChoices;
  const hinted = completionValues.get(o);
  if (hinted) return hinted;
  const names = completionNames.get(o);
  if (names) return names;
  if (PROFILE_FLAGS.has(o.long ?? '')) return 'profiles';
  if (FILE_FLAGS.has(o.long ?? '')) return 'files';
  return undefined;
}

function walk(cmd: Command, path: string[], out: Node[]): void {
  const isKeyName = path[0] === 'keys' && (path[1] === 'use' || path[1] === 'remove');
  out.push({
    path,
    description: cmd.description(),
    subs: visible(cmd).map((c) => c.name()),
    flags: cmd.options.map((o) => ({
      names: [o.short, o.long].filter((n): n is string => Boolean(n)),
      description: o.description,
      values: flagValues(o),
      takesValue: o.required || o.optional,
    })),
    args: cmd.registeredArguments.map((a) =>
      a.argChoices
        ? a.argChoices
        : completionNames.has(a)
          ? completionNames.get(a)
          : isKeyName
            ? 'profiles'
            : /file/i.test(a.name())
              ? 'files'
              : undefined,
    ),
  });
  for (const c of visible(cmd)) walk(c, [...path, c.name()], out);
}

/** Subcommands, less the hidden ones (`__names`, what the scripts call). */
function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

export function script(program: Command, shell: Shell): string {
  const nodes: Node[] = [];
  walk(program, [], nodes);
  return shell === 'fish' ? fish(nodes) : bash(nodes, shell === 'zsh');
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const words = (v: readonly string[]) => v.join(' ');

function valueCompletion(v: Values): string {
  if (v === 'product' || v === 'warehouse')
    return `local IFS=$'\\n'; COMPREPLY=($(_astrosell_names ${v} "$cur"))`;
  if (v === 'profiles') return 'COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur"))';
  if (v === 'files') return 'COMPREPLY=($(compgen -f -- "$cur"))';
  if (v) return `COMPREPLY=($(compgen -W ${q(words(v))} -- "$cur"))`;
  return 'COMPREPLY=()';
}

function bash(nodes: Node[], zsh: boolean): string {
  const valueFlags = new Set<string>();
  for (const n of nodes)
    for (const f of n.flags) if (f.takesValue) for (const x of f.names) valueFlags.add(x);
  const root = nodes[0]!;
  const globals = root.flags.flatMap((f) => f.names);
  const lines: string[] = [];
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: bash's ${…}, not JavaScript's
  lines.push(
    zsh
      ? '#compdef astrosell\n# astrosell completion for zsh: eval "$(astrosell completion zsh)" in ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit'
      : '# astrosell completion for bash: eval "$(astrosell completion bash)" in ~/.bashrc,\n# or save it as ~/.local/share/bash-completion/completions/astrosell',
    '_astrosell_profiles() {',
    '  astrosell keys list --no-input 2>/dev/null | cut -f2',
    '}',
    '# ids and names of products or warehouses, from a cache kept fresh (at most ~1 s waited)',
    '_astrosell_names() {',
    '  local line',
    '  while IFS= read -r line; do',
    '    [[ "$line" == "$2"* ]] && printf \'%q\\n\' "$line"',
    '  done < <(astrosell "${shop[@]}" __names "$1" 2>/dev/null | cut -f1)',
    '}',
    '_astrosell() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  local cpath="" nargs=0 i w',
    '  # The profile and base URL on the line decide whose ids and names are offered.',
    '  local -a shop=()',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    w="${COMP_WORDS[i]}"',
    '    case "$w" in -p|--profile|--base-url) shop+=("$w" "${COMP_WORDS[i+1]}") ;; esac',
    '    case "$w" in',
    `      ${[...valueFlags].join('|')}) ((i++)) ;;`,
    '      -*) ;;',
    '      *)',
    '        case " $(_astrosell_subs "$cpath") " in',
    '          *" $w "*) cpath="${cpath:+$cpath }$w" ;;',
    '          *) ((nargs++)) ;;',
    '        esac ;;',
    '    esac',
    '  done',
    '  case "$prev" in',
  );
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: bash's ${…}, not JavaScript's
  // The values of a flag: the same flag name takes the same values wherever it is,
  // except where a command says otherwise (matched first, by path).
  const byFlag = new Map<string, Array<{ path: string; values: Values }>>();
  for (const n of nodes) {
    for (const f of n.flags) {
      if (!f.takesValue) continue;
      for (const name of f.names) {
        const list = byFlag.get(name) ?? [];
        list.push({ path: n.path.join(' '), values: f.values });
        byFlag.set(name, list);
      }
    }
  }
  for (const [name, uses] of byFlag) {
    lines.push(`    ${name})`);
    const distinct = new Set(uses.map((u) => JSON.stringify(u.values ?? null)));
    if (distinct.size === 1) {
      lines.push(`      ${valueCompletion(uses[0]!.values)}; return ;;`);
      continue;
    }
    lines.push('      case "$cpath" in');
    for (const u of uses)
      lines.push(`        ${q(u.path)}) ${valueCompletion(u.values)}; return ;;`);
    lines.push('      esac; COMPREPLY=(); return ;;');
  }
  lines.push('  esac', '  if [[ "$cur" == -* ]]; then', '    case "$cpath" in');
  for (const n of nodes) {
    const flags = [...n.flags.flatMap((f) => f.names), ...(n.path.length ? globals : []), '--help'];
    lines.push(
      `      ${q(n.path.join(' '))}) COMPREPLY=($(compgen -W ${q(words(flags))} -- "$cur")) ;;`,
    );
  }
  lines.push(
    '    esac',
    '    return',
    '  fi',
    '  local subs; subs="$(_astrosell_subs "$cpath")"',
    '  if [[ -n "$subs" ]]; then',
    '    COMPREPLY=($(compgen -W "$subs" -- "$cur"))',
    '    return',
    '  fi',
    '  case "$cpath:$nargs" in',
  );
  for (const n of nodes) {
    n.args.forEach((v, i) => {
      if (v) lines.push(`    ${q(`${n.path.join(' ')}:${i}`)}) ${valueCompletion(v)} ;;`);
    });
    // A list of files (restock's [files...]) takes files from there on.
    const last = n.args.length - 1;
    if (last >= 0 && n.args[last] === 'files') {
      lines.push(`    ${q(`${n.path.join(' ')}:`)}*) ${valueCompletion('files')} ;;`);
    }
  }
  lines.push('    *) COMPREPLY=() ;;', '  esac', '}', '_astrosell_subs() {', '  case "$1" in');
  for (const n of nodes)
    if (n.subs.length) lines.push(`    ${q(n.path.join(' '))}) echo ${q(words(n.subs))} ;;`);
  lines.push('  esac', '}', 'complete -o default -F _astrosell astrosell', '');
  return lines.join('\n');
}

function fish(nodes: Node[]): string {
  const valueFlags = new Set<string>();
  for (const n of nodes)
    for (const f of n.flags) if (f.takesValue) for (const x of f.names) valueFlags.add(x);
  const subsOf = new Map(nodes.map((n) => [n.path.join(' '), n.subs]));
  const lines = [
    '# astrosell completion for fish: astrosell completion fish > ~/.config/fish/completions/astrosell.fish',
    'function __astrosell_path',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l path',
    '    set -l skip 0',
    '    for w in $words',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    `        if contains -- $w ${[...valueFlags].join(' ')}`,
    '            set skip 1',
    '            continue',
    '        end',
    "        string match -q -- '-*' $w; and continue",
    '        set -a path $w',
    '    end',
    '    echo $path',
    'end',
    '# true when the words so far are exactly these',
    'function __astrosell_is',
    '    test (string join " " -- (__astrosell_path)) = (string join " " -- $argv)',
    'end',
    '# true when the words so far start with these',
    'function __astrosell_in',
    '    string match -q -- (string join " " -- $argv)"*" (string join " " -- (__astrosell_path))',
    'end',
    'function __astrosell_profiles',
    '    astrosell keys list --no-input 2>/dev/null | cut -f2',
    'end',
    'function __astrosell_names',
    '    astrosell __names $argv[1] 2>/dev/null',
    'end',
    'complete -c astrosell -f',
  ];
  const fishValues = (v: Values): string =>
    v === 'product' || v === 'warehouse'
      ? ` -x -a '(__astrosell_names ${v})'`
      : v === 'profiles'
        ? " -x -a '(__astrosell_profiles)'"
        : v === 'files'
          ? ' -r -F'
          : v
            ? ` -x -a ${q(words(v))}`
            : ' -x';
  for (const n of nodes) {
    const here = n.path.join(' ');
    for (const s of n.subs) {
      const child = nodes.find((c) => c.path.join(' ') === (here ? `${here} ${s}` : s));
      lines.push(
        `complete -c astrosell -n '__astrosell_is ${here}' -a ${q(s)} -d ${q(child?.description ?? '')}`,
      );
    }
    for (const f of n.flags) {
      const short = f.names.find((x) => /^-[^-]/.test(x));
      const long = f.names.find((x) => x.startsWith('--'));
      const cond = n.path.length ? ` -n '__astrosell_in ${here}'` : '';
      lines.push(
        `complete -c astrosell${cond}${short ? ` -s ${short.slice(1)}` : ''}${long ? ` -l ${long.slice(2)}` : ''} -d ${q(f.description)}${f.takesValue ? fishValues(f.values) : ''}`,
      );
    }
    if (!subsOf.get(here)?.length) {
      n.args.forEach((v) => {
        if (v === 'files') lines.push(`complete -c astrosell -n '__astrosell_in ${here}' -F`);
        else if (v) lines.push(`complete -c astrosell -n '__astrosell_is ${here}'${fishValues(v)}`);
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function run(
  ctx: Context,
  options: { args: [Shell] },
  program: Command,
): Promise<number> {
  ctx.io.stdout.write(script(program, options.args[0]));
  return 0;
}
