// The journal's folder as `restocks list` and `abandon` see it: which files
// are journals, who holds one, and what a failed save or a removal leaves.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import {
  isJournalKey,
  Journal,
  type JournalState,
  journalKey,
  journalKeys,
} from '../../src/restock/journal.js';
import { tempDir } from '../helpers/cli.js';
import { journalState } from './journal-state.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

function folder(): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return dir;
}

const state = (key: string): JournalState =>
  journalState(key, { committedLine: 0, inflight: null });

describe('journalKeys: the restocks a folder holds', () => {
  it('lists each journal once, and nothing else the folder holds', () => {
    const dir = folder();
    const keys = ['w1', 'w2', 'w3', 'w4', 'w5'].map((id) =>
      journalKey('http://h/api/v1', 'warehouse', id, ['/in/a.txt']),
    );
    const [a, b] = keys as [string, string];
    for (const name of [
      ...keys.map((k) => `${k}.json`),
      `${b}.lock`, // b is running
      `${a}.json.tmp`, // a save cut short
      `old-${b}.json`, // journals moved away by hand
      `${a}.old.json`,
      `${a.slice(1)}.json`, // not a key: too short, or not hex
      `${a.toUpperCase()}x.json`,
      'x.json',
      `stdin-abandoned-${a}.txt`,
    ]) {
      writeFileSync(join(dir, name), '{}');
    }
    expect(journalKeys(dir)).toEqual([...keys].sort());
  });

  it('a key typed by hand (`restocks abandon <key>`) is one only if a journal could have it', () => {
    const key = journalKey('http://h/api/v1', 'warehouse', 'w1', ['/in/a.txt']);
    expect(isJournalKey(key)).toBe(true);
    for (const typed of [`../${key}`, `${key}/..`, key.slice(1), key.toUpperCase(), '', 'a']) {
      expect(isJournalKey(typed), typed).toBe(false);
    }
  });

  it('a folder not made yet holds none; one that cannot be read is an error, not "none"', () => {
    const dir = folder();
    expect(journalKeys(join(dir, 'restock'))).toEqual([]);
    writeFileSync(join(dir, 'file'), '');
    expect(() => journalKeys(join(dir, 'file'))).toThrow(/ENOTDIR/);
  });
});

describe('Journal.holder: the run holding a journal, as `restocks list` and `abandon` say it', () => {
  it('is the live process named in the lock', () => {
    const j = new Journal(folder(), 'k');
    j.lock();
    try {
      expect(j.holder()).toBe(process.pid);
    } finally {
      j.unlock();
    }
  });

  const none: Array<[string, string | undefined, boolean]> = [
    ['no lock', undefined, true],
    ['a lock whose process is gone', '4242 token\n', false],
    ['a lock naming pid 0 (the process group, to the system)', '0 token\n', true],
    ['a lock naming pid -1 (every process, to the system)', '-1 token\n', true],
    ['a lock naming no pid', 'garbage\n', true],
  ];
  for (const [what, text, systemSaysAlive] of none) {
    it(`none for ${what}`, () => {
      const j = new Journal(folder(), 'k');
      if (text !== undefined) writeFileSync(j.lockPath, text);
      expect(j.holder(() => systemSaysAlive)).toBeUndefined();
    });
  }
});

describe('Journal.lock: a second run of the same restock is refused', () => {
  it('with exit 1, the running pid, and which lock to remove if that run is gone', () => {
    const j = new Journal(folder(), 'k');
    writeFileSync(j.lockPath, '4242 token\n');
    let error: unknown;
    try {
      j.lock(process.pid, (pid) => pid === 4242);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      'another restock of the same target and input is running (pid 4242)',
    );
    expect((error as CliError).exitCode).toBe(1);
    expect((error as CliError).hint).toBe(
      `wait for it to finish; if it is gone, remove ${j.lockPath}`,
    );
  });
});

describe('Journal.save and remove leave no stray file', () => {
  it('a save cut short by a full disk keeps the previous journal and leaves no temp file', () => {
    const dir = folder();
    const j = new Journal(dir, 'k');
    const before = state('k');
    j.save(before);
    // The temp file lands on a full device.
    symlinkSync('/dev/full', `${j.path}.tmp`);
    expect(() => j.save({ ...before, committedLine: 9 })).toThrow(
      `cannot write the restock journal ${j.path}: ENOSPC (no space left on device)`,
    );
    expect(j.load()).toEqual(before);
    expect(readdirSync(dir)).toEqual(['k.json']);
  });

  it('a save that cannot replace the journal leaves no temp file', () => {
    const dir = folder();
    const j = new Journal(dir, 'k');
    // Something that is not a file took the journal's name.
    mkdirSync(join(j.path, 'x'), { recursive: true });
    expect(() => j.save(state('k'))).toThrow(`cannot write the restock journal ${j.path}`);
    expect(readdirSync(dir)).toEqual(['k.json']);
  });

  it('removing a journal removes the temp file a crash left beside it', () => {
    const dir = folder();
    const j = new Journal(dir, 'k');
    j.save(state('k'));
    writeFileSync(`${j.path}.tmp`, '{"version":');
    j.remove();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(j.path)).toBe(false);
  });
});
