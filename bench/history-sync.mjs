#!/usr/bin/env node
// `orders sync` against a sandbox that keeps taking orders between syncs:
// each round the shop sells `--per` orders (under a page, so every sync
// overlaps the last), then the built CLI syncs into one history file.
// Prints the time of each sync (median and worst) and the file's size per
// 10,000 orders kept. Run `npm run build` first.
//   node bench/history-sync.mjs [--rounds 60] [--per 180]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../dist/sandbox.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('--rounds', 60);
const per = arg('--per', 180);
const bin = new URL('../bin/astrosell.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'astrosell-bench-history-'));
const db = join(dir, 'h.sqlite');
const key = 'nsk_test_bench_history';
const sandbox = await startSandbox({ port: 0, keys: [key] });
const product = [...sandbox.store.products.values()].find((p) => p.type === 'file');
const env = {
  ...process.env,
  ASTROSELL_BASE_URL: sandbox.url,
  ASTROSELL_API_KEY: key,
  ASTROSELL_CONFIG_DIR: dir,
};

const times = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < per; i++) sandbox.store.purchase(product.id, 1, `b${i}@example.com`);
    // The child runs while this process serves it: run it asynchronously.
    const t = performance.now();
    const code = await new Promise((resolve) => {
      const c = spawn(process.execPath, [bin, 'orders', 'sync', '--db', db], {
        env,
        stdio: 'ignore',
      });
      c.on('exit', resolve);
    });
    times.push(performance.now() - t);
    if (code !== 0) throw new Error(`sync ${r} exited ${code}`);
  }
} finally {
  await sandbox.close();
}
const kept = Number(
  spawnSync('sqlite3', [db, 'SELECT count(*) FROM orders'], { encoding: 'utf8' }).stdout.trim() ||
    0,
);
const bytes = statSync(db).size;
times.sort((a, b) => a - b);
const ms = (x) => `${Math.round(x)} ms`;
console.log(`${rounds} syncs of ${per} new orders each (full page of 200 read each time)`);
console.log(`sync time: median ${ms(times[times.length >> 1])}, worst ${ms(times.at(-1))}`);
console.log(
  `history: ${kept} orders, ${(bytes / 2 ** 20).toFixed(2)} MiB; ${(((bytes / Math.max(kept, 1)) * 10_000) / 2 ** 20).toFixed(2)} MiB per 10,000 orders`,
);
rmSync(dir, { recursive: true, force: true });
