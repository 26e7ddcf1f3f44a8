// How much memory does `warehouses diff` take against a large pool? A sandbox
// (in this process) holds a warehouse of POOL serials; a file holds FILE
// serials, half of them in the pool. The CLI runs as its own process, and its
// peak RSS and CPU time are printed, with those of `warehouses get --json`
// (which streams the same body to a file) for comparison.
// Run: npm run build && node bench/diff-memory.mjs [POOL] [FILE]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../dist/sandbox.js';

const POOL = Number(process.argv[2] ?? 1_000_000);
const FILE = Number(process.argv[3] ?? 100_000);
const bin = new URL('../bin/astrosell.js', import.meta.url).pathname;
const rusage = new URL('./rusage.mjs', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'astrosell-diff-bench-'));
const sb = await startSandbox({ port: 0, empty: true, keys: ['nsk_test_bench0000000000'] });
try {
  const w = sb.store.createWarehouse({
    name: 'bench',
    removeDuplicates: true,
    removeSold: true,
    lowStockThreshold: null,
  });
  const serial = (i) => `BENCH-${String(i).padStart(8, '0')}-XXXX-YYYY`;
  for (let b = 0; b < POOL; b += 10_000) {
    const lines = [];
    for (let i = b; i < Math.min(POOL, b + 10_000); i++) lines.push(serial(i));
    sb.store.addStock(w.pool, lines.join('\n'), false);
  }
  const file = join(work, 'file.txt');
  const lines = [];
  // Half of the file is in the pool, half is not.
  for (let i = 0; i < FILE; i++) lines.push(serial(i % 2 === 0 ? i : POOL + i));
  writeFileSync(file, `${lines.join('\n')}\n`);

  const run = (args) =>
    new Promise((resolve, reject) => {
      const out = join(work, `rusage-${Math.random()}.json`);
      const t0 = Date.now();
      const child = spawn(process.execPath, ['--import', rusage, bin, ...args], {
        env: {
          ...process.env,
          BENCH_RUSAGE: out,
          ASTROSELL_BASE_URL: sb.url,
          ASTROSELL_API_KEY: sb.keys[0],
          ASTROSELL_CONFIG_DIR: join(work, 'config'),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('error', reject);
      child.on('close', (code) => {
        const r = JSON.parse(readFileSync(out, 'utf8'));
        resolve({ code, ms: Date.now() - t0, rssMiB: r.maxRssKiB / 1024, cpuS: r.cpuUs / 1e6 });
      });
    });
  const show = (label, r) =>
    console.log(
      `${label.padEnd(40)} exit ${r.code}  peak RSS ${r.rssMiB.toFixed(0)} MiB  CPU ${r.cpuS.toFixed(1)} s  wall ${(r.ms / 1000).toFixed(1)} s`,
    );
  console.log(
    `pool ${POOL.toLocaleString('en')} serials, file ${FILE.toLocaleString('en')} serials`,
  );
  show('warehouses get --json (piped)', await run(['warehouses', 'get', w.id, '--json']));
  show('warehouses diff', await run(['warehouses', 'diff', w.id, file]));
  show(
    'warehouses diff --show extra',
    await run(['warehouses', 'diff', w.id, file, '--show', 'extra']),
  );
} finally {
  await sb.close();
  rmSync(work, { recursive: true, force: true });
}
