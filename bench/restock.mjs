#!/usr/bin/env node
// Restock speed as users meet it, after `npm run build`:
//   node bench/restock.mjs                 1M serials over a 100 ms and a 20 ms
//                                          round trip (sandbox --latency) and on
//                                          loopback: the CLI as users run it
//                                          (batch sizes growing by themselves) vs
//                                          a bare uploader at the service's
//                                          largest batch, whole processes
//   node bench/restock.mjs --small         also one run of the bare uploader at
//                                          1,000 a request over 100 ms (~100 s)
//   node bench/restock.mjs --n 200000      another input size
//   node bench/restock.mjs --runs 5        more alternated runs
//   node bench/restock.mjs --big-only      only the 10M case below
//   node bench/restock.mjs --big           also 10M lines into a pool with the
//                                          sandbox's default cap (5M): peak RSS
//                                          while it is capped and read back, with
//                                          Node's default young generation and
//                                          with NODE_OPTIONS=--max-semi-space-size=1
//
// Each case starts a sandbox in a child process and creates a fresh warehouse
// per run. The CLI (`warehouses restock`) and the bare uploader
// (bench/bare-upload.mjs: read, split, send; nothing else) run as whole
// processes, alternated (CLI, bare, bare, CLI, …) so drift on a shared machine
// hits both; both are preloaded with bench/rusage.mjs for CPU time and peak
// RSS. Prints medians, the ratio CLI/bare, and CPU seconds per million serials.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'astrosell.js');
const RUSAGE = join(ROOT, 'bench', 'rusage.mjs');
const BARE = join(ROOT, 'bench', 'bare-upload.mjs');
const KEY = 'nsk_test_bench0000000000000000000000';
/** The sandbox's default limit of lines a request: the service's largest batch. */
const LARGEST = 100_000;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('--runs', 3);
const N = arg('--n', 1_000_000);
const bigOnly = process.argv.includes('--big-only');
const big = bigOnly || process.argv.includes('--big');
const small = process.argv.includes('--small');

function serial(i) {
  return `GC-${i.toString(36).toUpperCase().padStart(8, '0')}-${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`;
}

async function generate(path, n) {
  const out = createWriteStream(path);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${serial(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r) => out.on('finish', r));
}

async function startSandbox(extra) {
  const child = spawn(
    process.execPath,
    [BIN, 'sandbox', '--port', '0', '--empty', '--key', KEY, ...extra],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      text += d;
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl).trim());
    });
    child.on('exit', () => reject(new Error('sandbox exited')));
  });
  child.stdout.resume();
  return {
    url,
    async warehouse(removeDuplicates) {
      const res = await fetch(`${url}/warehouses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', removeDuplicates }),
      });
      return (await res.json()).id;
    },
    async stop() {
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

function timed(args, env) {
  const tmp = mkdtempSync(join(tmpdir(), 'astrosell-bench-'));
  const usage = join(tmp, 'usage.json');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RUSAGE, ...args], {
    env: { ...process.env, ...env, BENCH_RUSAGE: usage, ASTROSELL_CONFIG_DIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      try {
        const u = JSON.parse(readFileSync(usage, 'utf8'));
        resolve({ code, ms, cpuS: u.cpuUs / 1e6, rssMiB: u.maxRssKiB / 1024, out, err });
      } catch (e) {
        reject(new Error(`no usage (exit ${code}): ${err} ${e}`));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 2) => x.toFixed(d);

async function compare(label, n, latency) {
  const dir = mkdtempSync(join(tmpdir(), 'astrosell-bench-in-'));
  const file = join(dir, 'serials.txt');
  await generate(file, n);
  const server = await startSandbox(['--latency', String(latency), '--max-pool', '20000000']);
  const env = { ASTROSELL_BASE_URL: server.url, ASTROSELL_API_KEY: KEY };
  const cli = [];
  const bare = [];
  const once = async (which) => {
    const id = await server.warehouse(false);
    if (which === 'cli') {
      const r = await timed([BIN, 'warehouses', 'restock', id, file, '--json'], env);
      if (r.code !== 0) throw new Error(`restock exited ${r.code}: ${r.err}`);
      const s = JSON.parse(r.out);
      if (s.added !== n) throw new Error('the CLI did not store every serial');
      cli.push({ ...r, requests: s.batches, sizes: s.batchSizes });
    } else {
      const r = await timed([BARE, server.url, KEY, id, file, String(LARGEST)], {});
      if (r.code !== 0 || Number(r.out) !== n) throw new Error(`bare uploader failed: ${r.err}`);
      bare.push({ ...r, requests: Math.ceil(n / LARGEST) });
    }
  };
  for (let i = 0; i < runs; i++) {
    for (const w of i % 2 ? ['bare', 'cli'] : ['cli', 'bare']) await once(w);
  }
  let bareSmall;
  if (small && latency >= 100) {
    const id = await server.warehouse(false);
    bareSmall = await timed([BARE, server.url, KEY, id, file, '1000'], {});
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  const row = (name, rs) => {
    const ms = rs.map((r) => r.ms);
    return `  ${name.padEnd(22)} wall ${fmt(median(ms) / 1000)} s (min ${fmt(Math.min(...ms) / 1000)}, max ${fmt(Math.max(...ms) / 1000)})  ${median(rs.map((r) => r.requests))} requests  cpu ${fmt(median(rs.map((r) => r.cpuS)))} s  peak ${fmt(median(rs.map((r) => r.rssMiB)), 0)} MiB`;
  };
  console.log(`${label}: ${n.toLocaleString('en-US')} serials, ${runs} runs each, alternated`);
  console.log(row('CLI (default)', cli));
  const sz = cli.at(-1).sizes;
  console.log(`    batch sizes ${sz.smallest}…${sz.largest} (last ${sz.last})`);
  console.log(row(`bare, ${LARGEST.toLocaleString('en-US')} a request`, bare));
  const ratio = median(cli.map((r) => r.ms)) / median(bare.map((r) => r.ms));
  console.log(`  ratio CLI/bare at the largest batch: wall ${fmt(ratio, 2)}×`);
  if (bareSmall) {
    console.log(
      `  bare, 1,000 a request   wall ${fmt(bareSmall.ms / 1000)} s (one run), ${Math.ceil(n / 1000)} requests`,
    );
    console.log(
      `  ratio CLI/bare at 1,000 a request: ${fmt(median(cli.map((r) => r.ms)) / bareSmall.ms, 3)}×`,
    );
  }
  return ratio;
}

async function bigPool() {
  const n = 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'astrosell-bench-in-'));
  const file = join(dir, 'serials.txt');
  await generate(file, n);
  // The sandbox's default limits: a pool holds at most 5,000,000 serials.
  const server = await startSandbox([]);
  // V8's young generation grows to 2 × 16 MiB in any long run; a 1 MiB
  // semi-space (a start-up flag, so only through NODE_OPTIONS) is the one
  // lever below it. Both are measured, alternated.
  const small = '--max-semi-space-size=1';
  const rows = { default: [], [small]: [] };
  for (let i = 0; i < runs; i++) {
    for (const way of i % 2 ? [small, 'default'] : ['default', small]) {
      const id = await server.warehouse(true);
      const r = await timed([BIN, 'warehouses', 'restock', id, file, '--json'], {
        ASTROSELL_BASE_URL: server.url,
        ASTROSELL_API_KEY: KEY,
        ...(way === small ? { NODE_OPTIONS: small } : {}),
      });
      const s = JSON.parse(r.out || '{}');
      if (r.code !== 7 || s.added !== 5_000_000)
        throw new Error(`10M run: exit ${r.code}, added ${s.added}`);
      rows[way].push({ ...r, requests: s.batches });
    }
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `10M lines into a pool capped at 5M (removeDuplicates, read back after the cap): 5,000,000 added, 5,000,000 unsent, exit 7, ${runs} runs each, alternated`,
  );
  for (const [way, rs] of Object.entries(rows)) {
    const ms = rs.map((r) => r.ms);
    const peaks = rs.map((r) => r.rssMiB);
    console.log(
      `  ${(way === 'default' ? 'default' : `NODE_OPTIONS=${way}`).padEnd(40)} wall ${fmt(median(ms) / 1000, 1)} s  ${median(rs.map((r) => r.requests))} requests  cpu ${fmt(median(rs.map((r) => r.cpuS)), 1)} s  peak ${fmt(median(peaks), 0)} MiB (${fmt(Math.min(...peaks), 0)}–${fmt(Math.max(...peaks), 0)})`,
    );
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`load average at the start: ${load()}`);
if (!bigOnly) {
  await compare('over a 100 ms round trip (sandbox --latency 100)', N, 100);
  await compare('over a 20 ms round trip (sandbox --latency 20)', N, 20);
  await compare('loopback (no added latency)', N, 0);
}
if (big) await bigPool();
console.log(`load average at the end: ${load()}`);
