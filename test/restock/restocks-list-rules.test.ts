// `restocks list` in-process (what mutation testing sees): what it shows of
// each interrupted restock (a running one with its pid), in what order, and
// what it does with a journal it cannot read. The built CLI stopped by real
// signals: restocks.e2e.test.ts.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { countSerials } from '../../src/restock/interrupted.js';
import { hurriedClock, runMain, runTerminal, tempDir } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Shop, serials, shop, slowTest } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

interface Listed {
  key: string;
  journal: string;
  runningPid: number | null;
  startedAt: string;
  totalLines: number | null;
  unsent: { path: string; serials: number | null };
  uncertain: { path: string; serials: number };
  spool: string | null;
}

/**
 * A shop whose stock adds numbered in `held` are held unanswered;
 * `onHeld` is told when one arrives.
 */
async function holdingShop(held: number[], onHeld: () => void) {
  const s = await shop();
  open.push(s);
  const proxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: (n) =>
      held.includes(n)
        ? { kind: 'hold', release: 'never', onHeld: () => onHeld() }
        : { kind: 'ok' },
  });
  open.push(proxy);
  return { s, env: { ...s.env, ASTROSELL_BASE_URL: proxy.url } };
}

/** 50 serials, 10 a request, stopped while the third request is held: 20 stored, 10 in flight, 20 not sent. */
async function stopped(opts: { stdin?: boolean; name?: string } = {}) {
  const abort = new AbortController();
  const { s, env } = await holdingShop([2], () => abort.abort());
  const w = s.warehouse();
  const text = `${serials(50, 'LS').join('\n')}\n`;
  const file = opts.stdin ? '-' : s.file(opts.name ?? 'in.txt', text);
  const r = await runMain(['warehouses', 'restock', w, file, '--batch-size', '10'], {
    env,
    signal: abort.signal,
    clock: hurriedClock,
    input: opts.stdin ? text : undefined,
  });
  expect(r.code, r.stderr).toBe(130);
  return { s, env, w, file };
}

async function listJson(env: Record<string, string>): Promise<Listed[]> {
  const r = await runMain(['restocks', 'list', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

async function pipedRows(env: Record<string, string>): Promise<string[][]> {
  const r = await runMain(['restocks', 'list'], { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((row) => row !== '')
    .map((row) => row.split('\t'));
}

function editJournal(path: string, edit: (state: Record<string, unknown>) => void): void {
  const state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(state);
  writeFileSync(path, JSON.stringify(state));
}

describe('restocks list', () => {
  it(
    'a restock still running is shown running with its pid; once stopped, interrupted',
    async () => {
      let onHeld = () => {};
      const held = new Promise<void>((resolve) => {
        onHeld = resolve;
      });
      const { s, env } = await holdingShop([1], () => onHeld());
      const w = s.warehouse();
      const file = s.file('in.txt', `${serials(30, 'RUN').join('\n')}\n`);
      const abort = new AbortController();
      const run = runMain(['warehouses', 'restock', w, file, '--batch-size', '10'], {
        env,
        signal: abort.signal,
        clock: hurriedClock,
      });
      await held;
      const [live] = await listJson(env);
      expect(live!.runningPid).toBe(process.pid);
      const [row] = await pipedRows(env);
      expect(row!.slice(0, 3)).toEqual([
        live!.key,
        `running (pid ${process.pid})`,
        `warehouse ${w}`,
      ]);
      // A file restock has no saved input.
      expect(row![12]).toBe('');
      abort.abort();
      expect((await run).code).toBe(130);
      const [after] = await listJson(env);
      expect(after!.runningPid).toBeNull();
      expect((await pipedRows(env))[0]![1]).toBe('interrupted');
    },
    slowTest(20_000),
  );

  it(
    'each row: key, state, target, input, lines settled of all, the counts, the base URL, the lists and the saved input',
    async () => {
      const { env, w } = await stopped({ stdin: true });
      const [one] = await listJson(env);
      const [row] = await pipedRows(env);
      expect(row).toHaveLength(13);
      expect(row!.slice(0, 7)).toEqual([
        one!.key,
        'interrupted',
        `warehouse ${w}`,
        'standard input',
        '20/50',
        '20',
        '10',
      ]);
      expect(row!.slice(9)).toEqual([
        env.ASTROSELL_BASE_URL,
        one!.unsent.path,
        one!.uncertain.path,
        one!.spool,
      ]);
      expect(one!.spool).toMatch(/\.spool$/);
      // Lists that hold nothing are not named; a journal of before the total was kept says `?`.
      rmSync(one!.unsent.path);
      rmSync(one!.uncertain.path);
      editJournal(one!.journal, (state) => {
        delete state.totalLines;
      });
      const [bare] = await pipedRows(env);
      expect(bare!.slice(4, 7)).toEqual(['20/?', '0', '0']);
      expect(bare!.slice(10, 12)).toEqual(['', '']);
      expect((await listJson(env))[0]).toMatchObject({ totalLines: null });
    },
    slowTest(20_000),
  );

  it(
    'on a wide terminal every column is headed, counts read as lines',
    async () => {
      const { env } = await stopped();
      const r = await runTerminal(['restocks', 'list'], { env, columns: 400 });
      expect(r.code, r.stderr).toBe(0);
      const [header, row] = stripVTControlCharacters(r.stdout).split('\n');
      expect(header!.split(/\s{2,}/)).toEqual([
        'KEY',
        'STATE',
        'TARGET',
        'INPUT',
        'SETTLED',
        'UNSENT',
        'UNCERTAIN',
        'UPDATED',
        'STARTED',
        'BASE URL',
        'UNSENT FILE',
        'UNCERTAIN FILE',
        'SPOOL',
      ]);
      expect(row).toContain('20/50 lines');
    },
    slowTest(20_000),
  );

  it(
    'restocks are listed oldest first',
    async () => {
      // Two restocks into one config folder, each stopped at its third request.
      let abort = new AbortController();
      const { s, env } = await holdingShop([2, 5], () => abort.abort());
      for (const name of ['a', 'b']) {
        abort = new AbortController();
        const file = s.file(`${name}.txt`, `${serials(50, name).join('\n')}\n`);
        const r = await runMain(
          ['warehouses', 'restock', s.warehouse(), file, '--batch-size', '10'],
          {
            env,
            signal: abort.signal,
            clock: hurriedClock,
          },
        );
        expect(r.code, r.stderr).toBe(130);
      }
      const two = await listJson(env);
      expect(two).toHaveLength(2);
      // The one whose key sorts first started last.
      const [first, second] = [...two].sort((a, b) => a.key.localeCompare(b.key));
      editJournal(first!.journal, (state) => {
        state.startedAt = new Date(Date.parse(second!.startedAt) + 60_000).toISOString();
      });
      expect((await listJson(env)).map((x) => x.key)).toEqual([second!.key, first!.key]);
      expect((await pipedRows(env)).map((row) => row[0])).toEqual([second!.key, first!.key]);
    },
    slowTest(20_000),
  );

  it(
    'a journal that cannot be read: a warning naming it, the others still listed',
    async () => {
      const { env } = await stopped();
      const [one] = await listJson(env);
      const bad = join(dirname(one!.journal), `${'f'.repeat(24)}.json`);
      writeFileSync(bad, '{ not json');
      const r = await runMain(['restocks', 'list', '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(`warning: the restock journal ${bad} is not valid JSON\n`);
      expect((JSON.parse(r.stdout) as Listed[]).map((x) => x.key)).toEqual([one!.key]);
    },
    slowTest(20_000),
  );
});

describe('a list that cannot be counted', () => {
  it(
    'keeps its restock listed, counted unknown and named, with a warning naming the journal and why',
    async () => {
      const { env } = await stopped();
      const [one] = await listJson(env);
      rmSync(one!.unsent.path, { force: true });
      mkdirSync(one!.unsent.path);
      const r = await runMain(['restocks', 'list', '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(
          `^warning: the restock journal ${one!.journal}: cannot count its unsent file \\(EISDIR`,
        ),
      );
      const [listed] = JSON.parse(r.stdout) as Listed[];
      expect(listed!.key).toBe(one!.key);
      // Never shown as empty: an operator would take "0 unsent" as nothing to do.
      expect(listed!.unsent.serials).toBeNull();
      expect(listed!.uncertain.serials).toBe(one!.uncertain.serials);
      const [row] = await pipedRows(env);
      expect(row![0]).toBe(one!.key);
      expect(row![5]).toBe('?');
      expect(row!).toContain(one!.unsent.path);
    },
    slowTest(20_000),
  );

  it(
    'is refused by abandon, which keeps the journal: an unknown count is never taken as none',
    async () => {
      const { env } = await stopped();
      const [one] = await listJson(env);
      rmSync(one!.uncertain.path, { force: true });
      mkdirSync(one!.uncertain.path);
      const r = await runMain(['restocks', 'abandon', one!.key], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: the uncertain file ${one!.uncertain.path} of the restock ${one!.key} cannot be read \\(EISDIR.*\\); not abandoned\nhint: `,
        ),
      );
      expect(existsSync(one!.journal)).toBe(true);
      expect((await listJson(env)).map((x) => x.key)).toEqual([one!.key]);
    },
    slowTest(20_000),
  );
});

describe('countSerials: the serials a list holds, as list shows them', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const cases: Array<[string, string | null, number, number]> = [
    ['no such file', null, 0, 0],
    ['empty', '', 0, 0],
    ['one line', 'A\n', 0, 1],
    ['a last line without its newline', 'A\nB', 0, 2],
    ['counted from a byte on', 'A\nB\nC\n', 2, 2],
  ];
  for (const [what, text, from, want] of cases) {
    it(`${what}: ${want}`, () => {
      const path = join(dir, what.replace(/\W+/g, '-'));
      if (text !== null) writeFileSync(path, text);
      expect(countSerials(path, from)).toBe(want);
    });
  }
});

describe('a config folder that cannot be one', () => {
  it('a file in its place, or on its path: one line naming it, exit 1, for the list, abandon and a restock alike; a diff of a named file does not need it', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'config');
      writeFileSync(file, '');
      for (const [dir, why] of [
        [file, 'not a folder'],
        [join(file, 'astrosell'), 'a file is on its path'],
      ] as const) {
        // Nothing listens there: no request may leave this machine.
        const env = {
          ASTROSELL_CONFIG_DIR: dir,
          ASTROSELL_API_KEY: 'nsk_test_x',
          ASTROSELL_BASE_URL: 'http://127.0.0.1:9/api/v1',
          ASTROSELL_MAX_RETRIES: '0',
        };
        for (const args of [
          ['restocks', 'list'],
          ['restocks', 'abandon', '0123456789abcdef01234567'],
          ['warehouses', 'restock', 'w1', '-'],
        ]) {
          const r = await runMain(args, { env, input: 'A\n' });
          expect(r.code).toBe(1);
          expect(r.stderr.split('\n')[0]).toBe(`error: cannot use config folder ${dir}: ${why}`);
        }
        // A command that does not need the folder is not stopped by it: diff of a named file.
        const serialsFile = join(tmp.dir, 'serials.txt');
        writeFileSync(serialsFile, 'A\n');
        const diff = await runMain(['warehouses', 'diff', 'w1', serialsFile], { env });
        expect(diff.stderr).not.toContain('config folder');
        expect(diff.stderr).toContain('error: cannot connect to 127.0.0.1:9');
      }
    } finally {
      tmp.cleanup();
    }
  });
});
