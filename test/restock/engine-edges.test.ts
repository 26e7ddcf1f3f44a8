// Small engine facts the larger restock tests do not pin: the duration in
// the JSON summary, the note when serials are typed on a terminal, and the
// progress label on a terminal's stderr.
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { type Shop, shop } from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function pool() {
  const s = await shop();
  open.push(s);
  return { s, id: s.warehouse() };
}

describe('restock engine edges', () => {
  it('reports how long the run took, in milliseconds, in the JSON summary', async () => {
    const { s, id } = await pool();
    const before = Date.now();
    const r = await runMain(['warehouses', 'restock', id, s.file('a.txt', 'A1\nA2\n'), '--json'], {
      env: s.env,
    });
    const took = Date.now() - before;
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { durationMs: number; added: number };
    expect(summary.added).toBe(2);
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary.durationMs).toBeLessThanOrEqual(took);
  });

  it('a dry run reports its duration too', async () => {
    const { s, id } = await pool();
    const before = Date.now();
    const r = await runMain(
      ['warehouses', 'restock', id, s.file('a.txt', 'D1\n'), '--dry-run', '--json'],
      { env: s.env },
    );
    const took = Date.now() - before;
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { durationMs: number; dryRun: boolean };
    expect(summary.dryRun).toBe(true);
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary.durationMs).toBeLessThanOrEqual(took);
  });

  it('tells a person typing serials on a terminal how to end them', async () => {
    const { s, id } = await pool();
    const r = await runMain(['warehouses', 'restock', id], {
      env: s.env,
      input: 'T1\nT2\n',
      tty: { stdin: true },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('reading serials from standard input (end with Ctrl-D)…\n');
    expect(s.items(id).sort()).toEqual(['T1', 'T2']);
  });

  it('does not say so when stdin is piped', async () => {
    const { s, id } = await pool();
    const r = await runMain(['warehouses', 'restock', id], { env: s.env, input: 'P1\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Ctrl-D');
  });

  it('labels the progress on a terminal with the pool restocked', async () => {
    const { s, id } = await pool();
    const r = await runMain(['warehouses', 'restock', id, s.file('a.txt', 'L1\n')], {
      env: s.env,
      tty: { stderr: true },
      columns: 120,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`restocking warehouse ${id}`);
  });
});
