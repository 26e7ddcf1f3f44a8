// `warehouses create` on a terminal, with a recording prompter: the name and
// seed-file questions and what is sent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/warehouses/create.js';
import { askingContext } from '../../helpers/asked.js';
import { tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

async function setup(answers: unknown[]) {
  const bodies: unknown[] = [];
  const svc = await fakeService((req, res, body) => {
    if (req.method === 'POST' && req.url === '/api/v1/warehouses') {
      bodies.push(JSON.parse(body));
      sendJson(res, 201, { id: 'wh_1', count: 0, ...JSON.parse(body) });
    } else sendJson(res, 404, { error: 'no such route' });
  });
  const t = askingContext({ ...serviceEnv(svc), NO_COLOR: '1', HOME: dir.dir }, answers);
  return { ...t, bodies, create: (flags: Parameters<typeof run>[1]) => t.call(run, flags) };
}

describe('warehouses create, asking', () => {
  it('the name (checked, trimmed), then a file to seed it with, ~ for home', async () => {
    writeFileSync(join(dir.dir, 'seed.txt'), 'K1\nK2\n');
    const s = await setup(['  Keys  ', ' ~/seed.txt ', true]);
    expect(await s.create({ lowStockThreshold: 4 })).toBe(0);
    expect(s.asked.map((q) => [q.kind, q.message])).toEqual([
      ['input', 'Name'],
      ['input', 'File of serials to seed it with (blank for none)'],
      ['confirm', 'Create this warehouse?'],
    ]);
    const check = (i: number) =>
      (s.asked[i]!.opts as { validate: (v: string) => unknown }).validate;
    expect([check(0)(' '), check(0)(' x ')]).toEqual(['required', true]);
    // The path is checked as typed: a wrong one is asked again, the name kept.
    expect([
      check(1)(''),
      check(1)('~/seed.txt'),
      check(1)('~/nope.txt'),
      check(1)(dir.dir),
    ]).toEqual([
      true,
      true,
      `no such file: ${join(dir.dir, 'nope.txt')}`,
      `not a file: ${dir.dir}`,
    ]);
    expect(s.asked[1]!.opts).toMatchObject({ required: false });
    // The review: the same as a command line, safe to paste.
    expect(s.stderr.text).toContain(
      `The same without questions:\n  astrosell warehouses create --name Keys --stock-file ${join(dir.dir, 'seed.txt')} --low-stock-threshold 4\n`,
    );
    expect(s.bodies).toEqual([
      {
        name: 'Keys',
        removeDuplicates: true,
        removeSold: true,
        lowStockThreshold: 4,
        stock: 'K1\nK2',
      },
    ]);
  });

  it('a blank answer for the file: no seed; --stock-file given: not asked', async () => {
    const s = await setup(['Empty', '  ', true]);
    await s.create({ removeSold: false });
    expect(s.bodies).toEqual([{ name: 'Empty', removeDuplicates: true, removeSold: false }]);
    writeFileSync(join(dir.dir, 'given.txt'), 'G1\n');
    const t = await setup(['Given', true]);
    await t.create({ stockFile: join(dir.dir, 'given.txt') });
    expect(t.asked.map((q) => q.message)).toEqual(['Name', 'Create this warehouse?']);
    expect(t.bodies).toEqual([
      { name: 'Given', removeDuplicates: true, removeSold: true, stock: 'G1' },
    ]);
  });

  it('no at the review: nothing is created (exit 130); the line quotes what the shell would expand', async () => {
    const s = await setup([`Steam $20 'gift'`, '', false]);
    await expect(s.create({ removeDuplicates: false })).rejects.toMatchObject({
      exitCode: 130,
      message: 'cancelled: no warehouse was created',
    });
    expect(s.bodies).toEqual([]);
    expect(s.stderr.text).toContain(
      `  astrosell warehouses create --name 'Steam $20 '\\''gift'\\''' --no-remove-duplicates\n`,
    );
  });
});
