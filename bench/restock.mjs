#!/usr/bin/env node
// Restock speed as users meet it, after `npm run build`:
//   node bench/restock.mjs                 200k serials over a 20 ms round trip
//                                          (sandbox --latency 20), CLI vs a bare
//                                          uploader, whole processes; then loopback
//   node bench/restock.mjs --runs 5        more alternated runs
//   node bench/restock.mjs --big           also 10M lines into a pool with the
//                                          sandbox's default cap (5M): peak RSS
//                                          while it is capped and read back
//
// Each case starts a sandbox in a child process and creates a fresh warehouse
// per run. The CLI (`warehouses restock`) and the bare uploader
// (bench/bare-upload.mjs: read, split, send; nothing else) run as whole
// processes, alternated (CLI, bare, bare, CLI, …) so drift on a shared machine
// hits both; both are preloaded with bench/rusage.mjs for CPU time and peak
// RSS. Prints medians, the ratio CLI/bare, and CPU seconds per million serials.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'astrosell.js');
const RUSAGE = join(ROOT, 'bench', 'rusage.mjs');
const BARE = join(ROOT, 'bench', 'bare-upload.mjs');
const KEY = 'nsk_test_bench0000000000000000000000';
const BATCH = 1000;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('--runs', 3);
const big = process.argv.includes('--big');

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
      const r = await timed(
        [BIN, 'warehouses', 'restock', id, file, '--batch-size', String(BATCH), '--json'],
        env,
      );
      if (r.code !== 0) throw new Error(`restock exited ${r.code}: ${r.err}`);
      if (JSON.parse(r.out).added !== n) throw new Error('the CLI did not store every serial');
      cli.push(r);
    } else {
      const r = await timed([BARE, server.url, KEY, id, file, String(BATCH)], {});
      if (r.code !== 0 || Number(r.out) !== n) throw new Error(`bare uploader failed: ${r.err}`);
      bare.push(r);
    }
  };
  for (let i = 0; i < runs; i++) {
    for (const w of i % 2 ? ['bare', 'cli'] : ['cli', 'bare']) await once(w);
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  const row = (name, rs) => {
    const ms = rs.map((r) => r.ms);
    return `  ${name.padEnd(5)} wall ${fmt(median(ms) / 1000)} s (min ${fmt(Math.min(...ms) / 1000)}, max ${fmt(Math.max(...ms) / 1000)})  cpu ${fmt(median(rs.map((r) => r.cpuS)))} s = ${fmt(median(rs.map((r) => r.cpuS)) / (n / 1e6))} s per million  peak ${fmt(median(rs.map((r) => r.rssMiB)), 0)} MiB`;
  };
  console.log(
    `${label}: ${n.toLocaleString('en-US')} serials, batches of ${BATCH}, ${runs} runs each`,
  );
  console.log(row('CLI', cli));
  console.log(row('bare', bare));
  const ratio = median(cli.map((r) => r.ms)) / median(bare.map((r) => r.ms));
  const cpuRatio = median(cli.map((r) => r.cpuS)) / median(bare.map((r) => r.cpuS));
  console.log(`  ratio CLI/bare: wall ${fmt(ratio, 3)}×, cpu ${fmt(cpuRatio, 2)}×`);
  return ratio;
}

async function bigPool() {
  const n = 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'astrosell-bench-in-'));
  const file = join(dir, 'serials.txt');
  await generate(file, n);
  // The sandbox's default limits: a pool holds at most 5,000,000 serials.
  const server = await startSandbox([]);
  const id = await server.warehouse(true);
  const r = await timed([BIN, 'warehouses', 'restock', id, file, '--json'], {
    ASTROSELL_BASE_URL: server.url,
    ASTROSELL_API_KEY: KEY,
  });
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  const s = JSON.parse(r.out || '{}');
  console.log(
    `10M lines into a pool capped at 5M (removeDuplicates, read back after the cap): exit ${r.code}, added ${s.added?.toLocaleString('en-US')}, unsent ${s.unsent?.toLocaleString('en-US')}, ${fmt(r.ms / 1000, 1)} s, cpu ${fmt(r.cpuS, 1)} s, peak RSS ${fmt(r.rssMiB, 0)} MiB`,
  );
}

await compare('over a 20 ms round trip (sandbox --latency 20)', 200_000, 20);
await compare('loopback (no added latency)', 200_000, 0);
if (big) await bigPool();
