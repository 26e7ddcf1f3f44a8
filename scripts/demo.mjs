#!/usr/bin/env node
// `npm run demo`: start a sandbox on a free loopback port and take a short,
// scripted tour of the CLI against it. Nothing touches your real config:
// the tour uses a throw-away config folder and the sandbox's own test key.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const bin = new URL('../bin/astrosell.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'astrosell-demo-'));
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s);

// --history: 3,000 orders over the last 90 days, for the history, stats and status.
const sandbox = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--history', '3000'], {
  stdio: ['ignore', 'pipe', 'ignore'], // its request log would interleave with the tour
});
const lines = createInterface({ input: sandbox.stdout });
const it = lines[Symbol.asyncIterator]();
const url = (await it.next()).value;
const key = (await it.next()).value;
if (!url?.startsWith('http') || !key?.startsWith('nsk_')) {
  console.error('demo: the sandbox did not start');
  process.exit(1);
}

const env = {
  ...process.env,
  ASTROSELL_CONFIG_DIR: join(work, 'config'),
  ASTROSELL_API_KEY: undefined,
  ASTROSELL_BASE_URL: undefined,
  ASTROSELL_PROFILE: undefined,
};
function step(note, args, input) {
  console.log(`\n${bold(`# ${note}`)}\n${bold('$')} astrosell ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [bin, ...args], {
    env,
    input,
    stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
  });
  if (r.status !== 0) console.log(`(exit code ${r.status})`);
  return r.status;
}

let failures = 0;
const DEMO_POOL = { id: undefined };

/**
 * `orders watch` in the background while the sandbox simulates two
 * purchases (POST /sandbox/purchase); stops after printing them.
 */
async function watchPurchases() {
  const args = ['orders', 'watch', '--interval', '500ms', '--max-orders', '2'];
  console.log(
    `\n${bold('# Watch new orders as they come (the sandbox simulates two purchases)')}\n${bold('$')} astrosell ${args.join(' ')}`,
  );
  const watcher = spawn(process.execPath, [bin, ...args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const done = new Promise((resolve) => watcher.on('close', resolve));
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  await pause(1200);
  for (const productId of ['66f0a1b2c3d4e5f6a7b8c901', '66f0a1b2c3d4e5f6a7b8c903']) {
    await fetch(`${url}/sandbox/purchase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productId, email: 'demo-buyer@example.com' }),
    });
    await pause(700);
  }
  const timer = setTimeout(() => watcher.kill('SIGINT'), 10_000);
  const code = await done;
  clearTimeout(timer);
  return code;
}
const must = (code) => {
  if (code !== 0) failures++;
};
try {
  console.log(`Sandbox running at ${url}`);
  must(
    step(
      'Store the sandbox key as a profile (read from stdin)',
      ['keys', 'add', 'demo', '--base-url', url],
      `${key}\n`,
    ),
  );
  must(step('Which profile, key and URL are in force, and does the key work?', ['keys', 'status']));
  must(step('Products, newest first', ['products', 'list']));
  must(step('Shared serial pools', ['warehouses', 'list']));
  step('Is any pool low? (exit 8 means yes)', ['warehouses', 'check']);
  must(
    step('Recent completed orders', ['orders', 'list', '--status', 'completed', '--limit', '5']),
  );
  must(step('Coupons', ['coupons', 'list']));
  const serials = join(work, 'serials.txt');
  writeFileSync(
    serials,
    Array.from({ length: 2500 }, (_, i) => `DEMO-${String(i).padStart(6, '0')}-KEY`).join('\r\n'),
  );
  const created = spawnSync(
    process.execPath,
    [bin, 'warehouses', 'create', '--name', 'Demo pool', '--low-stock-threshold', '100', '--json'],
    { env, encoding: 'utf8' },
  );
  console.log(
    `\n${bold('# Create a pool (JSON for scripts)')}\n${bold('$')} astrosell warehouses create --name "Demo pool" --low-stock-threshold 100 --json\n${created.stdout.trim()}`,
  );
  if (created.status === 0) {
    const id = JSON.parse(created.stdout).id;
    DEMO_POOL.id = id;
    must(
      step('Restock it from a file of 2,500 serials (CRLF line endings are fine)', [
        'warehouses',
        'restock',
        id,
        serials,
      ]),
    );
    must(step('The pools now', ['warehouses', 'list']));
  } else {
    console.log(created.stderr);
    failures++;
  }
  must(
    step('Did the file go in? (exit 9 would list what is missing)', [
      'warehouses',
      'diff',
      DEMO_POOL.id ?? '',
      serials,
    ]),
  );
  must(
    step('A CSV export, the fields an accountant wants', [
      'orders',
      'list',
      '--format',
      'csv',
      '--fields',
      'invoiceId,createdAt,total,currency,status',
      '--limit',
      '3',
    ]),
  );
  must(await watchPurchases());
  must(step('Anything else, like `gh api`', ['api', 'GET', '/orders', '-F', 'limit=2']));
  must(
    step('Keep a local order history (the service lists only the newest 200); run it from cron', [
      'orders',
      'sync',
    ]),
  );
  must(step('Orders and revenue per week, from the history', ['stats', '--by', 'week']));
  step('What runs out within a week at the recent pace? (exit 8 means something)', [
    'warehouses',
    'check',
    '--days',
    '7',
  ]);
  must(step('The morning screen', ['status']));
} finally {
  sandbox.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}
// The command that starts a sandbox from wherever the reader is: this very
// CLI by its path (npx would ask the registry for a package of that name
// outside this clone), or the installed one.
const word = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
console.log(
  `\n${failures === 0 ? 'Demo finished.' : `Demo finished with ${failures} failing step(s).`} Start your own sandbox with:\n  node ${word(bin)} sandbox\nor, where astrosell is installed: astrosell sandbox`,
);
process.exitCode = failures === 0 ? 0 : 1;
