// `restocks abandon <key>` in-process (what mutation testing sees): giving up
// an interrupted restock loses no serial. Before its journal and its saved
// standard input go, every serial it did not store is listed: the batch in
// flight in the uncertain file, every line not yet sent in the unsent file,
// as a stopped run lists them, also when a kill left the lists without those
// tails. When the input is gone or changed the lists stay as they are and
// the lines not listed are named. Refusals are one `error:` line with the
// CLI's exit codes. The built CLI, killed for real: restocks.e2e.test.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hurriedClock, type RunResult, runMain } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { readUnsent, type Shop, serials, shop, slowTest } from './e2e.js';

const open: Array<Shop | FaultProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

interface Stopped {
  s: Shop;
  proxy: FaultProxy;
  env: Record<string, string>;
  target: string;
  input: string[];
  /** The (first) input file, or `-`. */
  file: string;
  files: string[];
  unsentPath: string;
  uncertainPath: string;
  key: string;
  journal: string;
  spool: string | null;
}

/**
 * A restock of 100 serials, 10 a request, stopped by Ctrl-C while its third
 * request (lines 21–30) is held unanswered: 20 stored, 10 in flight, 70 not
 * sent. `kind`: into a warehouse or a product drawing from one.
 */
async function stoppedRestock(
  opts: {
    kind?: 'warehouses' | 'products';
    removeDuplicates?: boolean;
    stdin?: boolean;
    /** The input in two files, of 50 lines each. */
    twoFiles?: boolean;
    input?: string[];
  } = {},
): Promise<Stopped> {
  const s = await shop();
  open.push(s);
  const abort = new AbortController();
  const proxy = await startFaultProxy({
    upstream: s.sandbox.url,
    plan: (n) =>
      n === 2 ? { kind: 'hold', release: 'never', onHeld: () => abort.abort() } : { kind: 'ok' },
  });
  open.push(proxy);
  const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url };
  const w = s.warehouse({ removeDuplicates: opts.removeDuplicates ?? false });
  const target = opts.kind === 'products' ? s.product(w) : w;
  const input = opts.input ?? serials(100, 'AB');
  const text = `${input.join('\n')}\n`;
  const files = opts.stdin
    ? ['-']
    : opts.twoFiles
      ? [
          s.file('a.txt', `${input.slice(0, 50).join('\n')}\n`),
          s.file('b.txt', `${input.slice(50).join('\n')}\n`),
        ]
      : [s.file('in.txt', text)];
  const unsentPath = join(s.dir, 'unsent.txt');
  const r = await runMain(
    [opts.kind ?? 'warehouses', 'restock', target, ...files, '--batch-size', '10'].concat([
      '--unsent-file',
      unsentPath,
    ]),
    { env, signal: abort.signal, clock: hurriedClock, input: opts.stdin ? text : undefined },
  );
  expect(r.code, r.stderr).toBe(130);
  const listed = await runMain(['restocks', 'list', '--json'], { env });
  const [one] = JSON.parse(listed.stdout) as Array<{
    key: string;
    journal: string;
    spool: string | null;
  }>;
  return {
    s,
    proxy,
    env,
    target: w,
    input,
    file: files[0]!,
    files,
    unsentPath,
    uncertainPath: `${unsentPath}.uncertain`,
    key: one!.key,
    journal: one!.journal,
    spool: one!.spool,
  };
}

/** The lists as a killed run leaves them: no tails after the settled part (none here). */
function asKilled(x: Stopped): void {
  rmSync(x.unsentPath, { force: true });
  rmSync(x.uncertainPath, { force: true });
}

/** As if the stopped run had settled `serial` as of unknown fate: its uncertain file lists it. */
function settledUncertain(x: Stopped, serial: string): void {
  writeFileSync(x.uncertainPath, `${serial}\n`);
  editJournal(x, (state) => {
    state.uncertainBytes = serial.length + 1;
  });
}

function editJournal(x: Stopped, edit: (state: Record<string, unknown>) => void): void {
  const state = JSON.parse(readFileSync(x.journal, 'utf8')) as Record<string, unknown>;
  edit(state);
  writeFileSync(x.journal, JSON.stringify(state));
}

async function abandonJson(x: Stopped): Promise<Record<string, unknown> & RunResult> {
  const r = await runMain(['restocks', 'abandon', x.key, '--json'], { env: x.env });
  expect(r.code, r.stderr).toBe(0);
  return { ...(JSON.parse(r.stdout) as Record<string, unknown>), ...r };
}

async function listedKeys(x: Stopped): Promise<string[]> {
  const r = await runMain(['restocks', 'list', '--json'], { env: x.env });
  return (JSON.parse(r.stdout) as Array<{ key: string }>).map((one) => one.key);
}

/** One `error:` line (and its hint), no stack trace. */
function expectOneLineError(r: RunResult, code: number, message: string): void {
  expect(r.code, r.stderr).toBe(code);
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  expect(first).toBe(`error: ${message}`);
  expect(rest.every((l) => l.startsWith('hint: '))).toBe(true);
}

describe('restocks abandon: every serial not stored is listed first', () => {
  for (const killed of [false, true]) {
    it(
      `the batch in flight goes to the uncertain file, every later line to the unsent file (lists ${killed ? 'without tails, as a kill leaves them' : 'as the stop wrote them'})`,
      async () => {
        const x = await stoppedRestock();
        if (killed) asKilled(x);
        const report = await abandonJson(x);
        expect(x.s.items(x.target)).toEqual(x.input.slice(0, 20));
        expect(readUnsent(x.uncertainPath)).toEqual(x.input.slice(20, 30));
        expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
        expect(report).toMatchObject({
          inFlight: { fromLine: 21, toLine: 30 },
          inFlightSerials: 10,
          inFlightNotStored: 0,
          notSent: { fromLine: 31, toLine: 100, serials: 70 },
          unsent: { path: x.unsentPath, serials: 70 },
          uncertain: { path: x.uncertainPath, serials: 10 },
          notListed: null,
        });
        expect(existsSync(x.journal)).toBe(false);
        expect(
          readdirSync(dirname(x.journal)).filter((n) => /\.(json|lock|spool)$/.test(n)),
        ).toEqual([]);
        expect(await listedKeys(x)).toEqual([]);
      },
      slowTest(20_000),
    );
  }

  it(
    'says what each list holds and how to settle the uncertain one, by lines of the input',
    async () => {
      const x = await stoppedRestock();
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(`^Abandoned the restock of warehouse ${x.target} .*\\(${x.key}\\)\\.$`),
      );
      expect(lines[1]).toBe(
        `  ${x.unsentPath} lists 70 serials not stored (70 never sent: the serials of lines 31–100 of ${x.file}): restock it as is.`,
      );
      expect(lines[2]).toContain(
        `  ${x.uncertainPath} lists 10 serials that may be stored (10 of them sent when it stopped: lines 21–30 of ${x.file})`,
      );
      expect(lines[2]).toContain(
        `(astrosell warehouses diff ${x.target} ${x.uncertainPath} --show missing) and restock only those, never this file as is.`,
      );
      expect(lines.slice(3)).toEqual(['  Removed its journal.']);
    },
    slowTest(20_000),
  );

  it(
    'a product restock: the uncertain file is settled against the warehouse the product draws from',
    async () => {
      const x = await stoppedRestock({ kind: 'products' });
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `astrosell warehouses diff <its warehouse> ${x.uncertainPath} --show missing`,
      );
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
    },
    slowTest(20_000),
  );

  it(
    'of the batch in flight, what the journal knows stored is not listed; what was answered not stored or never sent is unsent; the rest uncertain',
    async () => {
      const x = await stoppedRestock();
      asKilled(x);
      // As the run records a batch it resent in parts: line 21 stored by an
      // answer, lines 23–24 answered not stored, lines 29–30 not sent yet.
      editJournal(x, (state) => {
        const inflight = state.inflight as Record<string, unknown>;
        inflight.sentUpTo = 8;
        inflight.prefix = { upTo: 1, added: 1, dropped: 0, found: 0, requests: 1 };
        inflight.notStored = [[2, 4]];
      });
      const report = await abandonJson(x);
      const unit = x.input.slice(20, 30);
      expect(readUnsent(x.uncertainPath)).toEqual([unit[1], ...unit.slice(4, 8)]);
      expect(readUnsent(x.unsentPath)).toEqual([
        ...unit.slice(2, 4),
        ...unit.slice(8),
        ...x.input.slice(30),
      ]);
      expect(report).toMatchObject({ inFlightSerials: 5, inFlightNotStored: 4 });
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code).toBe(2);
    },
    slowTest(20_000),
  );

  it(
    'the text names the batch serials answered not stored among those to restock',
    async () => {
      const x = await stoppedRestock();
      asKilled(x);
      editJournal(x, (state) => {
        const inflight = state.inflight as Record<string, unknown>;
        inflight.notStored = [[0, 3]];
        // Journals of before the settled prefix was recorded have none.
        delete inflight.prefix;
      });
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `${x.unsentPath} lists 73 serials not stored (3 of the lines 21–30 of ${x.file}, answered as not stored or never sent; 70 never sent: the serials of lines 31–100 of ${x.file}): restock it as is.`,
      );
      expect(r.stderr).toContain(
        'lists 7 serials that may be stored (7 of them sent when it stopped',
      );
    },
    slowTest(20_000),
  );

  it(
    'a pool that drops repeats and sells keys: a later copy of a serial in flight is uncertain too, never "not stored"',
    async () => {
      const input = serials(100, 'DUP');
      // Line 61 repeats line 25 (in flight), line 71 repeats line 5 (stored).
      input[60] = input[24]!;
      input[70] = input[4]!;
      const x = await stoppedRestock({ removeDuplicates: true, input });
      asKilled(x);
      await abandonJson(x);
      const uncertain = readUnsent(x.uncertainPath);
      const unsent = readUnsent(x.unsentPath);
      expect(uncertain).toEqual([...input.slice(20, 30), input[24]]);
      expect(unsent).not.toContain(input[24]);
      expect(unsent).toContain(input[4]);
      expect(unsent).toHaveLength(69);
    },
    slowTest(20_000),
  );

  it(
    'a pool that keeps duplicates: a later copy of a serial in flight or listed uncertain is a line of its own, not sent',
    async () => {
      const input = serials(100, 'KEEP');
      input[60] = input[24]!;
      input[80] = input[14]!;
      const x = await stoppedRestock({ removeDuplicates: false, input });
      asKilled(x);
      // As if line 15's serial had been settled as of unknown fate.
      settledUncertain(x, input[14]!);
      await abandonJson(x);
      expect(readUnsent(x.unsentPath)).toEqual(input.slice(30));
      expect(readUnsent(x.uncertainPath)).toEqual([input[14], ...input.slice(20, 30)]);
    },
    slowTest(20_000),
  );

  it(
    'a pool that drops repeats and sells keys: a later copy of a serial settled as uncertain is uncertain too',
    async () => {
      const input = serials(100, 'HELD');
      input[80] = input[14]!;
      const x = await stoppedRestock({ removeDuplicates: true, input });
      asKilled(x);
      settledUncertain(x, input[14]!);
      await abandonJson(x);
      expect(readUnsent(x.unsentPath)).not.toContain(input[14]);
      expect(readUnsent(x.uncertainPath)).toEqual([input[14], ...input.slice(20, 30), input[14]]);
    },
    slowTest(20_000),
  );

  it(
    'several inputs: lines are counted across them, and each is named',
    async () => {
      const x = await stoppedRestock({ twoFiles: true });
      const listed = await runMain(['restocks', 'list'], { env: x.env });
      expect(listed.stdout.split('\t')[3]).toBe(x.files.join(', '));
      asKilled(x);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      const across = `(counted across ${x.files.join(', ')})`;
      expect(r.stderr).toContain(`never sent: the serials of input lines 31–100 ${across}`);
      expect(r.stderr).toContain(`sent when it stopped: input lines 21–30 ${across}`);
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
      // The second gone: that one is named.
      const y = await stoppedRestock({ twoFiles: true });
      rmSync(y.files[1]!);
      const report = await abandonJson(y);
      expect((report.notListed as { reason: string }).reason).toBe(`${y.files[1]} is gone`);
    },
    slowTest(20_000),
  );

  it(
    'standard input: the lists are completed from the saved copy, which is removed with the journal',
    async () => {
      const x = await stoppedRestock({ stdin: true });
      expect(x.spool).not.toBeNull();
      asKilled(x);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env, input: 'OTHER\n' });
      expect(r.code, r.stderr).toBe(0);
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
      expect(readUnsent(x.uncertainPath)).toEqual(x.input.slice(20, 30));
      expect(r.stderr).toContain('the serials of lines 31–100 of standard input');
      expect(r.stderr).toContain('Removed its journal and its saved copy of standard input.');
      expect(r.stderr).not.toContain('kept as');
      expect(existsSync(x.spool!)).toBe(false);
      expect(existsSync(x.journal)).toBe(false);
    },
    slowTest(20_000),
  );

  it(
    'a list that cannot be written: abandon fails and keeps the journal and the saved input',
    async () => {
      const x = await stoppedRestock({ stdin: true });
      asKilled(x);
      mkdirSync(x.unsentPath);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: .*unsent\.txt/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(x.journal)).toBe(true);
      expect(existsSync(x.spool!)).toBe(true);
    },
    slowTest(20_000),
  );
});

describe('restocks abandon: an input that cannot be read as it was', () => {
  it(
    'an input gone: the lists stay as the stop wrote them, and the lines they may miss are named',
    async () => {
      const x = await stoppedRestock();
      rmSync(x.file);
      const report = await abandonJson(x);
      expect(report.notListed).toEqual({
        fromLine: 31,
        toLine: 100,
        reason: `${x.file} is gone`,
        listedByStop: 70,
      });
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
      expect(readUnsent(x.uncertainPath)).toEqual(x.input.slice(20, 30));
      expect(report.stderr).toBe('');
      expect(existsSync(x.journal)).toBe(false);
    },
    slowTest(20_000),
  );

  it(
    'an input gone after a kill: the lines never listed are named, to restock from the original',
    async () => {
      const x = await stoppedRestock();
      asKilled(x);
      rmSync(x.file);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `  The serials of lines 31–100 of ${x.file} were not sent and could not be listed (${x.file} is gone): restock them from the original input.`,
      );
    },
    slowTest(20_000),
  );

  it(
    'an input gone after a kill: the batch in flight, listed nowhere, is named as sent and maybe stored',
    async () => {
      const x = await stoppedRestock();
      asKilled(x);
      rmSync(x.file);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('No serial is of unknown outcome.');
      expect(r.stderr).toContain(
        `  The serials of lines 21–30 of ${x.file} were sent when it stopped and may be stored; they could not be listed (${x.file} is gone):`,
      );
      expect(r.stderr).toContain(
        `astrosell warehouses diff ${x.target} <that file> --show missing`,
      );
      // Listed by the stop: the uncertain file names them, nothing more to say.
      const y = await stoppedRestock();
      rmSync(y.file);
      const report = await abandonJson(y);
      expect(report.inFlightNotListed).toBeNull();
      expect(readUnsent(y.uncertainPath)).toEqual(y.input.slice(20, 30));
    },
    slowTest(20_000),
  );

  it(
    'an input that cannot be read: the lines are named with why, the lists stay',
    async () => {
      const x = await stoppedRestock();
      rmSync(x.file);
      mkdirSync(x.file);
      const report = await abandonJson(x);
      expect(report.notListed).toMatchObject({ fromLine: 31, toLine: 100, listedByStop: 70 });
      expect((report.notListed as { reason: string }).reason).not.toBe('');
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
    },
    slowTest(20_000),
  );

  it(
    'an input changed since: the lines the stop listed are named, to compare with the original',
    async () => {
      const x = await stoppedRestock();
      writeFileSync(x.file, 'OTHER\n');
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `  ${x.unsentPath} lists 70 serials not stored: restock it as is.\n`,
      );
      expect(r.stderr).toContain(
        `  Lines 31–100 of ${x.file} were not sent; the stopped run listed 70 serials of them in the unsent file, which could not be checked now (${x.file} changed since the interrupted run): compare them with the original input.`,
      );
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
    },
    slowTest(20_000),
  );

  it(
    'an input of the same size changed: still refused as changed',
    async () => {
      const x = await stoppedRestock();
      const text = readFileSync(x.file, 'utf8');
      writeFileSync(x.file, text.replace('AB-0000050', 'AB-0000X50'));
      const report = await abandonJson(x);
      expect((report.notListed as { reason: string }).reason).toBe(
        `${x.file} changed since the interrupted run`,
      );
      expect(readUnsent(x.unsentPath)).toEqual(x.input.slice(30));
    },
    slowTest(20_000),
  );

  it(
    'a journal that does not know the input length names the lines from the first not sent on',
    async () => {
      const x = await stoppedRestock();
      asKilled(x);
      rmSync(x.file);
      editJournal(x, (state) => {
        delete state.totalLines;
      });
      const report = await abandonJson(x);
      expect(report.notListed).toMatchObject({ fromLine: 31, toLine: null, listedByStop: 0 });
      const again = await stoppedRestock();
      asKilled(again);
      rmSync(again.file);
      editJournal(again, (state) => {
        delete state.totalLines;
      });
      const r = await runMain(['restocks', 'abandon', again.key], { env: again.env });
      expect(r.stderr).toContain(`The serials of lines 31 on of ${again.file} were not sent`);
      // With the input there, the length is read from it.
      const read = await stoppedRestock();
      editJournal(read, (state) => {
        delete state.totalLines;
      });
      expect(await abandonJson(read)).toMatchObject({ totalLines: 100, notSent: { toLine: 100 } });
      // One line not sent is named as one.
      const one = await stoppedRestock();
      asKilled(one);
      rmSync(one.file);
      editJournal(one, (state) => {
        state.totalLines = 31;
      });
      const single = await runMain(['restocks', 'abandon', one.key], { env: one.env });
      expect(single.stderr).toContain(`The serials of line 31 of ${one.file} were not sent`);
    },
    slowTest(30_000),
  );

  it(
    'every line settled: nothing left to list, and an input gone leaves nothing to name',
    async () => {
      const settled = (state: Record<string, unknown>) => {
        state.inflight = null;
        state.committedLine = 100;
      };
      const x = await stoppedRestock();
      editJournal(x, settled);
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.split('\n').slice(1, 3)).toEqual([
        '  No serial is listed as not stored.',
        '  No serial is of unknown outcome.',
      ]);
      expect(readUnsent(x.unsentPath)).toEqual([]);
      const y = await stoppedRestock();
      editJournal(y, settled);
      expect((await abandonJson(y)).notSent).toBeNull();
      const z = await stoppedRestock();
      rmSync(z.file);
      editJournal(z, settled);
      expect((await abandonJson(z)).notListed).toBeNull();
    },
    slowTest(30_000),
  );

  it(
    'a list shortened since names which list: the uncertain one',
    async () => {
      const x = await stoppedRestock();
      editJournal(x, (state) => {
        state.uncertainBytes = 200;
      });
      writeFileSync(x.uncertainPath, 'AB-0000020\n');
      const report = await abandonJson(x);
      expect((report.notListed as { reason: string }).reason).toBe(
        `the uncertain file ${x.uncertainPath} no longer holds what it listed`,
      );
    },
    slowTest(20_000),
  );

  it(
    'a list shortened since: left as it is, the lines named, the reason says which list',
    async () => {
      const x = await stoppedRestock();
      editJournal(x, (state) => {
        state.unsentBytes = 200;
      });
      writeFileSync(x.unsentPath, 'AB-0000030\n');
      const report = await abandonJson(x);
      expect((report.notListed as { reason: string }).reason).toBe(
        `the unsent file ${x.unsentPath} no longer holds what it listed`,
      );
      expect(readUnsent(x.unsentPath)).toEqual(['AB-0000030']);
      expect(readUnsent(x.uncertainPath)).toEqual(x.input.slice(20, 30));
    },
    slowTest(20_000),
  );

  it(
    'the saved standard input gone: named as such',
    async () => {
      const x = await stoppedRestock({ stdin: true });
      rmSync(x.spool!);
      const report = await abandonJson(x);
      expect((report.notListed as { reason: string }).reason).toBe(
        'the saved copy of standard input is gone',
      );
      expect(report.keptSpool).toBeNull();
    },
    slowTest(20_000),
  );

  it(
    'the saved standard input changed: kept aside under another name, out of the sweep, and said so',
    async () => {
      const x = await stoppedRestock({ stdin: true });
      writeFileSync(x.spool!, 'OTHER\n');
      const r = await runMain(['restocks', 'abandon', x.key], { env: x.env });
      expect(r.code, r.stderr).toBe(0);
      const kept = join(dirname(x.journal), `stdin-abandoned-${x.key}.txt`);
      expect(readFileSync(kept, 'utf8')).toBe('OTHER\n');
      expect(r.stderr).toContain(`  The saved copy of standard input is kept as ${kept}.`);
      expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('  Removed its journal.');
      expect(readdirSync(dirname(x.journal)).filter((n) => n.endsWith('.spool'))).toEqual([]);
    },
    slowTest(20_000),
  );
});

describe('restocks abandon: refusals', () => {
  it(
    'an unknown key: exit 2, one error line naming it and where the keys are shown',
    async () => {
      const x = await stoppedRestock();
      const other = 'a'.repeat(24);
      const r = await runMain(['restocks', 'abandon', other], { env: x.env });
      expectOneLineError(r, 2, `no interrupted restock has the key ${other}`);
      expect(r.stderr).toContain('hint: astrosell restocks list shows them, with their keys');
      expect(await listedKeys(x)).toEqual([x.key]);
    },
    slowTest(20_000),
  );

  it(
    'a name that is not a key is refused even when a file of that name is there',
    async () => {
      const x = await stoppedRestock();
      const dir = dirname(x.journal);
      const victim = join(dir, '..', 'victim.json');
      writeFileSync(victim, readFileSync(x.journal));
      const r = await runMain(['restocks', 'abandon', '../victim'], { env: x.env });
      expectOneLineError(r, 2, 'no interrupted restock has the key ../victim');
      expect(existsSync(victim)).toBe(true);
    },
    slowTest(20_000),
  );

  it(
    'a restock still running: exit 1, its pid named, nothing touched',
    async () => {
      const s = await shop();
      open.push(s);
      let onHeld = () => {};
      const proxy = await startFaultProxy({
        upstream: s.sandbox.url,
        plan: (n) =>
          n === 1 ? { kind: 'hold', release: 'end', onHeld: () => onHeld() } : { kind: 'ok' },
      });
      open.push(proxy);
      const env = { ...s.env, ASTROSELL_BASE_URL: proxy.url };
      const w = s.warehouse();
      const input = serials(30, 'RUN');
      const file = s.file('in.txt', `${input.join('\n')}\n`);
      const abort = new AbortController();
      const held = new Promise<void>((resolve) => {
        onHeld = resolve;
      });
      const run = runMain(['warehouses', 'restock', w, file, '--batch-size', '10'], {
        env,
        signal: abort.signal,
        clock: hurriedClock,
      });
      await held;
      const [live] = JSON.parse((await runMain(['restocks', 'list', '--json'], { env })).stdout);
      expect(live.runningPid).toBe(process.pid);
      const r = await runMain(['restocks', 'abandon', live.key], { env });
      expectOneLineError(
        r,
        1,
        `the restock ${live.key} is running (pid ${process.pid}); not abandoned`,
      );
      expect(r.stderr).toContain('hint: stop it first (Ctrl-C), then abandon it, or let it finish');
      expect(existsSync(live.journal)).toBe(true);
      abort.abort();
      expect((await run).code).toBe(130);
      const listed = JSON.parse((await runMain(['restocks', 'list', '--json'], { env })).stdout);
      expect(listed).toMatchObject([{ key: live.key, runningPid: null }]);
    },
    slowTest(20_000),
  );
});
