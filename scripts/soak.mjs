#!/usr/bin/env node
// `npm run soak -- --seeds N [--first K]`: the restock fault simulation
// (test/restock/fault-sim.test.ts) over N seeds from K, for long runs; a
// failing seed prints the command that replays it.
import { spawnSync } from 'node:child_process';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seeds = arg('--seeds', '2000');
const first = arg('--first', '1');
const r = spawnSync('npx', ['vitest', 'run', 'test/restock/fault-sim.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SIM_SEEDS: seeds, SIM_FIRST: first },
});
process.exitCode = r.status ?? 1;
