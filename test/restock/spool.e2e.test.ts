import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import {
  expectExactlyOnce,
  readUnsent,
  restockSummary,
  type Shop,
  serials,
  shop,
  startStdinRestock,
} from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('stdin spool', () => {
  it('a spool left by a killed run is removed by the next stdin restock; a live run keeps its own', async () => {
    const s = await shop({ faults: { seed: 6, latencyMs: 20 } });
    open.push(s);
    const w = s.warehouse({ removeDuplicates: true });
    const input = serials(2000, 'SPL');
    const text = input.join('\n');
    const args = ['warehouses', 'restock', w, '--batch-size', '40'];
    const { child, exited } = await startStdinRestock(s, w, args, text);
    child.kill('SIGKILL');
    await exited;
    const dir = join(s.env.ASTROSELL_CONFIG_DIR!, 'restock');
    const spools = () => readdirSync(dir).filter((n) => n.endsWith('.spool'));
    expect(spools()).toHaveLength(1);
    // A spool of a process still running (this test's) is left alone.
    const live = `stdin-${process.pid}-0badf00d.spool`;
    writeFileSync(join(dir, live), 'X\n');

    s.sandbox.setFaults({ latencyMs: 0 });
    const r = await runMain([...args, '--resume', '--json'], { env: s.env, input: text });
    // The killed run's last request may never have reached the service, or may land later:
    // its serials not found are uncertain (at most one batch), never resent.
    expect([0, 7], r.stderr).toContain(r.code);
    const sum = restockSummary(r);
    expect(sum).toMatchObject({ resumed: true, lines: input.length, unsent: 0 });
    expect(sum.uncertain).toBeLessThanOrEqual(40);
    expectExactlyOnce(input, s.items(w), [], [], readUnsent(sum.uncertainFile as string | null));
    expect(spools()).toEqual([live]);
  }, 30_000);
});
