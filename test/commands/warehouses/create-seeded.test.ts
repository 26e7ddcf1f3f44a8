// `warehouses create` in-process against the sandbox: the detail printed,
// the flags' defaults, and the seed file: up to one batch travels in the
// create request; one serial more goes through the restock engine and the
// pool is read back; an empty or bad file sends nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain, tempDir } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

let shop: TestShop;
const dir = tempDir();
beforeAll(async () => {
  shop = await startTestShop({ empty: true });
});
afterAll(async () => {
  await shop.close();
  dir.cleanup();
});

const create = (args: string[], input?: string) =>
  runMain(['warehouses', 'create', ...args], { env: shop.env, input });
const pools = () => [...shop.sandbox.store.warehouses.values()];
const byName = (name: string) => pools().find((w) => w.name === name)!;
const serials = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
function file(name: string, text: string): string {
  const p = join(dir.dir, name);
  writeFileSync(p, text);
  return p;
}

describe('warehouses create', () => {
  it('piped: the pool as created, one field per line; defaults on, no threshold', async () => {
    const r = await create(['--name', '  Pool A  ']);
    const w = byName('Pool A');
    expect(r).toEqual({
      code: 0,
      stdout: `id\t${w.id}\nname\tPool A\ncount\t0\nlow stock at\t\nremove duplicates\ttrue\nremove sold\ttrue\ncreated\t${w.createdAt}\n`,
      stderr: '',
    });
  });

  it('--no-remove-duplicates, --no-remove-sold and a threshold of 0 are sent', async () => {
    const r = await create([
      '--name',
      'Pool B',
      '--no-remove-duplicates',
      '--no-remove-sold',
      '--low-stock-threshold',
      '0',
    ]);
    const w = byName('Pool B');
    expect(r).toEqual({
      code: 0,
      stdout: `id\t${w.id}\nname\tPool B\ncount\t0\nlow stock at\t0\nremove duplicates\tfalse\nremove sold\tfalse\ncreated\t${w.createdAt}\n`,
      stderr: '',
    });
  });

  it('--json: the service answer as sent', async () => {
    const r = await create(['--name', 'Pool J', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const w = byName('Pool J');
    const parsed = JSON.parse(r.stdout);
    expect(parsed.id).toBe(w.id);
    expect(parsed.name).toBe('Pool J');
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('a blank --name is a usage error; no name and no terminal: the flag to pass', async () => {
    const before = pools().length;
    expect(await create(['--name', '   '])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --name must not be empty\n',
    });
    expect(await create([])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: missing warehouse name: pass --name\nhint: prompts are shown only when stdin and stderr are terminals and --no-input is not given\n',
    });
    expect(pools().length).toBe(before);
  });
});

describe('warehouses create --stock-file', () => {
  it('exactly one batch (1000): sent with the create request, no restock summary', async () => {
    const f = file('thousand.txt', `${serials(1000, 'K').join('\n')}\n`);
    const r = await create(['--name', 'Seed 1000', '--stock-file', f]);
    const w = byName('Seed 1000');
    expect(r).toEqual({
      code: 0,
      stdout: `id\t${w.id}\nname\tSeed 1000\ncount\t1000\nlow stock at\t\nremove duplicates\ttrue\nremove sold\ttrue\ncreated\t${w.createdAt}\n`,
      stderr: '',
    });
  });

  it('one more (1001): created empty, restocked, the summary on stderr, the pool read back', async () => {
    const f = file('more.txt', `${serials(1001, 'L').join('\n')}\n`);
    const r = await create(['--name', 'Seed 1001', '--stock-file', f]);
    const w = byName('Seed 1001');
    expect(r.code).toBe(0);
    // The create answer said 0; what is shown is the pool after the restock.
    expect(r.stdout).toBe(
      `id\t${w.id}\nname\tSeed 1001\ncount\t1001\nlow stock at\t\nremove duplicates\ttrue\nremove sold\ttrue\ncreated\t${w.createdAt}\n`,
    );
    // The summary of the restock that seeded it (the rate varies).
    expect(r.stderr.replace(/ \([\d,]+\/s\)/, '')).toBe(
      `restock of warehouse ${w.id}: complete\n  lines read  1,001\n  blank       0\n  rejected    0\n` +
        '  duplicates  0 (repeats in the input, dropped)\n  sent        1,001 in 2 requests\n' +
        "  added       1,001 (the service's count)\n  unsent      0 (not stored)\n" +
        '  batch size  1 to 1,000 serials a request (last 1)\n  pool total  1,001\n',
    );
  });

  it('--json after a large seed: the pool as read back, count included', async () => {
    const f = file('more2.txt', `${serials(1001, 'M').join('\n')}\n`);
    const r = await create(['--name', 'Seed J', '--stock-file', f, '--json']);
    expect(r.code).toBe(0);
    const w = byName('Seed J');
    expect(JSON.parse(r.stdout)).toMatchObject({ id: w.id, name: 'Seed J', count: 1001 });
    expect(r.stdout).toBe(`${r.stdout.trimEnd()}\n`);
  });

  it('a file with no serials: usage error naming it, nothing created', async () => {
    const before = pools().length;
    const f = file('empty.txt', '\n\n');
    expect(await create(['--name', 'Never', '--stock-file', f])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --stock-file ${f} holds no serials\n`,
    });
    expect(pools().length).toBe(before);
  });

  it('a bad line: usage error with its number and reason, nothing sent', async () => {
    const before = pools().length;
    const f = file('bad.txt', 'A1\nA2\nA\u00013\nA4\n');
    expect(await create(['--name', 'Never', '--stock-file', f])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --stock-file ${f}, line 3: contains a control character; nothing was sent\n`,
    });
    expect(pools().length).toBe(before);
  });

  it('- reads the seed from stdin', async () => {
    const r = await create(['--name', 'From stdin', '--stock-file', '-'], 'S1\nS2\n');
    expect(r.code).toBe(0);
    const w = byName('From stdin');
    expect(r.stdout).toBe(
      `id\t${w.id}\nname\tFrom stdin\ncount\t2\nlow stock at\t\nremove duplicates\ttrue\nremove sold\ttrue\ncreated\t${w.createdAt}\n`,
    );
  });
});
