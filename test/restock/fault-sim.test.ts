// The restock promise under randomised faults (see sim.ts). SIM_SEEDS=N runs
// more seeds (npm run soak -- --seeds N); SIM_SEED=K replays one; SIM_SHOW=N prints up to N failing seeds; SIM_REPORT=PATH
// writes every seed's verdict as JSON (the soak script reads it).
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSeed, type SeedResult } from './sim.js';

const one = process.env.SIM_SEED;
const count = Number(process.env.SIM_SEEDS ?? 300);
const first = Number(process.env.SIM_FIRST ?? 1);
/**
 * Seeds past the first 300 that a soak found failing (each listed a serial as
 * uncertain that a resumed run could know: fixed by the journal keeping the
 * sales its pool size reflects, the positions known not stored and those the
 * last request carried, and a resume starting from the pool's size read
 * anew): they run every time.
 */
const FOUND = [309, 385, 643, 893, 1021, 1225, 1463, 1699];
const range = Array.from({ length: count }, (_, i) => first + i);
const seeds = one ? [Number(one)] : [...new Set([...range, ...FOUND])];
const PARALLEL = Number(process.env.SIM_PARALLEL ?? 20);

describe('restock under randomised faults', () => {
  it(`holds the promise for ${seeds.length} seeds`, async () => {
    const results: SeedResult[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) results.push(await runSeed(seeds[next++]!));
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    results.sort((a, b) => a.seed - b.seed);
    // Replaying one seed: what it drew and what the proxy saw, pass or fail.
    if (one) console.log(`seed ${one}: ${results[0]?.drawn}\n${results[0]?.timeline}`);
    const failed = results.filter((r) => r.problems.length);
    if (process.env.SIM_REPORT) {
      writeFileSync(
        process.env.SIM_REPORT,
        JSON.stringify({ seeds: seeds.length, ms: Date.now() - started, results }, null, 1),
      );
    }
    const report = failed
      .slice(0, Number(process.env.SIM_SHOW ?? 5))
      .map(
        (r) => `seed ${r.seed} (${r.drawn})\n  ${r.problems.join('\n  ')}\n  replay: ${r.replay}`,
      )
      .join('\n\n');
    expect(
      failed.length,
      `${failed.length} of ${seeds.length} seeds broke the promise: ${failed.map((r) => r.seed).join(' ')}\n\n${report}`,
    ).toBe(0);
  }, 3_600_000);
});
