// The restock tables built when their module loads — the UTF-8 decoder and
// the control-character class, the open order statuses, the reasons a
// settled serial is listed with, the spool name pattern — read through a
// fresh copy of the module inside the test (test/helpers/fresh.ts), so that
// mutation testing, which shares one module graph between tests, sees a
// mutant in them. The same behaviours are tested through plain imports in
// lines-exact, sales-exact, settle-unit and input-exact.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resources } from '../../src/api/resources/index.js';
import type { InStream } from '../../src/io.js';
import type * as Input from '../../src/restock/input.js';
import type * as Normalize from '../../src/restock/normalize.js';
import type * as Sales from '../../src/restock/sales.js';
import type * as Settle from '../../src/restock/settle.js';
import { freshImport } from '../helpers/fresh.js';
import { fakeShop, makeRun, target } from './fake-shop.js';

const fresh = <T>(path: string) => freshImport<T>(import.meta.url, path);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('normalize.ts', () => {
  it('blank lines, control characters, invalid UTF-8 and the line limit', async () => {
    const { normaliseLine, MAX_RAW_LINE_BYTES } = await fresh<typeof Normalize>(
      '../../src/restock/normalize.ts',
    );
    const line = (s: string | number[]) => {
      const b = typeof s === 'string' ? Buffer.from(s) : Buffer.from(s);
      return normaliseLine(b, 0, b.length, false);
    };
    expect(MAX_RAW_LINE_BYTES).toBe(65_536);
    expect(line('   ')).toEqual({ kind: 'blank' });
    expect(line(' KEY-1 ')).toEqual({ kind: 'serial', value: 'KEY-1' });
    expect(line('café')).toEqual({ kind: 'serial', value: 'café' });
    for (const bad of ['A\u0001B', 'A\u001fB', 'A\u007fB', 'caf\u0085é', 'A\u009fB']) {
      expect(line(bad)).toEqual({ kind: 'rejected', reason: 'contains a control character' });
    }
    expect(line('A\u00a0B')).toEqual({ kind: 'serial', value: 'A\u00a0B' });
    expect(line([0x41, 0xff, 0x42])).toEqual({ kind: 'rejected', reason: 'is not valid UTF-8' });
    // A byte-order mark on a line other than the file's first is not dropped
    // by the decoder: the line is refused, as the service would drop it.
    expect(line([0xef, 0xbb, 0xbf, 0x41])).toEqual({
      kind: 'rejected',
      reason: 'starts with a byte-order mark',
    });
  });
});

describe('sales.ts', () => {
  it('reads the newest page and the two open statuses, pending and processing', async () => {
    const { takeSnapshot } = await fresh<typeof Sales>('../../src/restock/sales.ts');
    const asked: Array<string | undefined> = [];
    const shop = {
      orders: {
        list: async (q: { status?: string }) => {
          asked.push(q.status);
          return { data: [] };
        },
      },
    } as unknown as Resources;
    await takeSnapshot(shop, new AbortController().signal);
    expect(asked).toEqual([undefined, 'pending', 'processing']);
  });
});

describe('settle.ts', () => {
  it('lists serials left by a full pool as "pool full"', async () => {
    const { settleUnit } = await fresh<typeof Settle>('../../src/restock/settle.ts');
    const s = fakeShop({ add: () => ({ added: 1, total: 5, truncated: false, capped: true }) });
    const o = await settleUnit(makeRun(s, { batchSize: 3, target: target({ dedup: false }) }), [
      'A',
      'B',
      'C',
    ]);
    expect(o.unsent).toEqual([
      { serial: 'B', reason: 'pool full' },
      { serial: 'C', reason: 'pool full' },
    ]);
    expect(o.end).toEqual({ kind: 'capped', reason: 'pool full' });
  });

  it('lists serials the service kept truncating without storing with that reason', async () => {
    const { settleUnit } = await fresh<typeof Settle>('../../src/restock/settle.ts');
    const idle = 'not stored: the service kept truncating without storing anything';
    const s = fakeShop({ add: () => ({ added: 0, total: 0, truncated: true, capped: false }) });
    const o = await settleUnit(makeRun(s, { batchSize: 2, target: target({ dedup: false }) }), [
      'A',
      'B',
    ]);
    expect(o.unsent).toEqual([
      { serial: 'A', reason: idle },
      { serial: 'B', reason: idle },
    ]);
    expect(o.end).toEqual({ kind: 'idle', reason: idle });
  });
});

describe('input.ts', () => {
  it('clears the stdin spools of dead runs only, by their exact name', async () => {
    const { prepareInput } = await fresh<typeof Input>('../../src/restock/input.ts');
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => child.on('exit', r));
    const dead = child.pid as number;
    const dir = mkdtempSync(join(tmpdir(), 'astrosell-tables-'));
    dirs.push(dir);
    const spoolDir = join(dir, 'restock');
    mkdirSync(spoolDir);
    const stale = [`stdin-${dead}-ab12.spool`, `stdin-${dead}-0.spool`];
    const kept = [
      `stdin-${process.pid}-ab.spool`,
      'stdin-0-ab.spool',
      `xstdin-${dead}-ab.spool`,
      `stdin-${dead}-ab.spool.bak`,
      `stdin-${dead}-zz.spool`,
      `stdin-${dead}-.spool`,
      `stdin-x${dead}-ab.spool`,
    ];
    for (const f of [...stale, ...kept]) writeFileSync(join(spoolDir, f), 'K\n');
    const stdin = Readable.from(['A1\n']) as unknown as InStream;
    const r = await prepareInput([], { stdin, spoolDir, stopAtFirstBad: true });
    r.cleanup();
    expect(readdirSync(spoolDir).sort()).toEqual([...kept].sort());
  });
});
