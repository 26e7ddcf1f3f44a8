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
  orders: ['list', 'get', 'watch'],
  coupons: ['list'],
  keys: ['add', 'list', 'use', 'remove', 'status'],
};
const paths: string[][] = [[], ['api'], ['sandbox'], ['completion']];
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
