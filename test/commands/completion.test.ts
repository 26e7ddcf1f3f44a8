// `astrosell completion`: the bash script (made in-process, so mutation
// testing sees it) is sourced in a real bash and asked for completions, which
// calls the built CLI only for profile names; zsh and fish scripts are
// checked for what they offer.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runMain, tempDir } from '../helpers/cli.js';

let dir: ReturnType<typeof tempDir>;
let script: string;
const cfg = () => join(dir.dir, 'config');

/**
 * The script, made anew inside each test: code run by a beforeAll is not
 * counted as covered by any test, so mutation testing would not see it.
 */
beforeEach(async () => {
  const r = await runMain(['completion', 'bash']);
  expect(r.code).toBe(0);
  script = join(dir.dir, 'astrosell.bash');
  writeFileSync(script, r.stdout);
});

beforeAll(async () => {
  dir = tempDir();
  for (const name of ['demo', 'live']) {
    const add = await runMain(
      ['keys', 'add', name, '--base-url', 'http://127.0.0.1:9/api/v1', '--no-verify'],
      {
        env: { ASTROSELL_CONFIG_DIR: cfg() },
        input: `nsk_test_${name}0123456789abcdef\n`,
      },
    );
    expect(add.code).toBe(0);
  }
});
afterAll(() => dir.cleanup());

/** What bash offers after typing `line` (the last word being completed). */
function complete(line: string): string[] {
  const words = line.split(' ');
  const program = [
    `astrosell() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }`,
    `source ${JSON.stringify(script)}`,
    `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_astrosell',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${…}
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', program], {
    env: { PATH: process.env.PATH, ASTROSELL_CONFIG_DIR: cfg() },
    cwd: dir.dir,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  it('commands and subcommands', () => {
    expect(complete('astrosell ')).toEqual(
      expect.arrayContaining(['products', 'warehouses', 'orders', 'completion', 'sandbox']),
    );
    expect(complete('astrosell wa')).toEqual(['warehouses']);
    expect(complete('astrosell orders ')).toEqual(['list', 'get', 'watch', 'sync']);
    expect(complete('astrosell warehouses d')).toEqual(['diff']);
  });

  it('flags of the command, and the global ones', () => {
    expect(complete('astrosell orders watch --m')).toEqual(['--max-orders']);
    expect(complete('astrosell orders list --f')).toEqual(['--format', '--fields']);
    expect(complete('astrosell products list --js')).toEqual(['--json']);
  });

  it('enum values of flags and arguments', () => {
    expect(complete('astrosell orders list --format ')).toEqual([
      'table',
      'tsv',
      'csv',
      'json',
      'ndjson',
    ]);
    expect(complete('astrosell orders watch --status comp')).toEqual(['completed']);
    // Every status orders are known to carry, cancelled among them, on both verbs.
    for (const verb of ['list', 'watch']) {
      expect(complete(`astrosell orders ${verb} --status `)).toEqual([
        'completed',
        'pending',
        'processing',
        'expired',
        'refunded',
        'cancelled',
      ]);
    }
    expect(complete('astrosell warehouses diff ID f.txt --show ')).toEqual([
      'missing',
      'present',
      'extra',
    ]);
    expect(complete('astrosell products create --currency ')).toEqual(['USD', 'EUR', 'GBP', 'CAD']);
    expect(complete('astrosell completion ')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('profile names, from the config', () => {
    expect(complete('astrosell --profile ')).toEqual(['demo', 'live']);
    expect(complete('astrosell -p demo keys use l')).toEqual(['live']);
  });

  it('files where a file goes', () => {
    writeFileSync(join(dir.dir, 'codes.txt'), 'A\n');
    expect(complete('astrosell warehouses restock ID cod')).toEqual(['codes.txt']);
    expect(complete('astrosell warehouses diff ID cod')).toEqual(['codes.txt']);
  });
});

describe('zsh and fish', () => {
  it('zsh loads the same completion through bashcompinit', async () => {
    const r = await runMain(['completion', 'zsh']);
    expect(r.stdout).toMatch(/^#compdef astrosell/);
    expect(r.stdout).toContain('bashcompinit');
    expect(r.stdout).toContain('complete -o default -F _astrosell astrosell');
  });

  it('fish: subcommands, flags with values, profiles', async () => {
    const r = await runMain(['completion', 'fish']);
    expect(r.stdout).toContain("complete -c astrosell -n '__astrosell_is orders' -a 'watch'");
    expect(r.stdout).toMatch(
      /-n '__astrosell_in orders list' -l format .* -x -a 'table tsv csv json ndjson'/,
    );
    expect(r.stdout).toMatch(/-s p -l profile .* -x -a '\(__astrosell_profiles\)'/);
  });

  it('an unknown shell is exit 2', async () => {
    const r = await runMain(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });
});
