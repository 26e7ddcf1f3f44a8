// warehouses create on a terminal: the seed-file prompt takes a blank answer
// ("blank for none"), and Ctrl-C there cancels instead of creating the pool.
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import { cleanEnv } from '../../helpers/cli.js';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';

class Tty extends Writable {
  text = '';
  isTTY = true;
  columns = 100;
  rows = 40;
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

/** Runs main() as on a terminal, typing each answer once the prompt for it is shown. */
async function typeInto(shop: TestShop, argv: string[], answers: Array<[RegExp, string]>) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = new Tty();
  const stderr = new Tty();
  const done = main(argv, { stdin, stdout, stderr, env: cleanEnv(shop.env) });
  for (const [prompt, keys] of answers) {
    for (let i = 0; !prompt.test(stderr.text); i++) {
      if (i > 200) throw new Error(`no prompt ${prompt}; stderr: ${stderr.text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    stdin.write(keys);
  }
  const code = await Promise.race([
    done,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still waiting; stderr: ${stderr.text}`)), 5000),
    ),
  ]);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('warehouses create, prompting', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop({ empty: true });
  });
  afterAll(() => shop.close());

  it('a blank seed file answer creates the pool empty', async () => {
    const r = await typeInto(
      shop,
      ['warehouses', 'create'],
      [
        [/Name/, 'Pool A\r'],
        [/blank for none/, '\r'],
      ],
    );
    expect(r.stderr).not.toContain('You must provide a value');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pool A');
    expect([...shop.sandbox.store.warehouses.values()].map((w) => w.name)).toContain('Pool A');
  });

  it('Ctrl-C at the seed file prompt cancels: exit 130, nothing created', async () => {
    const before = shop.sandbox.store.warehouses.size;
    const r = await typeInto(
      shop,
      ['warehouses', 'create'],
      [
        [/Name/, 'Pool B\r'],
        [/blank for none/, '\u0003'],
      ],
    );
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(shop.sandbox.store.warehouses.size).toBe(before);
  });
});
