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
    const s = await setup(['  Keys  ', ' ~/seed.txt ']);
    expect(await s.create({ lowStockThreshold: 4 })).toBe(0);
    expect(s.asked.map((q) => [q.kind, q.message])).toEqual([
      ['input', 'Name'],
      ['input', 'File of serials to seed it with (blank for none)'],
    ]);
    const check = (s.asked[0]!.opts as { validate: (v: string) => unknown }).validate;
    expect([check(' '), check(' x ')]).toEqual(['required', true]);
    expect(s.asked[1]!.opts).toEqual({ required: false });
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
    const s = await setup(['Empty', '  ']);
    await s.create({ removeSold: false });
    expect(s.bodies).toEqual([{ name: 'Empty', removeDuplicates: true, removeSold: false }]);
    writeFileSync(join(dir.dir, 'given.txt'), 'G1\n');
    const t = await setup(['Given']);
    await t.create({ stockFile: join(dir.dir, 'given.txt') });
    expect(t.asked.map((q) => q.message)).toEqual(['Name']);
    expect(t.bodies).toEqual([
      { name: 'Given', removeDuplicates: true, removeSold: true, stock: 'G1' },
    ]);
  });
});
