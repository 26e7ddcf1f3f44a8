// A connection that fails with "unreachable" or "refused" after the stock
// add went out (an ICMP message, a firewall's reject) does not prove the add
// was not processed. The restock must not send it again on that word: it
// reads the pool back. Once such a batch was stored twice (exit 0), and when
// every try failed so it was listed as unsent although stored, and a
// --resume sent it once more.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';
import { expectExactlyOnce, readUnsent, type Shop, serials, shop } from './e2e.js';

const PRELOAD = join(ROOT, 'test', 'helpers', 'unreachable-after-send.cjs');

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function restock(at: string, code = 'EHOSTUNREACH') {
  const s = await shop();
  open.push(s);
  // A pool that keeps duplicates: a batch sent twice is stored twice.
  const w = s.warehouse({ removeDuplicates: false, removeSold: false });
  const input = serials(2_000, `U${code}`);
  const file = s.file('in.txt', `${input.join('\n')}\n`);
  const unsentFile = join(s.dir, 'unsent.txt');
  const args = ['warehouses', 'restock', w, file, '--batch-size', '200'];
  const env = {
    ...s.env,
    NODE_OPTIONS: `--require ${PRELOAD}`,
    UNREACHABLE_AT: at,
    UNREACHABLE_CODE: code,
  };
  const r = await runBin([...args, '--unsent-file', unsentFile], { env, timeoutMs: 60_000 });
  return { s, w, input, r, unsentFile, args, env };
}

describe('a connection failing after the stock add went out', () => {
  for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED']) {
    it(`${code} on one add: read back, each serial stored once, exit 0`, async () => {
      const { s, w, input, r, unsentFile } = await restock('3', code);
      expect(r.code).toBe(0);
      expect(s.items(w)).toHaveLength(input.length);
      expectExactlyOnce(input, s.items(w), readUnsent(unsentFile));
    });
  }

  it('on every add from the third on: never stored twice, nothing listed unsent that is stored', async () => {
    const { s, w, input, r, unsentFile } = await restock('3+');
    const pool = s.items(w);
    // Each add was processed; the read-backs show it, so no batch is resent.
    expect(pool).toHaveLength(input.length);
    expectExactlyOnce(input, pool, readUnsent(unsentFile));
    expect(r.code).toBe(0);
  });
});
