// The tests mutation testing runs (npm run mutate): those that execute src/
// in-process. Tests that only run the built bin, the packaging and start-up
// checks, and the sandbox's own tests cannot see a mutant in the folders
// Stryker mutates, so they are left out to keep a run within minutes. No
// global setup: Stryker runs from a copy of the project, and its dist/ is
// never rebuilt from mutated sources.
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Stryker stops a mutant's run at the first failing test, with one worker:
 * the file that failed last (it killed the previous mutant, nearby) and then
 * the quickest files go first. Vitest's own order runs the longest first.
 */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (f: TestSpecification) =>
      `${f.project.name}:${f.moduleId.slice(this.ctx.config.root.length + 1)}`;
    const state = (f: TestSpecification) => cache.getFileTestResults(key(f));
    const size = (f: TestSpecification) => cache.getFileStats(key(f))?.size ?? 0;
    return [...files].sort((a, b) => {
      const sa = state(a);
      const sb = state(b);
      if (sa?.failed !== sb?.failed) return sa?.failed ? -1 : 1;
      if (sa && sb) return sa.duration - sb.duration;
      return size(a) - size(b);
    });
  }
}

export default defineConfig({
  test: {
    // scripts/mutate.mjs names the folder it mutates (MUTATE_FOLDER): for
    // src/history, its own tests and the orders commands' (--history) only.
    include:
      process.env.MUTATE_FOLDER === 'history'
        ? ['test/history/**/*.test.ts', 'test/commands/orders/**/*.test.ts']
        : ['test/**/*.test.ts'],
    // The declarations built when modules load, loaded before the tests (see the file).
    setupFiles: ['test/mutation/preload.ts'],
    exclude: [
      ...configDefaults.exclude,
      // Real retry waits of seconds in every run (the policy they exercise
      // is also pinned, one answer at a time, by answers.e2e.test.ts).
      'test/restock/faults-mixed.e2e.test.ts',
      // Runs stopped as child processes (seconds each); the same resumes
      // run in-process in resume.test.ts.
      'test/restock/faults-resume.e2e.test.ts',
      'test/restock/resume-counts.e2e.test.ts',
      'test/restock/spool.e2e.test.ts',
      // Peak memory of the built CLI, and Ctrl-C through a real terminal.
      'test/restock/streaming.e2e.test.ts',
      'test/restock/ctrl-c-terminal.test.ts',
      'test/restock/lock-race.test.ts',
      // 300 seeds, 40 at a time, each with a 1 s request timeout: minutes per
      // mutant, and under the load of a mutation run its timeouts fire.
      'test/restock/fault-sim.test.ts',
      // 280,000 serials a run, twice: minutes per mutant, and under a mutation
      // run's load its requests time out. The hash reader it relies on is
      // specified in listed-keys.test.ts, the hold rule in settle-rules.test.ts.
      'test/restock/resume-holds-many-uncertain.e2e.test.ts',
      'test/cli/exit-codes.test.ts',
      'test/packaging/**',
      'test/perf/**',
      'test/sandbox/**',
      'test/setup/**',
      'test/layers.test.ts',
    ],
    // A mutant that makes a request hang should fail its test soon: the
    // slowest test here takes about 4 s (those that may take longer say so).
    testTimeout: 10_000,
    hookTimeout: 10_000,
    pool: 'forks',
    sequence: { sequencer: QuickFirst },
    // One module graph for all the test files a mutant needs: without this,
    // each file re-imports the CLI (hundreds of modules), which was most of
    // the time a mutant took. Safe because the mutant is switched at run time
    // (Stryker's global), and no test file here mocks a module or leaves
    // global state behind (lock-race, which mocks node:fs, is excluded).
    isolate: false,
  },
});
