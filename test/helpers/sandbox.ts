// Start a sandbox on a free loopback port for a test file, and the env that
// points the CLI at it.
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { tempDir } from './cli.js';

export interface TestShop {
  sandbox: Sandbox;
  key: string;
  /** Env for runBin/runTerminal: base URL, key and a private config folder. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestShop(options: SandboxOptions = {}): Promise<TestShop> {
  const key = `nsk_test_${Math.random().toString(16).slice(2).padEnd(16, '0')}`;
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, keys: [key], ...options });
  const cfg = tempDir();
  return {
    sandbox,
    key,
    env: {
      ASTROSELL_BASE_URL: sandbox.url,
      ASTROSELL_API_KEY: key,
      ASTROSELL_CONFIG_DIR: cfg.dir,
    },
    async close() {
      await sandbox.close();
      cfg.cleanup();
    },
  };
}

/**
 * `n` purchases, one after another, of a product that never runs out (a
 * file or dynamic one): `n` new orders. Their invoice ids, in order.
 */
export function buyOrders(shop: TestShop, n: number): string[] {
  const s = shop.sandbox.store;
  const product = [...s.products.values()].find((p) => p.type === 'dynamic' || p.type === 'file');
  return Array.from(
    { length: n },
    (_, i) => s.purchase(product!.id, 1, `b${i}@example.com`).invoiceId,
  );
}
