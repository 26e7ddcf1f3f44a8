// A large seed file whose restock fails after the pool was created: the
// error names the new pool and how to continue (src/commands/seed.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hurriedClock, runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService } from '../../helpers/fake-service.js';

const dir = tempDir();
afterAll(async () => {
  await closeAll();
  dir.cleanup();
});

describe('warehouses create --stock-file, the restock after creating fails', () => {
  it('names the created pool and the command that continues', async () => {
    let createBody = '';
    const svc = await fakeService((req, res, body) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/api/v1/warehouses') {
        createBody = body;
        res.writeHead(201);
        res.end(
          JSON.stringify({
            id: 'w9',
            name: 'Big',
            count: 0,
            removeDuplicates: true,
            removeSold: true,
          }),
        );
        return;
      }
      res.writeHead(404);
      res.end(JSON.stringify({ error: 'Warehouse not found' }));
    });
    const f = join(dir.dir, 'big.txt');
    writeFileSync(f, `${Array.from({ length: 1001 }, (_, i) => `B${i}`).join('\n')}\n`);
    const r = await runMain(['warehouses', 'create', '--name', 'Big', '--stock-file', f], {
      env: {
        ASTROSELL_BASE_URL: svc.url,
        ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
        ASTROSELL_CONFIG_DIR: join(dir.dir, 'cfg'),
      },
      clock: hurriedClock,
    });
    expect(r).toEqual({
      code: 4,
      stdout: '',
      stderr: `error: warehouse w9 was created, but Warehouse not found\nhint: continue with: astrosell warehouses restock w9 ${f} --resume\n`,
    });
    // More than one batch: the pool is created empty, the serials go through the restock.
    expect(svc.requests[0]).toMatchObject({ method: 'POST', url: '/api/v1/warehouses' });
    expect(JSON.parse(createBody)).toEqual({
      name: 'Big',
      removeDuplicates: true,
      removeSold: true,
    });
  });
});
