// A front of the tests' own before a sandbox: every request passes through,
// and each page of GET /orders comes back with foreign entries put before
// the service's orders (what the sandbox itself never sends: null, a number,
// an order without its invoiceId). Records each request it forwarded.
import { type FakeService, fakeService } from './fake-service.js';
import type { TestShop } from './sandbox.js';

export async function ordersFront(shop: TestShop, foreign: unknown[]): Promise<FakeService> {
  const origin = new URL(shop.sandbox.url).origin;
  return fakeService((req, res, body) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) {
        headers[k] = v;
      }
    }
    const method = req.method ?? 'GET';
    fetch(`${origin}${req.url}`, { method, headers, body: body === '' ? undefined : body })
      .then(async (answer) => {
        let text = await answer.text();
        const page = method === 'GET' && /\/orders(\?|$)/.test(req.url ?? '');
        if (page && answer.ok) text = JSON.stringify([...foreign, ...JSON.parse(text)]);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(text);
      })
      .catch(() => res.destroy());
  });
}
