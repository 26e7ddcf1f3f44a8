// `products create --stock-file` with a seed too large for the create body:
// the product is created, then its restock fails; the error names the new
// product and what to do next (src/commands/seed.ts). And an empty seed file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hurriedClock, runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

/** A service that creates product p9, and answers its stock adds with `adds` in turn. */
async function service(adds: Array<[number, unknown]>) {
  const svc = await fakeService((req, res, body) => {
    if (req.method === 'POST' && req.url === '/api/v1/products')
      return sendJson(res, 201, { id: 'p9', ...JSON.parse(body), stock: 0 });
    if (req.method === 'GET' && req.url === '/api/v1/warehouses') return sendJson(res, 200, []);
    if (req.method === 'GET' && req.url?.startsWith('/api/v1/orders'))
      return sendJson(res, 200, []);
    if (req.method === 'GET' && req.url === '/api/v1/products')
      return sendJson(res, 200, [{ id: 'p9', title: 'Big', type: 'serials', stock: 0 }]);
    if (req.method === 'POST' && req.url === '/api/v1/products/p9/stock') {
      const [status, answer] = adds.shift() ?? [500, { error: 'no more' }];
      return sendJson(res, status, answer);
    }
    sendJson(res, 404, { error: `no such route ${req.method} ${req.url}` });
  });
  return {
    ...serviceEnv(svc),
    ASTROSELL_CONFIG_DIR: join(dir.dir, 'cfg'),
    ASTROSELL_MAX_RETRIES: '0',
  };
}

function seed(name: string, count: number): string {
  const f = join(dir.dir, name);
  writeFileSync(f, `${Array.from({ length: count }, (_, i) => `P${i}`).join('\n')}\n`);
  return f;
}

const create = (f: string, env: Record<string, string>) =>
  runMain(['products', 'create', '--title', 'Big', '--price', '1', '--stock-file', f], {
    env,
    clock: hurriedClock,
  });

describe('products create, a large seed whose restock fails', () => {
  it('refused before anything was stored: the refusal exit code, and the command that continues', async () => {
    const f = seed('refused.txt', 1001);
    const r = await create(f, await service([[404, { error: 'Product not found' }]]));
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /\nerror: product p9 was created, but Product not found; nothing was stored; 1,001 serials were not stored .*\nhint: continue with: astrosell products restock p9 \S+refused\.txt --resume\n$/,
    );
  });

  it('refused after some were stored: exit 7, the unsent serials can be restocked later', async () => {
    const f = seed('partial.txt', 1500);
    const r = await create(
      f,
      await service([
        [200, { added: 1000, total: 1000, truncated: false, capped: false }],
        [400, { error: 'Bad serials' }],
      ]),
    );
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /\nerror: product p9 was created, but 500 serials were not stored .*\nhint: the unsent serials can be restocked later; settle the uncertain ones with warehouses diff first\n$/,
    );
  });

  it('an empty seed file: nothing is sent', async () => {
    const f = join(dir.dir, 'empty.txt');
    writeFileSync(f, '');
    const r = await create(f, await service([]));
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --stock-file ${f} holds no serials\n`,
    });
  });
});
