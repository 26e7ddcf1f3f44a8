// Which orders are old is told by the snapshot, and, where the snapshot's page
// came back short or empty, by each order's `createdAt` against the service's
// time at the snapshot. A service (or a gateway in front of it) may give
// `createdAt` in a format of its own: epoch seconds, a date without a zone.
// An order whose age cannot be read is then neither proven old nor new: a key
// it delivered last week, refunded and restocked today, absent because the
// service did not store it, must not count as "stored, then sold during this
// run" (lost), nor may the keys of a sale of this run be sent again.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { expectExactlyOnce, readBody, readUnsent, restockSummary, shop } from './e2e.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/**
 * Orders' `createdAt` rewritten by `format`; the first unfiltered orders page
 * answered empty; the first stock add gets a 503 unseen by the service.
 */
async function proxy(upstream: string, format: (iso: string) => unknown) {
  const up = new URL(upstream);
  let ordersPages = 0;
  let stockAdds = 0;
  const server = createServer(async (req, res) => {
    const data = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname.endsWith('/stock') && stockAdds++ === 0) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"busy"}');
      return;
    }
    const headers = { ...req.headers, host: up.host, 'content-length': String(data.length) };
    const r = httpRequest(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers },
      async (ans) => {
        let out = await readBody(ans);
        if (req.method === 'GET' && url.pathname.endsWith('/orders')) {
          const unfiltered = !url.searchParams.has('status');
          const list = JSON.parse(out.toString()) as Array<{ createdAt: string }>;
          const shown = unfiltered && ordersPages++ === 0 ? [] : list;
          out = Buffer.from(
            JSON.stringify(shown.map((o) => ({ ...o, createdAt: format(o.createdAt) }))),
          );
        }
        const date = ans.headers.date;
        res.writeHead(ans.statusCode ?? 502, {
          'content-type': 'application/json',
          ...(date ? { date } : {}),
        });
        res.end(out);
      },
    );
    r.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const p = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${up.pathname}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  open.push(p);
  return p;
}

async function refundedKey(
  format: (iso: string) => unknown,
  { hoursAgo = 7 * 24, tz }: { hoursAgo?: number; tz?: string } = {},
) {
  const s = await shop();
  open.push(s);
  const w = s.warehouse({ removeDuplicates: true, removeSold: true });
  const p = s.product(w);
  const store = s.sandbox.store;
  const pool = () => store.warehouse(w).pool;
  // Earlier (last week, by default): REFUNDED-1 sold (then refunded).
  store.addStock(pool(), 'REFUNDED-1', true);
  store.purchase(p, 1, 'early@example.com', new Date(Date.now() - hoursAgo * 3_600_000));

  const input = ['REFUNDED-1', 'NEW-1', 'NEW-2'];
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentPath = join(s.dir, 'unsent.txt');
  const { url } = await proxy(s.sandbox.url, format);
  const r = await runBin(
    ['warehouses', 'restock', w, file, '--unsent-file', unsentPath, '--json'],
    {
      env: {
        ...s.env,
        ASTROSELL_BASE_URL: url,
        ASTROSELL_MAX_RETRIES: '0',
        ...(tz ? { TZ: tz } : {}),
      },
    },
  );
  const sum = restockSummary(r);
  const unsent = readUnsent(unsentPath);
  const uncertain = readUnsent(`${unsentPath}.uncertain`);
  expectExactlyOnce(input, s.items(w), unsent, [], uncertain);
  expect(sum.soldDuringReconcile, r.stderr).toBe(0);
}

it('orders dated in epoch seconds: an old sale is not taken as a sale of this run', async () => {
  await refundedKey((iso) => Math.floor(Date.parse(iso) / 1000));
});

it('orders dated as text no date parser reads: an old sale is not taken as a sale of this run', async () => {
  await refundedKey((iso) => String(Math.floor(Date.parse(iso) / 1000)));
});

// Without a zone, a date reads as the machine's local time: twelve hours west
// of the service, a sale made two hours before the run reads as ten hours after it.
it('orders dated without a zone, read on a machine west of the service: an old sale is not taken as a sale of this run', async () => {
  await refundedKey((iso) => iso.replace(/Z$/, ''), { hoursAgo: 2, tz: 'Etc/GMT+12' });
});
