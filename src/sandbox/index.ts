// The AstroSell sandbox: a local server that behaves like the real API, for
// newcomers, offline CI and our integration tests. See README.md here.
export {
  DEFAULT_SANDBOX_PORT,
  parseRateLimit,
  runSandboxCommand,
  type SandboxCommandOptions,
  type SandboxIO,
} from './command.js';
export type { Faults, RateLimit } from './gate.js';
export { parseStock, SerialPool } from './pool.js';
export { DEMO } from './seed.js';
export {
  DEFAULT_LIMITS,
  SANDBOX_KEY,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from './start.js';
export type { Coupon, Limits, Order, Product, StockAddResult, Store, Warehouse } from './store.js';
