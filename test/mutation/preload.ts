// Setup of a mutation run (vitest.stryker.config.ts): loads the declarations
// the CLI builds when its modules load, before any test: the command tree
// (each noun's verbs, flags and help text, from src/program.ts) and the
// records (each one's fields, checks and columns). Loaded lazily inside a
// test instead, they would be built once per run, before a mutant is switched
// on, and every mutant there would "survive" unjudged; loaded here, Stryker
// sees them for what they are, static code, and leaves them out of the score.
// What they declare is checked by the help snapshot and the command specs;
// the functions inside them (formats, checks) run in tests and are judged.
await import('../../src/program.js');
await import('../../src/records/coupon.js');
await import('../../src/records/diff.js');
await import('../../src/records/horizon.js');
await import('../../src/records/key-status.js');
await import('../../src/records/low.js');
await import('../../src/records/order.js');
await import('../../src/records/product.js');
await import('../../src/records/profile.js');
await import('../../src/records/restock.js');
await import('../../src/records/stock.js');
await import('../../src/records/warehouse.js');
