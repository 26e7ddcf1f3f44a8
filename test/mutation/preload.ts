// Setup of a mutation run (vitest.stryker.config.ts): loads the command tree's
// declarations (each noun's verbs, flags and help text, built when
// src/program.ts loads) before any test, as the CLI itself does at start-up.
// Loaded lazily inside a test instead, they would run once per run, before a
// mutant is switched on, and every mutant there would "survive" unjudged;
// loaded here, Stryker sees them for what they are, static code, and leaves
// them out of the score. The help snapshot and the command specs check them.
await import('../../src/program.js');
