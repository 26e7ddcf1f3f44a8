// A quick check that a built astrosell runs: `--version`, then a sandbox on a
// free loopback port and `products list` against it, with the key and URL
// from the environment and a throw-away config folder. CI runs it on the
// single executable; it leaves nothing running and nothing on disk.
//   node scripts/smoke.mjs <command> [args…]     e.g. dist-exe/astrosell
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [cmd, ...pre] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/smoke.mjs <command> [args…]');
  process.exit(2);
}
const config = mkdtempSync(join(tmpdir(), 'astrosell-smoke-'));
const env = { ...process.env, ASTROSELL_CONFIG_DIR: config, NO_COLOR: '1' };
for (const k of ['ASTROSELL_API_KEY', 'ASTROSELL_BASE_URL', 'ASTROSELL_PROFILE']) delete env[k];

function run(args, extraEnv = {}) {
  const r = spawnSync(cmd, [...pre, ...args], {
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) {
    throw new Error(`astrosell ${args.join(' ')} exited ${r.status}: ${r.stderr || r.error}`);
  }
  return r.stdout;
}

const sandbox = spawn(cmd, [...pre, 'sandbox', '--port', '0'], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let sandboxLog = '';
sandbox.stderr.setEncoding('utf8').on('data', (d) => {
  sandboxLog += d;
});
let failed = false;
try {
  process.stdout.write(`version: ${run(['--version', '--verbose'])}`);
  const lines = createInterface({ input: sandbox.stdout })[Symbol.asyncIterator]();
  const timer = setTimeout(() => sandbox.kill('SIGKILL'), 30_000);
  const url = (await lines.next()).value;
  const key = (await lines.next()).value;
  clearTimeout(timer);
  if (!url?.startsWith('http://127.0.0.1:') || !key) throw new Error('the sandbox did not start');
  const rows = run(['products', 'list'], { ASTROSELL_API_KEY: key, ASTROSELL_BASE_URL: url })
    .trim()
    .split('\n');
  // The demo shop has 8 products; piped, each is one tab-separated row.
  if (rows.length !== 8 || !rows.every((r) => /^[0-9a-f]{24}\t/.test(r))) {
    throw new Error(`products list printed an unexpected list:\n${rows.join('\n')}`);
  }
  console.log(`sandbox ${url}: products list printed ${rows.length} products`);
} catch (error) {
  failed = true;
  console.error(`error: ${error.message}`);
  if (sandboxLog) console.error(`the sandbox said:\n${sandboxLog}`);
} finally {
  sandbox.kill('SIGINT');
  rmSync(config, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
