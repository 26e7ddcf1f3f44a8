// Preloaded (`node --import ./bench/rusage.mjs …`) into both processes a
// benchmark compares: at exit, writes the process's CPU time and peak RSS to
// the file named by BENCH_RUSAGE, so whole processes are measured alike.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({ cpuUs: r.userCPUTime + r.systemCPUTime, maxRssKiB: r.maxRSS }),
    );
  });
}
