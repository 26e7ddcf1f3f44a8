// The restock promise under randomised faults (see sim.ts). SIM_SEEDS=N runs
// more seeds (npm run soak -- --seeds N); SIM_SEED=K replays one.
import { describe, expect, it } from 'vitest';
import { runSeed, type SeedResult } from './sim.js';

const one = process.env.SIM_SEED;
const count = Number(process.env.SIM_SEEDS ?? 300);
const first = Number(process.env.SIM_FIRST ?? 1);
const seeds = one ? [Number(one)] : Array.from({ length: count }, (_, i) => first + i);
const PARALLEL = 20;

describe('restock under randomised faults', () => {
  it(`holds the promise for ${seeds.length} seeds`, async () => {
    const failed: SeedResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) {
        const r = await runSeed(seeds[next++]!);
        if (r.problems.length) failed.push(r);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const report = failed
      .slice(0, 5)
      .map(
        (r) => `seed ${r.seed} (${r.drawn})\n  ${r.problems.join('\n  ')}\n  replay: ${r.replay}`,
      )
      .join('\n\n');
    expect(
      failed.length,
      `${failed.length} of ${seeds.length} seeds broke the promise\n\n${report}`,
    ).toBe(0);
  }, 600_000);
});
