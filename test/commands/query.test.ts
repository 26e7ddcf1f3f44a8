// --query: CI picks fields from any command's JSON without jq, as with
// `aws --query`. It implies JSON, prints the expression's result as JSON,
// applies to each record with --format ndjson, and a bad expression is exit 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { runners } from '../cli/guard.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
const { piped, tty } = runners(() => [shop.key]);
const env = () => shop.env;

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

/** The products as --json prints them (the service's objects). */
async function products(): Promise<Array<{ id: string; title: string }>> {
  return JSON.parse((await piped(['products', 'list', '--json'], { env: env() })).stdout);
}
const titles = async () => (await products()).map((p) => p.title);

describe('--query', () => {
  it('picks a field from every record of a list, piped, without --json', async () => {
    const r = await piped(['products', 'list', '--query', '[].title'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await titles());
  });

  it('filters and counts, as CI does', async () => {
    const all = await piped(['orders', 'list', '--json'], { env: env() });
    const completed = (JSON.parse(all.stdout) as Array<{ status: string }>).filter(
      (o) => o.status === 'completed',
    ).length;
    const r = await piped(['orders', 'list', '--query', "length([?status=='completed'])"], {
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${completed}\n`);
  });

  it('on one record, and on a terminal too: the result as JSON', async () => {
    const id = DEMO.products.netflix1m;
    const want = (await products()).find((p) => p.id === id)!.title;
    for (const run of [piped, tty]) {
      const r = await run(['products', 'get', id, '--query', 'title'], { env: env() });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toBe(want);
    }
  });

  it('applies to each record with --format ndjson: one result a line', async () => {
    const r = await piped(['products', 'list', '--format', 'ndjson', '--query', 'title'], {
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(await titles());
  });

  it("applies to the CLI's own result objects (warehouses check)", async () => {
    const r = await piped(['warehouses', 'check', '--query', 'keys(@)'], { env: env() });
    expect([0, 8]).toContain(r.code);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });

  it('an expression that does not parse is exit 2, one line naming it, before any request', async () => {
    const r = await piped(['products', 'list', '--query', '[?title=='], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --query "\[\?title==": /);
  });

  it('with another --format than json or ndjson is exit 2', async () => {
    const r = await piped(['products', 'list', '--format', 'csv', '--query', '[].id'], {
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --query and --format csv ask for different output/);
  });
});
