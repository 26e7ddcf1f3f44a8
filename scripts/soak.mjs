#!/usr/bin/env node
// `npm run soak -- --seeds N [--first K] [--repeat R] [--busy [--busy-procs P]]`:
// the restock fault simulation (test/restock/fault-sim.test.ts) over N seeds
// from K, R times, printing the failing seeds of each run, then whether the
// verdicts changed between runs. --busy keeps every core busy meanwhile
// (P spinning processes, default one per core, each bounded in time and
// killed at the end), so a reader can see the verdicts do not depend on load.
// A failing seed replays with SIM_SEED=K npx vitest run test/restock/fault-sim.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const flag = (name) => process.argv.includes(name);
const seeds = Number(arg('--seeds', '2000'));
const first = arg('--first', '1');
const repeat = Math.max(1, Number(arg('--repeat', '1')));
const busy = flag('--busy');
const busyProcs = Number(arg('--busy-procs', String(availableParallelism())));
// A spinner stops by itself after this, even if this script is killed first.
const busyLimitS = Number(arg('--busy-limit', String(Math.max(600, seeds * 2 * repeat))));

const spinners = [];
const stopSpinners = () => {
  for (const p of spinners.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill();
};
if (busy) {
  const code = `const end = Date.now() + ${busyLimitS * 1000}; let x = 0; while (Date.now() < end) x = (x * 31 + 7) % 1000003;`;
  for (let i = 0; i < busyProcs; i++) {
    spinners.push(spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
  }
  console.log(
    `soak: ${busyProcs} busy-loop processes (pids ${spinners.map((p) => p.pid).join(' ')}), at most ${busyLimitS}s each`,
  );
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopSpinners();
    process.exit(130);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'astrosell-soak-'));
const runs = [];
let status = 0;
try {
  for (let i = 1; i <= repeat; i++) {
    const report = join(dir, `run-${i}.json`);
    const started = Date.now();
    const r = spawnSync('npx', ['vitest', 'run', 'test/restock/fault-sim.test.ts'], {
      stdio: repeat > 1 ? 'ignore' : 'inherit',
      env: { ...process.env, SIM_SEEDS: String(seeds), SIM_FIRST: first, SIM_REPORT: report },
    });
    status ||= r.status ?? 1;
    let results = [];
    try {
      results = JSON.parse(readFileSync(report, 'utf8')).results;
    } catch {
      console.log(`soak: run ${i}: no report (vitest exit ${r.status})`);
    }
    const failing = results.filter((x) => x.problems.length).map((x) => x.seed);
    const load = results.filter((x) => x.load).map((x) => x.seed);
    runs.push({ failing, load });
    const s = Math.round((Date.now() - started) / 1000);
    console.log(
      `soak: run ${i}/${repeat}${busy ? ' (busy)' : ''}: ${results.length} seeds in ${s}s, ${failing.length} failing: ${failing.join(' ') || '-'}`,
    );
    if (i === 1 && results.length) {
      const kinds = new Map();
      for (const x of results) for (const k of x.kinds) kinds.set(k, (kinds.get(k) ?? 0) + 1);
      const list = [...kinds].sort((a, b) => a[0].localeCompare(b[0]));
      console.log(`soak:   seeds per fault kind: ${list.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }
    if (load.length) {
      console.log(`soak:   unplanned timeouts (uncertain rule off) in seeds ${load.join(' ')}`);
    }
  }
} finally {
  stopSpinners();
  rmSync(dir, { recursive: true, force: true });
}
if (runs.length > 1) {
  const key = (r) => r.failing.join(' ');
  const same = runs.every((r) => key(r) === key(runs[0]));
  if (same)
    console.log(
      `soak: the same ${runs[0].failing.length} failing seeds in all ${runs.length} runs`,
    );
  else {
    const all = new Set(runs.flatMap((r) => r.failing));
    const varying = [...all].filter((s) => !runs.every((r) => r.failing.includes(s)));
    console.log(
      `soak: verdicts changed between runs for seeds ${varying.sort((a, b) => a - b).join(' ')}`,
    );
    status ||= 1;
  }
}
process.exitCode = status;
