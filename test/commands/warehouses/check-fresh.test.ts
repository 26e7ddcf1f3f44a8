// `warehouses check`: the csv view built when check.ts loads (read from a
// copy loaded inside the test, run with a context of the test's own), and
// the table's shrinking name column on a narrow terminal.
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/cli.js';
import { systemClock } from '../../../src/clock.js';
import { cleanEnv, runMain } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';
import { freshImport } from '../../helpers/fresh.js';
import { Tty } from '../../helpers/typing.js';

afterEach(closeAll);

type Check = typeof import('../../../src/commands/warehouses/check.js');

async function service(warehouses: unknown[], products: unknown[] = []) {
  const svc = await fakeService((req, res) => {
    if (req.url === '/api/v1/warehouses') sendJson(res, 200, warehouses);
    else if (req.url === '/api/v1/products') sendJson(res, 200, products);
    else sendJson(res, 404, { error: 'no such route' });
  });
  return serviceEnv(svc);
}

describe('warehouses check', () => {
  it('csv: the low pools and products under the documented columns', async () => {
    const env = await service(
      [{ id: 'wh_1', name: 'Low', count: 1, lowStockThreshold: 5 }],
      [{ id: 'prod_1', title: 'Few', stock: 2, type: 'serials', warehouseId: 'wh_1' }],
    );
    const { run } = await freshImport<Check>(
      import.meta.url,
      '../../../src/commands/warehouses/check.js',
    );
    const stdout = new Tty();
    const stderr = new Tty();
    const stdin = new PassThrough();
    const ctx = createContext(new Command(), {
      stdin,
      stdout,
      stderr,
      env: cleanEnv(env),
      clock: systemClock,
      signal: new AbortController().signal,
    });
    try {
      expect(await run(ctx, { format: 'csv', min: 3 })).toBe(8);
    } finally {
      await ctx.close();
    }
    expect(stdout.text).toBe(
      'kind,id,name,count,threshold\r\nwarehouse,wh_1,Low,1,5\r\nproduct,prod_1,Few,2,3\r\n',
    );
  });

  it('nothing low: nothing on stdout, on a terminal too', async () => {
    const env = await service([{ id: 'wh_1', name: 'Fine', count: 9, lowStockThreshold: 5 }]);
    const r = await runMain(['warehouses', 'check', '--min', '0'], {
      env,
      tty: { stdout: true },
    });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('a narrow terminal: the name is cut to fit, with and without --min', async () => {
    const env = {
      ...(await service([
        { id: 'wh_1', name: 'A warehouse with a rather long name', count: 1, lowStockThreshold: 5 },
      ])),
      NO_COLOR: '1',
    };
    const opts = { env, tty: { stdout: true }, columns: 40 };
    const pools = await runMain(['warehouses', 'check'], opts);
    const both = await runMain(['warehouses', 'check', '--min', '0'], opts);
    expect([pools.code, both.code]).toEqual([8, 8]);
    expect(pools.stdout).toBe(
      'ID    NAME                 COUNT  LOW AT\nwh_1  A warehouse with a…      1       5\n',
    );
    expect(both.stdout).toBe(
      'KIND       ID    NAME      COUNT  LOW AT\nwarehouse  wh_1  A wareh…      1       5\n',
    );
  });
});
