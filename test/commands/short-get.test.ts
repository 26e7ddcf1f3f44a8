// `products get` and `warehouses get` on a terminal: the record, the pool's
// size and its first ten serials as the service lists them, and how to see
// all; piped and --json output hold every serial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { runners } from '../cli/guard.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const env = () => ({ ...shop.env, NO_COLOR: '1' });
const W = DEMO.warehouses;
const P = DEMO.products;

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

/** The lines under a section heading of a terminal's detail. */
const under = (stdout: string, heading: RegExp) => {
  const lines = stdout.trimEnd().split('\n');
  const at = lines.findIndex((l) => heading.test(l));
  expect(at, stdout).toBeGreaterThan(-1);
  return lines.slice(at + 1).map((l) => l.trim());
};

describe.each([
  ['warehouses', W.netflix, 'Items', 'items'],
  ['products', P.netflix1m, 'Stock items', 'stockItems'],
] as const)('%s get', (noun, id, title, field) => {
  const served = async () => {
    const j = await piped([noun, 'get', id, '--json'], { env: env() });
    return (JSON.parse(j.stdout) as Record<string, string[]>)[field]!;
  };

  it('on a terminal: the record, the size, the first 10 as listed, and how to see all', async () => {
    const all = await served();
    expect(all.length).toBe(DEMO.counts.netflix);
    const r = await tty([noun, 'get', id], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^id: +${id}$`, 'm'));
    expect(under(r.stdout, new RegExp(`^${title} \\(the first 10 of 40\\)$`))).toEqual(
      all.slice(0, 10),
    );
    expect(r.stderr).toBe(
      '10 of 40 shown; --items shows them all (--json, or a pipe, prints the whole record)\n',
    );
  });

  it('--items on a terminal: every one, nothing said', async () => {
    const r = await tty([noun, 'get', id, '--items'], { env: env() });
    expect(under(r.stdout, new RegExp(`^${title} \\(40\\)$`))).toEqual(await served());
    expect(r.stderr).toBe('');
  });

  it('piped, as before: every serial, with or without --items', async () => {
    const all = await served();
    for (const extra of [[], ['--items']]) {
      const r = await piped([noun, 'get', id, ...extra], { env: env() });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.trimEnd().split('\n').slice(-40)).toEqual(all);
    }
  });
});

it('a pool of ten or fewer is shown whole on a terminal, nothing said', async () => {
  const r = await tty(['warehouses', 'get', W.spotify], { env: env() });
  expect(r.stdout).toMatch(/^Items \(3\)$/m);
  expect(r.stderr).toBe('');
});
