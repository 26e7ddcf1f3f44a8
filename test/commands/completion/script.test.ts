// The completion scripts drawn from a small, fixed command tree (tree.ts),
// pinned line for line (expected.bash, expected.fish), and the bash one run
// in a real bash to see what it offers. The script is made in-process inside
// each test, so mutation testing sees it even though bash runs it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { script } from '../../../src/commands/completion/script.js';
import { tempDir } from '../../helpers/cli.js';
import { tree } from './tree.js';

const here = (name: string) => readFileSync(join(import.meta.dirname, name), 'utf8');

describe('the scripts, exactly', () => {
  it('bash', () => {
    expect(script(tree(), 'bash')).toBe(here('expected.bash'));
  });

  it('zsh: the bash script behind a #compdef header and bashcompinit', () => {
    const bash = here('expected.bash').split('\n');
    expect(script(tree(), 'zsh')).toBe(
      [
        '#compdef astrosell',
        '# astrosell completion for zsh: eval "$(astrosell completion zsh)" in ~/.zshrc',
        'autoload -U +X bashcompinit && bashcompinit',
        ...bash.slice(2),
      ].join('\n'),
    );
  });

  it('fish', () => {
    expect(script(tree(), 'fish')).toBe(here('expected.fish'));
  });
});

describe('what bash offers', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir.dir, 'codes.txt'), 'A\n');
    writeFileSync(join(dir.dir, 'cold.csv'), 'B\n');
  });
  afterAll(() => dir.cleanup());

  /** Completions after `line` (its last word being completed), from this tree's script. */
  function complete(text: string, line: string): string[] {
    const file = join(dir.dir, 'astrosell.bash');
    writeFileSync(file, text);
    const words = line.split(' ');
    const program = [
      // `keys list` piped: tab-separated, the name in the second column.
      `astrosell() { printf '1\\tdemo\\tx\\n2\\tlive\\tx\\n'; }`,
      `source ${JSON.stringify(file)}`,
      `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      '_astrosell',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${…}
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const out = execFileSync('bash', ['--norc', '--noprofile', '-c', program], {
      env: { PATH: process.env.PATH },
      cwd: dir.dir,
      encoding: 'utf8',
    });
    return out.split('\n').filter(Boolean);
  }

  it('subcommands, flags, and the values flags and arguments take', () => {
    const text = script(tree(), 'bash');
    const offers = (line: string) => complete(text, line);
    expect(offers('astrosell ')).toEqual(['keys', 'orders', 'wh', 'load', 'completion']);
    expect(offers('astrosell wh r')).toEqual(['remove', 'restock']);
    expect(offers('astrosell -p demo --json keys ')).toEqual(['use', 'remove', 'add']);
    expect(offers('astrosell --')).toEqual(['--profile', '--json', '--help']);
    expect(offers('astrosell wh restock ID --')).toEqual([
      '--stock-file',
      '--unsent-file',
      '--data',
      '--dry-run',
      '--limit',
      '--profile',
      '--json',
      '--help',
    ]);
    expect(offers('astrosell orders list --format j')).toEqual(['json']);
    expect(offers('astrosell orders list --status ')).toEqual(['open', 'done']);
    expect(offers('astrosell orders list --show ')).toEqual([]);
    expect(offers('astrosell wh diff --show ')).toEqual(['missing', 'extra']);
    expect(offers('astrosell wh diff -f ')).toEqual(['table', 'csv']);
    expect(offers('astrosell orders list -f ')).toEqual(['table', 'json']);
    expect(offers('astrosell completion ')).toEqual(['bash', 'fish']);
    expect(offers('astrosell completion bash ')).toEqual([]);
  });

  it('profile names where a profile goes, and files where a file goes', () => {
    const text = script(tree(), 'bash');
    const offers = (line: string) => complete(text, line);
    expect(offers('astrosell --profile ')).toEqual(['demo', 'live']);
    expect(offers('astrosell -p l')).toEqual(['live']);
    expect(offers('astrosell keys use ')).toEqual(['demo', 'live']);
    expect(offers('astrosell --profile demo keys remove d')).toEqual(['demo']);
    expect(offers('astrosell keys add d')).toEqual([]);
    // compgen -f lists in the folder's order
    expect(offers('astrosell wh restock --stock-file co').sort()).toEqual([
      'codes.txt',
      'cold.csv',
    ]);
    expect(offers('astrosell wh restock ID codes.txt cod')).toEqual(['codes.txt']);
    // A trailing list of files matches any count of arguments, so the id before
    // it is offered files too (what `complete -o default` falls back to anyway).
    expect(offers('astrosell wh restock col')).toEqual(['cold.csv']);
    expect(offers('astrosell wh remove co')).toEqual([]);
    expect(offers('astrosell wh diff ID col')).toEqual(['cold.csv']);
    expect(offers('astrosell load cod')).toEqual(['codes.txt']);
  });
});
