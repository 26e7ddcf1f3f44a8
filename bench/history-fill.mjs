#!/usr/bin/env node
// Fills an order history with N orders by the project's own code: the
// sandbox's demo shop and its `--history` seeding make the orders, and the
// history's own upsert (src/history) stores them as a sync would, in one
// transaction. For measuring `stats` and `orders list --history` on a
// history larger than syncs against a sandbox can build quickly.
//   node bench/history-fill.mjs FILE [N=100000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { sqliteWasm } from '../scripts/sqlite-wasm.mjs';

const [file, n = '100000'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/history-fill.mjs FILE [N]');
  process.exit(2);
}
const root = resolve(new URL('..', import.meta.url).pathname);
const work = mkdtempSync(join(tmpdir(), 'astrosell-fill-'));
const entry = join(work, 'fill.ts');
writeFileSync(
  entry,
  `import { History } from ${JSON.stringify(join(root, 'src/history/db.ts'))};
import { rowOf } from ${JSON.stringify(join(root, 'src/history/sync.ts'))};
import { Store } from ${JSON.stringify(join(root, 'src/sandbox/store.ts'))};
import { seedDemo } from ${JSON.stringify(join(root, 'src/sandbox/seed.ts'))};
import { seedHistory } from ${JSON.stringify(join(root, 'src/sandbox/history.ts'))};
import { orderJson } from ${JSON.stringify(join(root, 'src/sandbox/views.ts'))};
import { systemClock } from ${JSON.stringify(join(root, 'src/clock.ts'))};
export async function fill(file: string, n: number) {
  const store = new Store({ maxLines: 1e5, maxPool: 5e6 });
  seedDemo(store);
  seedHistory(store, n, Date.now());
  const h = await History.open(file, { create: true, label: 'fill', clock: systemClock });
  try {
    const now = Date.now();
    const rows = [...store.orders.values()].map((o) => rowOf(orderJson(o)));
    const r = h.transaction(() => h.upsert(rows, now));
    return { ...r, total: h.count() };
  } finally {
    h.close();
  }
}
`,
);
const out = join(work, 'fill.mjs');
await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  plugins: [sqliteWasm],
  absWorkingDir: root,
  nodePaths: [join(root, 'node_modules')],
  banner: {
    js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);",
  },
  logLevel: 'warning',
});
const t = performance.now();
const { fill } = await import(pathToFileURL(out).href);
const r = await fill(resolve(file), Number(n));
console.log(
  `${r.added} orders stored in ${Math.round(performance.now() - t)} ms; ${r.total} in ${file}`,
);
rmSync(work, { recursive: true, force: true });
