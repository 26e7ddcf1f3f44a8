#!/usr/bin/env node
// `npm run bench`: every benchmark script, one after the other (they share
// two cores, so never in parallel). Each compares against its own baseline
// measured in the same run and prints ratios.
//   npm run bench               all of them (restock includes 10M lines: several minutes)
//   npm run bench -- --quick    restock at 1M lines only
import { spawnSync } from 'node:child_process';

const quick = process.argv.includes('--quick');
const scripts = [
  ['startup.mjs', []],
  ['sandbox-stock.mjs', []],
  ['restock.mjs', quick ? ['--quick'] : []],
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
