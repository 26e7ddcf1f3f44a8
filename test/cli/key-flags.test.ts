// A key typed as a flag value is refused (exit 2) before anything is sent,
// and never repeated whole: in-process, so mutation testing sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFlagIn } from '../../src/cli.js';
import { runMain, runTerminal } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { checkRun } from './guard.js';

const TYPED = 'nsk_live_typedasaflag0000000042';
let shop: TestShop;
const log: string[] = [];
beforeAll(async () => {
  shop = await startTestShop({ log: (l) => log.push(l) });
});
afterAll(() => shop.close());

describe('a key typed as a flag value', () => {
  const cases: Array<[string[], string]> = [
    [['products', 'list', `--api-key=${TYPED}`], '--api-key'],
    [['--apikey', TYPED, 'orders', 'list'], '--apikey'],
    [['coupons', 'list', `--token=${TYPED}`], '--token'],
    [['coupons', 'list', '--secret', TYPED], '--secret'],
    [['keys', 'add', 'ci', `--KEY=${TYPED}`], '--KEY'],
    [['warehouses', 'list', '--key', TYPED, '--json'], '--key'],
  ];
  it.each(cases)('%j: exit 2 naming %s, the key not repeated, nothing sent', async (argv, flag) => {
    const before = log.length;
    const r = checkRun(argv, await runMain(argv, { env: shop.env }), [
      shop.key,
      TYPED,
      TYPED.slice(9),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `error: ${flag} is not an option: an API key is never passed as a flag`,
    );
    expect(r.stderr).toMatch(/^hint: .*keys add.*ASTROSELL_API_KEY/m);
    expect(log.length, 'requests sent').toBe(before);
  });

  it('on a terminal the refusal is red like any error line, and plain with --no-color', async () => {
    const argv = ['products', 'list', `--api-key=${TYPED}`];
    const red = await runTerminal(argv, { env: shop.env });
    expect(red.code).toBe(2);
    expect(red.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m --api-key is not an option/);
    const plain = await runTerminal([...argv, '--no-color'], { env: shop.env });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^error: --api-key is not an option/);
    expect(plain.stderr).not.toContain('\u001b[');
  });

  it('keyFlagIn: which arguments are key flags', () => {
    expect(keyFlagIn(['products', 'list'])).toBeUndefined();
    expect(keyFlagIn(['products', 'list', '--keys'])).toBeUndefined();
    expect(keyFlagIn(['products', 'list', '--tokens=x'])).toBeUndefined();
    expect(keyFlagIn(['products', 'list', '--api-key'])).toBe('--api-key');
    expect(keyFlagIn(['products', 'list', '--Api-Key=x'])).toBe('--Api-Key');
    // sandbox --key names the keys the sandbox accepts: a real option.
    expect(keyFlagIn(['sandbox', '--key', 'nsk_test_x'])).toBeUndefined();
    expect(keyFlagIn(['sandbox', '--token', 'x'])).toBe('--token');
    expect(keyFlagIn(['--json', 'sandbox', '--key=x'])).toBeUndefined();
    // After `--` nothing is a flag.
    expect(keyFlagIn(['api', 'GET', '/x', '--', '--key=x'])).toBeUndefined();
    expect(keyFlagIn(['api', '--key=x', '--', 'y'])).toBe('--key');
  });
});
