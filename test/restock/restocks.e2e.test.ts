// `astrosell restocks list` and `abandon`: interrupted restocks (real runs of
// the built CLI stopped mid-way against a slow sandbox) are listed as a
// table, tab-separated and as JSON; abandoning one first completes its lists
// from the input, so every serial is stored or listed once the journal and
// the saved standard input are gone. A running restock cannot be abandoned.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin, runTerminal } from '../helpers/cli.js';
import {
  readUnsent,
  type Shop,
  serials,
  shop,
  slowTest,
  startRestock,
  untilStored,
} from './e2e.js';

const open: Shop[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

interface Listed {
  key: string;
  runningPid: number | null;
  target: { kind: string; id: string; baseUrl: string };
  inputs: string[];
  linesSettled: number;
  totalLines: number | null;
  unsent: { path: string; serials: number };
  uncertain: { path: string; serials: number };
  spool: string | null;
}

async function listed(s: Shop): Promise<Listed[]> {
  const r = await runBin(['restocks', 'list', '--json'], { env: s.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

function configFiles(s: Shop): string[] {
  return readdirSync(join(s.env.ASTROSELL_CONFIG_DIR!, 'restock'));
}

/** Every input serial stored or listed, none stored twice, none both stored and listed. */
function expectAllAccountedFor(input: string[], pool: string[], listedSerials: string[]): void {
  expect(pool.length, 'stored twice').toBe(new Set(pool).size);
  const inPool = new Set(pool);
  expect(
    listedSerials.filter((x) => inPool.has(x)),
    'listed and stored',
  ).toEqual([]);
  const all = new Set([...pool, ...listedSerials]);
  expect(
    input.filter((x) => !all.has(x)),
    'lost',
  ).toEqual([]);
}

describe('restocks list', () => {
  it(
    'shows an interrupted restock as a table, tab-separated and as JSON; nothing once it completes',
    async () => {
      const s = await shop({ faults: { latencyMs: 150 } });
      open.push(s);
      const w = s.warehouse();
      const input = serials(3000, 'LIST');
      const f = s.file('in.txt', `${input.join('\n')}\n`);
      const args = ['warehouses', 'restock', w, f, '--batch-size', '100'];
      const run = startRestock(s, args);
      await untilStored(s, w, 300);
      run.child.kill('SIGINT');
      expect((await run.done).code).toBe(130);

      const [one, ...more] = await listed(s);
      expect(more).toEqual([]);
      expect(one).toMatchObject({
        runningPid: null,
        target: { kind: 'warehouse', id: w, baseUrl: s.env.ASTROSELL_BASE_URL },
        inputs: [f],
        totalLines: input.length,
        spool: null,
      });
      expect(one!.linesSettled).toBe(s.items(w).length);
      // The stopped run listed every serial not yet sent.
      expect(one!.unsent.serials).toBe(input.length - one!.linesSettled);
      expect(readUnsent(one!.unsent.path)).toHaveLength(one!.unsent.serials);

      const piped = await runBin(['restocks', 'list'], { env: s.env });
      expect(piped.code).toBe(0);
      const row = piped.stdout.trimEnd().split('\n');
      expect(row).toHaveLength(1);
      const cells = row[0]!.split('\t');
      expect(cells.slice(0, 5)).toEqual([
        one!.key,
        'interrupted',
        `warehouse ${w}`,
        f,
        `${one!.linesSettled}/${input.length}`,
      ]);
      expect(cells).toContain(one!.unsent.path);

      const table = await runTerminal(['restocks', 'list'], { env: s.env, columns: 200 });
      expect(table.code).toBe(0);
      const [header, line] = stripVTControlCharacters(table.stdout).split('\n');
      expect(header).toMatch(/^KEY\s+STATE\s+TARGET\s+INPUT\s+SETTLED\s+UNSENT\s+UNCERTAIN/);
      expect(line).toContain(one!.key);
      expect(line).toContain(
        `${one!.linesSettled.toLocaleString('en-US')}/${input.length.toLocaleString('en-US')} lines`,
      );

      s.sandbox.setFaults({ latencyMs: 0 });
      expect((await runBin([...args, '--resume'], { env: s.env })).code).toBe(0);
      expect(await listed(s)).toEqual([]);
      const none = await runTerminal(['restocks', 'list'], { env: s.env });
      expect(none.stderr).toContain('No interrupted restocks.');
    },
    slowTest(30_000),
  );
});

describe('restocks abandon', () => {
  it(
    'a killed stdin restock: refused while it runs; then every serial not stored is listed before its journal and saved input go',
    async () => {
      // 30 requests of 150 ms: still running after a whole CLI run (the refused abandon), even under load.
      const s = await shop({ faults: { latencyMs: 150 } });
      open.push(s);
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(3000, 'GONE');
      const run = startRestock(
        s,
        ['warehouses', 'restock', w, '--batch-size', '100'],
        `${input.join('\n')}\n`,
      );
      await untilStored(s, w, 300);
      const [live] = await listed(s);
      expect(live!.runningPid).toBe(run.child.pid);
      const refused = await runBin(['restocks', 'abandon', live!.key], { env: s.env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is running (pid ${run.child.pid}); not abandoned`);
      // Killed: no tails were written; the journal may hold a unit in flight.
      run.child.kill('SIGKILL');
      await run.done;
      const [killed] = await listed(s);
      expect(killed!.spool).not.toBeNull();

      const r = await runBin(['restocks', 'abandon', killed!.key, '--json'], { env: s.env });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Listed & {
        notSent: { fromLine: number; toLine: number; serials: number };
      };
      expect(report.notSent.toLine).toBe(input.length);
      const unsent = readUnsent(killed!.unsent.path);
      const uncertain = readUnsent(killed!.uncertain.path);
      expect(report.unsent.serials).toBe(unsent.length);
      expect(report.uncertain.serials).toBe(uncertain.length);
      // The unsent file holds only serials not stored; the uncertain ones may be stored.
      const pool = s.items(w);
      expectAllAccountedFor(
        input,
        [...pool, ...uncertain.filter((x) => !pool.includes(x))],
        unsent,
      );
      expect(existsSync(killed!.spool!)).toBe(false);
      expect(configFiles(s).filter((n) => /\.(json|lock|spool)$/.test(n))).toEqual([]);
      expect(await listed(s)).toEqual([]);
    },
    slowTest(30_000),
  );

  it(
    'says what each file holds; an unknown key is refused',
    async () => {
      const s = await shop({ faults: { latencyMs: 150 } });
      open.push(s);
      const w = s.warehouse();
      const input = serials(3000, 'SAY');
      const run = startRestock(
        s,
        ['warehouses', 'restock', w, '--batch-size', '100'],
        `${input.join('\n')}\n`,
      );
      await untilStored(s, w, 300);
      run.child.kill('SIGINT');
      expect((await run.done).code).toBe(130);
      const [one] = await listed(s);
      const settled = one!.linesSettled;

      const r = await runTerminal(['restocks', 'abandon', one!.key], { env: s.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `${one!.unsent.path} lists ${(input.length - settled).toLocaleString('en-US')} serials not stored`,
      );
      expect(r.stderr).toContain(
        `the serials of lines ${(settled + 1).toLocaleString('en-US')}–${input.length.toLocaleString('en-US')} of standard input`,
      );
      expect(r.stderr).toContain('Removed its journal and its saved copy of standard input.');
      expectAllAccountedFor(input, s.items(w), readUnsent(one!.unsent.path));

      const unknown = await runBin(['restocks', 'abandon', one!.key], { env: s.env });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`no interrupted restock has the key ${one!.key}`);
    },
    slowTest(30_000),
  );

  it(
    'an input changed since: the lists are left as the stopped run wrote them, and the lines it could not check are named',
    async () => {
      const s = await shop({ faults: { latencyMs: 150 } });
      open.push(s);
      const w = s.warehouse();
      const input = serials(3000, 'CHG');
      const f = s.file('in.txt', `${input.join('\n')}\n`);
      const run = startRestock(s, ['warehouses', 'restock', w, f, '--batch-size', '100']);
      await untilStored(s, w, 300);
      run.child.kill('SIGINT');
      expect((await run.done).code).toBe(130);
      const [one] = await listed(s);
      writeFileSync(f, 'OTHER\n');

      const r = await runBin(['restocks', 'abandon', one!.key], { env: s.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `Lines ${(one!.linesSettled + 1).toLocaleString('en-US')}–${input.length.toLocaleString('en-US')} of ${f} were not sent; the stopped run listed ${one!.unsent.serials.toLocaleString('en-US')} serials of them in the unsent file, which could not be checked now (${f} changed since the interrupted run)`,
      );
      // What the stopped run listed is still there.
      expect(readUnsent(one!.unsent.path)).toHaveLength(one!.unsent.serials);
      expectAllAccountedFor(input, s.items(w), readUnsent(one!.unsent.path));
      expect(await listed(s)).toEqual([]);
    },
    slowTest(30_000),
  );
});
