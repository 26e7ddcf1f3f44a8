#!/usr/bin/env node
// `npm run bench`: every benchmark script, one after the other (they share
// two cores, so never in parallel). Each compares against its own baseline
// measured in the same run and prints ratios.
//   npm run bench               all of them
//   npm run bench -- --big      restock also 10M lines into a capped pool (minutes)
import { spawnSync } from 'node:child_process';

const big = process.argv.includes('--big');
const scripts = [
  ['startup.mjs', []],
  ['sandbox-stock.mjs', []],
  ['restock.mjs', big ? ['--big'] : []],
];
let failed = 0;
for (const [script, args] of scripts) {
  console.log(`\n=== bench/${script} ${args.join(' ')}`.trimEnd());
  const r = spawnSync(process.execPath, [new URL(script, import.meta.url).pathname, ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${script} exited ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
