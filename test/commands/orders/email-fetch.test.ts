// `orders list --email` fetches each remaining order by id, four at a time:
// never more at once (the service's rate limit), and not one by one.
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterAll(() => closeAll());

describe('orders list --email', () => {
  it('holds at most four order fetches open at once, and does reach four', async () => {
    const orders = Array.from({ length: 7 }, (_, i) => ({
      invoiceId: `AS-${i}`,
      status: 'completed',
      createdAt: '2026-06-01T00:00:00.000Z',
    }));
    let open = 0;
    let most = 0;
    let held: Array<() => void> = [];
    let releasing = false;
    const release = () => {
      releasing = true;
      for (const answer of held) answer();
      held = [];
    };
    // Fallback, should fewer than four ever be open together.
    const fallback = setTimeout(release, 3000);
    const svc = await fakeService((req, res) => {
      const send = (body: unknown) => sendJson(res, 200, body);
      if (req.url?.startsWith('/api/v1/orders?')) return send(orders);
      const id = decodeURIComponent(req.url?.split('/').pop() ?? '');
      open++;
      most = Math.max(most, open);
      const answer = () => {
        open--;
        send({ ...orders.find((o) => o.invoiceId === id), customerEmail: `${id}@example.com` });
      };
      if (releasing) return answer();
      held.push(answer);
      // Four open: give any fifth a moment to arrive, then answer them all.
      if (held.length === 4) setTimeout(release, 150);
    });
    const r = await runMain(
      ['orders', 'list', '--email', 'as-5@example.com', '--fields', 'invoiceId'],
      {
        env: serviceEnv(svc),
      },
    );
    clearTimeout(fallback);
    expect(r).toEqual({ code: 0, stdout: 'AS-5\n', stderr: '' });
    expect(most).toBe(4);
    expect(svc.requests.filter((q) => /\/orders\/AS-/.test(q.url))).toHaveLength(7);
  });
});
