import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliError } from '../../src/errors.js';
import {
  emptyCounters,
  Journal,
  type JournalState,
  journalKey,
} from '../../src/restock/journal.js';
import { UnsentFile } from '../../src/restock/unsent.js';
import { tempDir } from '../helpers/cli.js';
import { underFileLimit } from '../helpers/file-limit.js';
import { journalState } from './journal-state.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

const state = (key: string): JournalState => journalState(key);

describe('Journal', () => {
  it('keys by base URL, target and input names', () => {
    const a = journalKey('u', 'warehouse', 'w1', ['/a']);
    expect(journalKey('u', 'warehouse', 'w1', ['/a'])).toBe(a);
    expect(journalKey('u', 'product', 'w1', ['/a'])).not.toBe(a);
    expect(journalKey('u', 'warehouse', 'w1', ['/b'])).not.toBe(a);
    expect(journalKey('v', 'warehouse', 'w1', ['/a'])).not.toBe(a);
  });

  it('saves atomically (mode 0600, no temp file left) and loads what it saved', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const j = new Journal(join(dir, 'restock'), 'k1');
    j.lock();
    const s = state('k1');
    j.save(s);
    expect(j.load()).toEqual(s);
    expect(statSync(j.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'restock')).sort()).toEqual(['k1.json', 'k1.lock']);
    // Never a serial: offsets, counters and hashes only.
    expect(Object.keys(JSON.parse(readFileSync(j.path, 'utf8')))).not.toContain('serials');
    j.unlock();
    j.remove();
    expect(existsSync(j.path)).toBe(false);
    expect(j.load()).toBeUndefined();
  });

  it('refuses a second run while the first holds the lock, and takes over a stale lock', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const j = new Journal(dir, 'k2');
    // A live process that is not us holds it.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(j.lockPath, `${child.pid}\n`);
      expect(() => j.lock()).toThrow(/another restock .* is running \(pid \d+\)/);
    } finally {
      child.kill();
      await new Promise((r) => child.on('exit', r));
    }
    // Its process is gone: stale.
    j.lock();
    expect(readFileSync(j.lockPath, 'utf8').split(' ')[0]).toBe(String(process.pid));
    j.unlock();
    expect(existsSync(j.lockPath)).toBe(false);
  });

  it('reports a corrupt journal instead of overwriting it', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const j = new Journal(dir, 'k3');
    writeFileSync(j.path, '{not json');
    expect(() => j.load()).toThrow(/not valid JSON/);
  });
});

describe('Journal.save: a journal write counts only when every byte was written and synced', () => {
  it('a save cut short by a file size limit keeps the previous journal whole and names the file', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const before = state('k5');
    // Grown past the limit (2 KiB): an orders snapshot of 200 orders.
    const grown: JournalState = {
      ...before,
      committedLine: 60,
      inflight: {
        fromLine: 60,
        toLine: 80,
        sentUpTo: 3,
        requests: 1,
        sentAt: 2,
        mayStillLand: true,
      },
      sales: {
        statuses: Array.from({ length: 200 }, (_, i) => [`INV-${i}`, 'completed']),
        whole: true,
      },
    };
    expect(JSON.stringify(grown).length).toBeGreaterThan(2048);
    const result = await underFileLimit(
      2,
      `const j = new m.Journal(args[0], 'k5');
j.save(JSON.parse(args[1]));
try {
  j.save(JSON.parse(args[2]));
  out({ saved: true });
} catch (e) {
  out({ error: e instanceof m.FileWriteError, message: e.message });
}`,
      [dir, JSON.stringify(before), JSON.stringify(grown)],
    );
    const j = new Journal(dir, 'k5');
    expect(result).toEqual({
      error: true,
      message: `cannot write the restock journal ${j.path}: EFBIG (file too large)`,
    });
    // A resume still reads the state before the failed save; no temp file is left.
    expect(j.load()).toEqual(before);
    expect(readdirSync(dir)).toEqual(['k5.json']);
  });

  it('a save into a folder that is gone names the journal and leaves nothing behind', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const j = new Journal(join(dir, 'gone'), 'k6');
    expect(() => j.save(state('k6'))).toThrow(
      `cannot write the restock journal ${j.path}: ENOENT (no such file or directory)`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('Journal.load: a journal damaged by hand', () => {
  it('any field of the state, of the wrong kind, is refused by its name', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const j = new Journal(dir, 'k8');
    const whole = state('k8') as unknown as Record<string, unknown>;
    const unnamed: string[] = [];
    for (const field of Object.keys(whole)) {
      // A list of lists fits no field: not a string, count, object, list of objects or null.
      writeFileSync(j.path, JSON.stringify({ ...whole, [field]: [['x']] }));
      let message = '';
      try {
        j.load();
      } catch (e) {
        message = (e as Error).message;
      }
      if (!message.endsWith(`is damaged: ${field} is missing or wrong`)) unnamed.push(field);
    }
    expect(unnamed).toEqual([]);
  });

  const damage: Array<[string, (s: Record<string, unknown>) => string, string]> = [
    ['cut short', (s) => JSON.stringify(s).slice(0, 200), 'is not valid JSON'],
    [
      'without its settled line',
      (s) => JSON.stringify({ ...s, committedLine: undefined }),
      'is damaged: committedLine is missing or wrong',
    ],
    [
      'with a list length that is not a number',
      (s) => JSON.stringify({ ...s, unsentBytes: '12' }),
      'is damaged: unsentBytes is missing or wrong',
    ],
    [
      'with a unit in flight that lost its end',
      (s) => JSON.stringify({ ...s, inflight: { fromLine: 42, sentAt: 1, mayStillLand: true } }),
      'is damaged: inflight is missing or wrong',
    ],
    [
      'with counters that are not counts',
      (s) =>
        JSON.stringify({ ...s, counters: { ...emptyCounters(), sent: -1 } as unknown as string }),
      'is damaged: counters is missing or wrong',
    ],
  ];
  for (const [what, write, problem] of damage) {
    it(`${what}: refused, left untouched, and no advice to start over blindly`, () => {
      const { dir, cleanup } = tempDir();
      dirs.push(cleanup);
      const j = new Journal(dir, 'k7');
      const text = write(state('k7') as unknown as Record<string, unknown>);
      writeFileSync(j.path, text);
      let error: CliError | undefined;
      try {
        j.load();
      } catch (e) {
        error = e as CliError;
      }
      expect(error?.message).toBe(`the restock journal ${j.path} ${problem}`);
      expect(error?.exitCode).toBe(1);
      // Starting over resends every serial: the hint says to compare with the pool first.
      expect(error?.hint).toMatch(/^it was left untouched; do not just move it away to start over/);
      expect(error?.hint).toContain(
        'astrosell warehouses diff <warehouse-id> <file> --show missing > missing.txt',
      );
      expect(readFileSync(j.path, 'utf8')).toBe(text);
    });
  }
});

describe('UnsentFile on resume', () => {
  it('refuses, naming the file, when the settled part is gone or cut short', () => {
    const tmp = tempDir('astrosell-unsent-');
    const path = join(tmp.dir, 'unsent.txt');
    expect(() => new UnsentFile(path, 10)).toThrow(
      /unsent file .*unsent\.txt of the interrupted restock is gone: it listed serials that were not stored/,
    );
    writeFileSync(path, 'A\n');
    expect(() => new UnsentFile(path, 10)).toThrow(/is shorter than the journal says/);
    // The settled part kept, the stopped run's tail cut off.
    writeFileSync(path, 'A\nB\nTAIL\n');
    const f = new UnsentFile(path, 4);
    f.write(['C']);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe('A\nB\nC\n');
    tmp.cleanup();
  });

  it('a write cut short by a file size limit is taken back whole and names the list; the list goes on', async () => {
    const tmp = tempDir('astrosell-uncertain-');
    dirs.push(tmp.cleanup);
    const path = join(tmp.dir, 'unsent.txt.uncertain');
    const first = Array.from({ length: 50 }, (_, i) => `FIRST-${i}`);
    const big = Array.from({ length: 200 }, (_, i) => `BIG-SERIAL-${i}`);
    const result = await underFileLimit(
      1,
      `const f = new m.UnsentFile(args[0], 0, 'uncertain');
f.write(JSON.parse(args[1]));
let message;
try {
  f.write(JSON.parse(args[2]));
} catch (e) {
  message = e instanceof m.FileWriteError && e.message;
}
const after = { bytes: f.bytes, lines: f.lines };
f.write(['LAST']);
f.sync();
f.close();
out({ message, after });`,
      [path, JSON.stringify(first), JSON.stringify(big)],
    );
    const firstBytes = first.join('\n').length + 1;
    expect(result).toEqual({
      message: `cannot write the uncertain file ${path}: EFBIG (file too large)`,
      after: { bytes: firstBytes, lines: 50 },
    });
    // No torn line: what fitted of the failed write is gone, the next write follows the first.
    expect(readFileSync(path, 'utf8')).toBe(`${[...first, 'LAST'].join('\n')}\n`);
  });

  it('a full disk names the list that could not be written', () => {
    const f = new UnsentFile('/dev/full', 0);
    expect(() => f.write(['A'])).toThrow(
      'cannot write the unsent file /dev/full: ENOSPC (no space left on device)',
    );
    expect([f.bytes, f.lines]).toEqual([0, 0]);
    f.close();
  });

  it('keeps the uncertain file to the journal’s length too, and names it as such', () => {
    const tmp = tempDir('astrosell-uncertain-');
    const path = join(tmp.dir, 'unsent.txt.uncertain');
    expect(() => new UnsentFile(path, 2, 'uncertain')).toThrow(
      /uncertain file .*unsent\.txt\.uncertain of the interrupted restock is gone: it listed serials whose outcome is unknown/,
    );
    // Written by a unit that was not committed before the stop: cut off.
    writeFileSync(path, 'U\nLATE\n');
    const f = new UnsentFile(path, 2, 'uncertain');
    f.write(['V']);
    expect(f.bytes).toBe(4);
    // A unit whose second write failed takes its first one back.
    f.write(['W']);
    f.rewind(4, 1);
    f.write(['X']);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe('U\nV\nX\n');
    tmp.cleanup();
  });
});
