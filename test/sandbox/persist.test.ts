import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, SANDBOX_KEY, startSandbox } from '../../src/sandbox/index.js';
import { sandbox } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'astrosell-sandbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('dataFile', () => {
  it('keeps the shop across a restart, atomically, mode 0600', async () => {
    const file = join(dir, 'shop.json');
    const first = await sandbox({ dataFile: file });
    const w = await first.api('POST', '/warehouses', { name: 'Kept', stock: 'K1\nK2' });
    const sale = await first.api('POST', '/sandbox/purchase', { productId: DEMO.products.steam20 });
    await first.sb.close();

    expect(readdirSync(dir)).toEqual(['shop.json']);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await sandbox({ dataFile: file });
    expect((await second.api('GET', `/warehouses/${w.body.id}`)).body.items).toEqual(['K1', 'K2']);
    expect((await second.api('GET', `/orders/${sale.body.invoiceId}`)).body).toEqual(sale.body);
    const steam = (await second.api('GET', `/products/${DEMO.products.steam20}`)).body;
    expect(steam.stock).toBe(DEMO.counts.steam - 1);
    const legacy = (await second.api('GET', `/products/${DEMO.products.windowsLegacy}`)).body;
    expect(legacy.stockItems).toHaveLength(DEMO.counts.windowsLegacy);
  });

  it('saves in the background without waiting for close (debounced)', async () => {
    const file = join(dir, 'shop.json');
    const { api, sb } = await sandbox({ dataFile: file, empty: true });
    await api('POST', '/warehouses', { name: 'Soon' });
    // Waits for the save itself (no close, no flush), however busy the machine.
    await expect
      .poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 8000 })
      .toContain('"Soon"');
    await sb.close();
  });

  it('a shop saved with a key an earlier version made up still accepts it, beside the fixed one', async () => {
    const file = join(dir, 'shop.json');
    const first = await startSandbox({ dataFile: file, empty: true });
    expect(first.keys).toEqual([SANDBOX_KEY]);
    await first.close();
    // What an earlier version saved: its generated key with the shop.
    const old = 'nsk_test_0123456789abcdef0123456789abcdef';
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.keys).toBeUndefined(); // the fixed key is not written down
    writeFileSync(file, JSON.stringify({ ...saved, keys: [old] }));
    for (let start = 0; start < 2; start++) {
      const again = await startSandbox({ dataFile: file });
      expect(again.keys).toEqual([SANDBOX_KEY, old]);
      await again.close();
    }
  });

  it('refuses a corrupt file, naming it, and leaves it untouched', async () => {
    const file = join(dir, 'shop.json');
    writeFileSync(file, '{"version": 1, "products": [');
    await expect(startSandbox({ dataFile: file })).rejects.toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "products": [');
    writeFileSync(file, '{"something": "else"}');
    await expect(startSandbox({ dataFile: file })).rejects.toThrow(/corrupt/);
  });
});

describe('close', () => {
  it('ends keep-alive connections and stops listening', async () => {
    const { api, sb } = await sandbox();
    expect((await api('GET', '/coupons')).status).toBe(200);
    await sb.close();
    await expect(fetch(`${sb.url}/coupons`)).rejects.toThrow();
  });
});

describe('a data file that cannot be written', () => {
  it('fails the start, naming the file, instead of losing every change', async () => {
    const file = join(dir, 'missing', 'shop.json');
    await expect(startSandbox({ port: 0, dataFile: file })).rejects.toThrow(
      `cannot write sandbox data file ${file} (its folder does not exist)`,
    );
  });
});
