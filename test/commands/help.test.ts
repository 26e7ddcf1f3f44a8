// The help of every command, word for word, as a user reads it: flags,
// defaults, choices, descriptions and examples are part of the interface.
// A change to any of them shows up here as a snapshot diff to review
// (`npx vitest run test/commands/help.test.ts -u` accepts it).
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';

const verbs: Record<string, string[]> = {
  products: ['list', 'get', 'create', 'restock'],
  warehouses: ['list', 'get', 'check', 'diff', 'create', 'restock'],
  restocks: ['list', 'abandon'],
  orders: ['list', 'get', 'watch', 'sync'],
  coupons: ['list'],
  keys: ['add', 'list', 'use', 'remove', 'status'],
};
const paths: string[][] = [[], ['api'], ['sandbox'], ['completion'], ['stats'], ['status']];
for (const [noun, list] of Object.entries(verbs)) {
  paths.push([noun], ...list.map((v) => [noun, v]));
}

describe('--help', () => {
  for (const path of paths) {
    it(`astrosell ${path.join(' ')} --help`, async () => {
      const r = await runMain([...path, '--help'], { columns: 100 });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatchSnapshot();
    });
  }
});

describe('examples are safe to paste', () => {
  it('no example asks the shell to expand $1…$9 or history (!) inside double quotes', async () => {
    const risky: string[] = [];
    for (const path of paths) {
      const r = await runMain([...path, '--help'], { columns: 100 });
      const examples = r.stdout.split('\n').filter((l) => l.startsWith('  $ '));
      expect(examples.length, `astrosell ${path.join(' ')} has examples`).toBeGreaterThan(0);
      for (const line of examples) {
        for (const quoted of line.match(/"[^"]*"/g) ?? []) {
          // "$20" is "$2" then "0" to a shell: such text goes in single quotes.
          if (/\$\d|!/.test(quoted)) risky.push(line);
        }
      }
    }
    expect(risky).toEqual([]);
  });
});

describe('help as gh lays it out', () => {
  it('asked for, help is on stdout, exit 0: bare, `help` and --help alike', async () => {
    const asked = await runMain(['--help'], { columns: 100 });
    for (const args of [[], ['help']]) {
      expect(await runMain(args, { columns: 100 })).toEqual(asked);
    }
    expect(asked).toMatchObject({ code: 0, stderr: '' });
    // A bare noun: its help, on stdout.
    const noun = await runMain(['warehouses'], { columns: 100 });
    expect(noun).toEqual(await runMain(['warehouses', '--help'], { columns: 100 }));
    expect(noun).toMatchObject({ code: 0, stderr: '' });
  });

  it("`help <noun> <verb>` is the verb's help; an unknown one is exit 2", async () => {
    for (const path of [['warehouses'], ['warehouses', 'restock'], ['orders', 'watch']]) {
      expect(await runMain(['help', ...path], { columns: 100 })).toEqual(
        await runMain([...path, '--help'], { columns: 100 }),
      );
    }
    expect(await runMain(['help', 'warehouses', 'restok'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: unknown command "warehouses restok"\nhint: astrosell help warehouses lists the commands\n',
    });
  });

  it("a noun's help lists its verbs before the options, its own then the global ones", async () => {
    for (const noun of Object.keys(verbs)) {
      const r = await runMain([noun, '--help'], { columns: 100 });
      const at = (heading: string) => r.stdout.indexOf(`\n${heading}\n`);
      expect(at('Commands:'), noun).toBeGreaterThan(0);
      expect(at('Commands:'), noun).toBeLessThan(at('Options:'));
      expect(at('Options:'), noun).toBeLessThan(at('Global Options:'));
    }
  });

  it("every noun's description names each of its verbs", async () => {
    // Wrapped descriptions joined back into one line each.
    const root = (await runMain(['--help'])).stdout.replace(/\n {8,}/g, ' ');
    for (const [noun, list] of Object.entries(verbs)) {
      const line = root.split('\n').find((l) => l.startsWith(`  ${noun} `))!;
      expect(
        line
          .slice(noun.length + 2)
          .trim()
          .split(/: |, /)
          .slice(1),
        noun,
      ).toEqual(list);
    }
  });
});
