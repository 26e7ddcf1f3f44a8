// Does a stock add cost in proportion to its batch, not to the pool?
// 100 batches of 10,000 unique serials go over HTTP into one warehouse (the
// pool grows to 1,000,000), then into a legacy product's inline pool. The
// median of the last ten batches should be about that of the first ten.
// Run: npm run build && node bench/sandbox-stock.mjs
import { performance } from 'node:perf_hooks';
import { DEMO, startSandbox } from '../dist/sandbox.js';

const BATCHES = 100;
const BATCH = 10_000;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function post(sb, path, body) {
  const headers = { authorization: `Bearer ${sb.keys[0]}`, 'content-type': 'application/json' };
  const res = await fetch(sb.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Times one batch of BATCH fresh serials; checks every one was stored. */
async function batch(sb, path, tag) {
  const lines = new Array(BATCH);
  for (let i = 0; i < BATCH; i++) lines[i] = `${tag}-${i}-XXXX-YYYY`;
  const body = { stock: lines.join('\n') };
  const t0 = performance.now();
  const { status, json } = await post(sb, path, body);
  const ms = performance.now() - t0;
  if (status !== 200 || json.added !== BATCH || json.truncated || json.capped) {
    throw new Error(`${tag}: ${status} ${JSON.stringify(json)}`);
  }
  return ms;
}

async function run(label, sb, path) {
  const times = [];
  for (let b = 0; b < BATCHES; b++) times.push(await batch(sb, path, `${label}-${b}`));
  const first10 = median(times.slice(0, 10));
  const last10 = median(times.slice(90, 100));
  // Control: with the heap as big as it is now, a batch into an empty pool.
  // If this is as slow as the last batches, the drift is GC, not the pool.
  const control = [];
  for (let b = 0; b < 10; b++) {
    const { json } = await post(sb, '/warehouses', { name: `control ${label} ${b}` });
    control.push(await batch(sb, `/warehouses/${json.id}/stock`, `control-${label}-${b}`));
  }
  return {
    pool: label,
    'batch 1 (ms)': times[0].toFixed(1),
    'median 1-10 (ms)': first10.toFixed(1),
    'median 91-100 (ms)': last10.toFixed(1),
    ratio: (last10 / first10).toFixed(2),
    'empty pool now (ms)': median(control).toFixed(1),
    'final size': (await sizeOf(sb, path)).toLocaleString('en-US'),
  };
}

async function sizeOf(sb, path) {
  const [, kind, id] = path.split('/');
  if (kind === 'warehouses') return sb.store.warehouses.get(id).pool.size;
  return sb.store.products.get(id).inline.size;
}

const started = performance.now();
const sb = await startSandbox({ maxLines: 10_000, maxPool: 2_000_000 });
try {
  // Warm the JIT on a scratch pool so batch 1 measures the pool, not the compiler.
  const scratch = (await post(sb, '/warehouses', { name: 'warm-up' })).json.id;
  for (let b = 0; b < 5; b++) await batch(sb, `/warehouses/${scratch}/stock`, `warm-${b}`);
  const { id } = (await post(sb, '/warehouses', { name: 'bench pool' })).json;
  const rows = [await run('warehouse', sb, `/warehouses/${id}/stock`)];
  rows.push(await run('legacy', sb, `/products/${DEMO.products.windowsLegacy}/stock`));
  console.table(rows);
  const worst = Math.max(...rows.map((r) => Number(r.ratio)));
  console.log(
    `${BATCHES} batches x ${BATCH} serials per pool; worst ratio ${worst.toFixed(2)} (goal <= 1.5); ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s total`,
  );
} finally {
  await sb.close();
}
