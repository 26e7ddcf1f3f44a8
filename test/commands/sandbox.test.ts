// `astrosell sandbox` in-process: its flags reach the server, it serves the
// CLI, and Ctrl-C stops it. (The real process and its SIGINT handler:
// test/cli/main.test.ts.)
import { describe, expect, it } from 'vitest';
import { runMain, startMain, tempDir } from '../helpers/cli.js';

const KEY = 'nsk_test_sandboxverb0000000001';

describe('astrosell sandbox', () => {
  it('prints its base URL first, serves the flags it was given, and stops on Ctrl-C', async () => {
    const cfg = tempDir();
    const run = startMain([
      'sandbox',
      '--port',
      '0',
      '--empty',
      '--key',
      KEY,
      '--key',
      `${KEY}2`,
      '--max-lines',
      '3',
      '--max-pool',
      '4',
    ]);
    try {
      const url = await run.nextLine();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const env = { ASTROSELL_BASE_URL: url, ASTROSELL_CONFIG_DIR: cfg.dir };
      // --empty: no products; both keys accepted.
      for (const key of [KEY, `${KEY}2`]) {
        const r = await runMain(['products', 'list', '--json'], {
          env: { ...env, ASTROSELL_API_KEY: key },
        });
        expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
      }
      const wrong = await runMain(['products', 'list'], {
        env: { ...env, ASTROSELL_API_KEY: 'nsk_test_other', ASTROSELL_MAX_RETRIES: '0' },
      });
      expect(wrong.code).toBe(3);
      // --max-lines 3 and --max-pool 4 reach the server: a seeded pool of 6 is cut.
      const made = await runMain(
        ['warehouses', 'create', '--name', 'w', '--stock-file', '-', '--json', '--no-input'],
        { env: { ...env, ASTROSELL_API_KEY: KEY }, input: 'A\nB\nC\nD\nE\nF\n' },
      );
      expect(made.code).toBe(2);
      expect(made.stderr).toContain('more than 3 serials');
      const ok = await runMain(
        ['warehouses', 'create', '--name', 'w', '--stock-file', '-', '--json', '--no-input'],
        { env: { ...env, ASTROSELL_API_KEY: KEY }, input: 'A\nB\nC\n' },
      );
      expect(ok.code, ok.stderr).toBe(0);
      const id = JSON.parse(ok.stdout).id as string;
      const more = await runMain(['warehouses', 'restock', id, '-', '--json'], {
        env: { ...env, ASTROSELL_API_KEY: KEY },
        input: 'D\nE\nF\n',
      });
      expect(more.code, more.stderr).toBe(7);
      expect(JSON.parse(more.stdout)).toMatchObject({ added: 1, unsent: 2 });
      const r = await run.stop();
      expect([0, 130]).toContain(r.code);
    } finally {
      cfg.cleanup();
    }
  });

  it('with no --key, yesterday’s profile still works after a restart: the key is fixed', async () => {
    const cfg = tempDir();
    try {
      const first = startMain(['sandbox', '--port', '0', '--empty']);
      const url = await first.nextLine();
      expect(await first.nextLine()).toBe('nsk_test_sandbox');
      const env = { ASTROSELL_CONFIG_DIR: cfg.dir };
      // The key as the docs give it, checked by the sandbox and stored.
      const add = await runMain(['keys', 'add', 'sandbox', '--base-url', url], {
        env,
        input: 'nsk_test_sandbox\n',
      });
      expect(add.code, add.stderr).toBe(0);
      expect(add.stderr).toContain('Added profile "sandbox" (nsk_test_…, checked at');
      expect([0, 130]).toContain((await first.stop()).code);

      const again = startMain(['sandbox', '--port', new URL(url).port, '--empty']);
      expect(await again.nextLine()).toBe(url);
      const list = await runMain(['products', 'list', '--json'], { env });
      expect(list).toMatchObject({ code: 0, stdout: '[]\n' });
      expect([0, 130]).toContain((await again.stop()).code);
    } finally {
      cfg.cleanup();
    }
  });

  it('with no --key, a host beyond loopback is refused: exit 2, one line, nothing served', async () => {
    for (const host of ['0.0.0.0', '::']) {
      const r = await runMain(['sandbox', '--port', '0', '--host', host]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^error: refusing to listen on \S+ with the sandbox's public default key: anyone who reaches it could use the shop; pass --key with a key of your own, or use a loopback host \(127\.0\.0\.1\)\n$/,
      );
    }
  });

  it('a bad value is exit 2 naming the flag, before anything is served', async () => {
    for (const [argv, flag] of [
      [['--port', '70000'], '--port'],
      [['--error-rate', '2'], 'error'],
      [['--drop-rate', 'x'], 'drop'],
      [['--rate-limit', 'often'], 'rate'],
      [['--max-lines', '0'], '--max-lines'],
      [['--latency', '-1'], '--latency'],
    ] as const) {
      const r = await runMain(['sandbox', '--port', '0', ...argv]);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: .*${flag}`, 'm'));
      expect(r.stdout).toBe('');
    }
  });
});
