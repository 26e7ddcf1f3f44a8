// drive() against a fake service and journal: a journal write that fails
// mid-run stops the run, and every line not settled is still handed to the
// not-yet-sent tail (none dropped between the read-ahead and the send).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import type { Context } from '../../src/context.js';
import { CliError } from '../../src/errors.js';
import { drive } from '../../src/restock/drive.js';
import { finish } from '../../src/restock/finish.js';
import { emptyCounters, type Journal, type JournalState } from '../../src/restock/journal.js';
import type { Run } from '../../src/restock/run.js';
import { SerialSource } from '../../src/restock/source.js';
import type { UnsentFile } from '../../src/restock/unsent.js';
import { tempDir } from '../helpers/cli.js';
import { freshState } from './helpers.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d();
});

describe('drive', () => {
  it('a journal write failing mid-run: settled lines + the units left to the tail = the input read so far', async () => {
    const tmp = tempDir();
    dirs.push(tmp.cleanup);
    const path = join(tmp.dir, 'in.txt');
    const lines = Array.from({ length: 300 }, (_, i) => `S${i}`);
    writeFileSync(path, lines.join('\n'));
    const source = new SerialSource(
      [{ name: path, readPath: path, size: 0, sha256: '' }],
      undefined,
    );
    let saves = 0;
    const journal = {
      async saveAsync() {
        // The first write lands; the second finds the disk full.
        if (saves++ > 0)
          throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
      },
    } as unknown as Journal;
    const sent: string[] = [];
    const api = {
      baseUrl: 'http://127.0.0.1/api/v1',
      async request(req: { rawBody: Buffer | string }) {
        const stock = (JSON.parse(req.rawBody.toString()) as { stock: string }).stock.split('\n');
        sent.push(...stock);
        const text = JSON.stringify({ added: stock.length, total: sent.length });
        return { status: 200, headers: {}, text, durationMs: 0, attempts: 1 };
      },
    } as unknown as ApiClient;
    const state = freshState();
    const run = {
      ctx: {
        clock: { now: () => 0, sleep: async () => {} },
        signal: new AbortController().signal,
      } as unknown as Context,
      api,
      target: { kind: 'warehouse', id: 'w', poolRemoveDuplicates: false, removeSold: false },
      state,
      journal,
      unsent: { bytes: 0, write() {} } as unknown as UnsentFile,
      uncertain: { bytes: 0, write() {} } as unknown as UnsentFile,
      source,
      progress: { update() {}, note() {}, stop() {} },
      sendSignal: new AbortController().signal,
      requestDedup: undefined,
      effectiveDedup: false,
      capped: false,
      uncommitted: [],
      inflightSerials: 0,
      flushJournal: async () => {},
      requests: 0,
      startCounters: emptyCounters(),
      totalLines: 300,
    } as unknown as Run;
    const outcome = await drive(run);
    source.close();
    expect(outcome.kind).toBe('stopped');
    expect(saves).toBe(2);
    expect(state.inflight).toBeNull();
    expect(sent).toEqual(lines.slice(0, state.committedLine));
    // The units left over run, without a gap, from the settled point to where the source stands.
    let at = state.committedLine;
    for (const u of run.uncommitted) {
      expect(u.fromLine).toBe(at);
      at = u.toLine;
    }
    expect(at).toBe(source.line);
  });
});

describe('finish', () => {
  it('a stopped run whose last journal write fails still lists the serials not yet sent', async () => {
    const tmp = tempDir();
    dirs.push(tmp.cleanup);
    const path = join(tmp.dir, 'in.txt');
    writeFileSync(path, 'A\nB\nC\n');
    const source = new SerialSource(
      [{ name: path, readPath: path, size: 0, sha256: '' }],
      undefined,
    );
    const written: string[] = [];
    let stderr = '';
    const run = {
      ctx: {
        clock: { now: () => 0 },
        globals: { json: false },
        io: { stderr: { write: (x: string) => (stderr += x) } },
      } as unknown as Context,
      state: {
        batchSize: 10,
        committedLine: 0,
        inflight: null,
        counters: emptyCounters(),
        unsentFile: join(tmp.dir, 'unsent.txt'),
        unsentBytes: 0,
        poolTotal: null,
      } as unknown as JournalState,
      journal: {
        path: join(tmp.dir, 'j.json'),
        save() {
          throw new Error('ENOSPC: no space left on device');
        },
      } as unknown as Journal,
      unsent: {
        exists: true,
        write: (s: readonly string[]) => written.push(...s),
      } as unknown as UnsentFile,
      uncertain: { exists: false, bytes: 0, write() {} } as unknown as UnsentFile,
      source,
      uncommitted: [],
      inflightSerials: 0,
      flushJournal: async () => {},
      requests: 1,
      startCounters: emptyCounters(),
      totalLines: 3,
    } as unknown as Run;
    const failure = new CliError('network down', 6);
    const err = await finish(
      run,
      { kind: 'warehouse', id: 'w', files: [path] },
      { kind: 'stopped', error: failure },
      false,
      0,
    ).catch((e: unknown) => e as Error);
    source.close();
    expect(written).toEqual(['A', 'B', 'C']);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(6);
    expect((err as Error).message).toMatch(
      /network down; 3 serials not yet sent are listed in .*unsent\.txt; the journal could not be updated \(ENOSPC/,
    );
  });
});
