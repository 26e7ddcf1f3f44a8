#!/usr/bin/env node
// Restock throughput and memory, run after `npm run build`:
//   node bench/restock.mjs            # 1M and 10M lines (about 2 minutes)
//   node bench/restock.mjs --quick    # 1M only
//   node bench/restock.mjs --runs 5   # more alternated runs per size
//   node bench/restock.mjs --compare /path/to/other/checkout   # also time its
//       built CLI, alternated with this one (before/after in the same run)
//
// For each size: a generated file of serials in a temp dir; a sandbox in a
// child process (`astrosell sandbox`, so server and CLI do not share a CPU);
// the CLI restocks the file into an empty warehouse while its VmHWM (peak
// RSS) is polled from /proc; then a bare uploader sends the same batches
// (same batch size, bodies pre-built) with undici `request` in a loop into a
// fresh sandbox. Runs alternate (CLI, bare, bare, CLI, …) so that drift on
// a shared machine hits both. Prints serials/s, both times, their ratio and
// peak memory. The CLI's time is the whole command (start-up, the check
// before sending, the upload); the bare uploader's is its send loop only.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'astrosell.js');
const KEY = 'nsk_test_bench0000000000000000000000';
const BATCH = 1000;
const quick = process.argv.includes('--quick');
const sizes = quick ? [1_000_000] : [1_000_000, 10_000_000];
const runsArg = process.argv.indexOf('--runs');
const runsFlag = runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined;
const compareArg = process.argv.indexOf('--compare');
const CLIS = [{ label: 'CLI', bin: BIN }];
if (compareArg > 0) {
  CLIS.push({ label: 'compared', bin: join(process.argv[compareArg + 1], 'bin', 'astrosell.js') });
}

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

async function startServer() {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'sandbox',
      '--port',
      '0',
      '--empty',
      '--key',
      KEY,
      '--max-lines',
      '100000',
      '--max-pool',
      '20000000',
    ],
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
  const res = await request(`${url}/warehouses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', removeDuplicates: false }),
  });
  const { id } = await res.body.json();
  return {
    url,
    id,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

function peakKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function runCli(bin, file, server, configDir) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [bin, 'warehouses', 'restock', server.id, file, '--batch-size', String(BATCH), '--json'],
    {
      env: {
        ...process.env,
        ASTROSELL_BASE_URL: server.url,
        ASTROSELL_API_KEY: KEY,
        ASTROSELL_CONFIG_DIR: configDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, peakKiB(child.pid));
  }, 25);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  // VmHWM is a high-water mark: read it once more when the process is done but not yet reaped.
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  clearInterval(poll);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`restock exited ${code}: ${err}`);
  const summary = JSON.parse(out);
  return { ms, peakMiB: peak / 1024, summary };
}

async function runBare(file, server) {
  // Pre-built batches: the bare uploader does no reading, splitting or checking.
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const bodies = [];
  for (let i = 0; i < lines.length; i += BATCH) {
    bodies.push(JSON.stringify({ stock: lines.slice(i, i + BATCH).join('\n') }));
  }
  lines.length = 0;
  const url = `${server.url}/warehouses/${server.id}/stock`;
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const started = performance.now();
  let added = 0;
  for (const body of bodies) {
    const res = await request(url, { method: 'POST', headers, body });
    const r = await res.body.json();
    added += r.added;
  }
  return { ms: performance.now() - started, added };
}

const dir = mkdtempSync(join(tmpdir(), 'astrosell-bench-'));
const rows = [];
try {
  for (const n of sizes) {
    const file = join(dir, `serials-${n}.txt`);
    process.stderr.write(`generating ${n.toLocaleString('en-US')} serials…\n`);
    await generate(file, n);
    // Alternate CLI and bare runs (ABBA…), each against a fresh sandbox; keep the
    // best of each (the machine may be shared: the minimum is the least disturbed run).
    const runs = runsFlag ?? (n <= 1_000_000 ? 3 : 1);
    const best = {};
    let bare;
    const oneCli = async (r, { label, bin }) => {
      const server = await startServer();
      process.stderr.write(`  run ${r + 1}/${runs}: ${label} restock…\n`);
      const c = await runCli(bin, file, server, join(dir, `config-${label}-${r}`));
      await server.stop();
      if (c.summary.sent !== n || c.summary.added !== n) {
        throw new Error(`${label} stored ${c.summary.added} of ${n}`);
      }
      const was = best[label];
      const peakMiB = Math.max(c.peakMiB, was?.peakMiB ?? 0);
      if (!was || c.ms < was.ms) best[label] = c;
      best[label].peakMiB = peakMiB;
    };
    const oneBare = async (r) => {
      const server = await startServer();
      process.stderr.write(`  run ${r + 1}/${runs}: bare uploader…\n`);
      const b = await runBare(file, server);
      await server.stop();
      if (b.added !== n) throw new Error(`bare uploader stored ${b.added} of ${n}`);
      if (!bare || b.ms < bare.ms) bare = b;
    };
    for (let r = 0; r < runs; r++) {
      const order = [...CLIS.map((c) => () => oneCli(r, c)), () => oneBare(r)];
      if (r % 2 === 1) order.reverse();
      for (const step of order) await step();
    }
    for (const { label } of CLIS) rows.push({ n, label, cli: best[label], bare, runs });
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (x, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const header = [
  'lines',
  'CLI',
  'CLI s',
  'CLI serials/s',
  'bare s',
  'bare serials/s',
  'CLI/bare',
  'CLI peak RSS MiB',
];
const table = rows.map(({ n, label, cli, bare }) => [
  fmt(n),
  label,
  fmt(cli.ms / 1000, 2),
  fmt(n / (cli.ms / 1000)),
  fmt(bare.ms / 1000, 2),
  fmt(n / (bare.ms / 1000)),
  fmt(cli.ms / bare.ms, 3),
  fmt(cli.peakMiB, 1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `batch size ${BATCH}; Node ${process.version}; sandbox in a child process; best of ${[...new Set(rows.map((r) => r.runs))].join('/')} alternated runs; peak RSS = max over runs`,
);
console.log('CLI s: the whole command (start-up, check, upload); bare s: its send loop only');
console.log(line(header));
for (const r of table) console.log(line(r));
