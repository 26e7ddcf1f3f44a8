#!/usr/bin/env node
// How fast does astrosell answer, against baselines in the same run?
// Each row alternates the command and its baseline (after a warm-up of
// each) and compares medians, so the machine's drift hits both.
// The floor for --version and --help is node running an empty .mjs file:
// no ESM program starts faster.
// With --exe, the single executable of `npm run build:exe` is compared with
// the same commands run by node from bin/ (no goal: it is told, not judged).
//   node bench/startup.mjs [--runs N] [--start-up-only] [--exe dist-exe/astrosell]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, compare, printTable, startSandboxProcess } from './lib.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;
const exeArg = process.argv.indexOf('--exe');
const EXE = exeArg > 0 ? process.argv[exeArg + 1] : undefined;
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), 'astrosell-bench-'));
const startUpOnly = process.argv.includes('--start-up-only');
const emptyScript = join(work, 'empty.mjs');
writeFileSync(emptyScript, '');
const fetchScript = join(work, 'fetch.mjs');
writeFileSync(
  fetchScript,
  `const r = await fetch(process.env.ASTROSELL_BASE_URL + process.argv[2], { headers: { authorization: 'Bearer ' + process.env.ASTROSELL_API_KEY } });
if (!r.ok) process.exit(1);
process.stdout.write(await r.text());
`,
);

async function seedBig(url, key) {
  const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = async (path, body) => {
    const r = await fetch(url + path, { method: 'POST', headers: h, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const wh = await post('/warehouses', { name: 'Big pool', lowStockThreshold: 10 });
  for (let b = 0; b < 10; b++) {
    const stock = Array.from({ length: 10_000 }, (_, i) => `BIG-${b}-${i}-XXXX-YYYY`).join('\n');
    await post(`/warehouses/${wh.id}/stock`, { stock });
  }
  const types = ['serials', 'service', 'file', 'dynamic'];
  const batch = [];
  for (let i = 0; i < 5000; i++) {
    batch.push(
      post('/products', {
        title: `Product number ${i} with a reasonably long descriptive title for truncation`,
        price: (i % 100) + 0.99,
        type: types[i % 4],
        currency: ['USD', 'EUR', 'GBP', 'CAD'][i % 4],
        ...(i % 4 === 0 ? { warehouseId: wh.id } : {}),
      }),
    );
    if (batch.length === 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return wh.id;
}

const demo = await startSandboxProcess();
const big = await startSandboxProcess(['--empty', '--max-lines', '100000']);
try {
  // A minimal environment, as `env -i PATH=…` gives: a CA bundle named in
  // NODE_EXTRA_CA_CERTS (set on some machines) adds ~40 ms to every Node
  // process, the baseline's too, and would hide the ratio.
  const envDemo = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ASTROSELL_BASE_URL: demo.url,
    ASTROSELL_API_KEY: demo.key,
    ASTROSELL_CONFIG_DIR: join(work, 'cfg'),
  };
  const envBig = { ...envDemo, ASTROSELL_BASE_URL: big.url, ASTROSELL_API_KEY: big.key };
  const whId = startUpOnly ? '' : await seedBig(big.url, big.key);
  const rows = [
    compare(
      'astrosell --version  vs  node empty.mjs',
      [node, [BIN, '--version'], envDemo],
      [node, [emptyScript], envDemo],
      RUNS,
    ),
    compare(
      'astrosell --help  vs  node empty.mjs',
      [node, [BIN, '--help'], envDemo],
      [node, [emptyScript], envDemo],
      RUNS,
    ),
  ];
  // Goals by row; the single executable's rows have none.
  const goals = [1.2, 1.35];
  if (!startUpOnly) {
    rows.push(
      compare(
        'products list --json  vs  fetch script',
        [node, [BIN, 'products', 'list', '--json'], envDemo],
        [node, [fetchScript, '/products'], envDemo],
        RUNS,
      ),
      compare(
        'warehouses get (100k items) --json  vs  fetch script',
        [node, [BIN, 'warehouses', 'get', whId, '--json'], envBig],
        [node, [fetchScript, `/warehouses/${whId}`], envBig],
        RUNS,
      ),
      compare(
        'products list, 5,000 rows piped table  vs  --json',
        [node, [BIN, 'products', 'list'], envBig],
        [node, [BIN, 'products', 'list', '--json'], envBig],
        RUNS,
      ),
    );
    goals.push(1.3, 1.5, 2);
  }
  if (EXE) {
    rows.push(
      compare(
        'single executable --version  vs  node bin --version',
        [EXE, ['--version'], envDemo],
        [node, [BIN, '--version'], envDemo],
        RUNS,
      ),
      compare(
        'single executable products list --json  vs  node bin',
        [EXE, ['products', 'list', '--json'], envDemo],
        [node, [BIN, 'products', 'list', '--json'], envDemo],
        RUNS,
      ),
    );
  }
  console.log(
    `\nStart-up and output speed (node ${process.version}, medians of ${RUNS} alternating runs each)\n`,
  );
  printTable(
    ['what', 'astrosell ms', 'baseline ms', 'ratio', 'goal', ''],
    rows.map((r, i) => [
      r.name,
      r.a.toFixed(1),
      r.b.toFixed(1),
      `${r.ratio.toFixed(2)}x`,
      goals[i] ? `<= ${goals[i]}x` : '-',
      !goals[i] ? '' : r.ratio <= goals[i] ? 'ok' : 'MISSED',
    ]),
  );
} finally {
  demo.stop();
  big.stop();
  rmSync(work, { recursive: true, force: true });
}
