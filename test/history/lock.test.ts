// The history's lock: a live holder makes the next one wait, then stop with
// a line naming it; a dead holder's lock, and the folder SQLite's own lock
// leaves behind, block nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { History } from '../../src/history/db.js';
import { tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let file: string;
beforeEach(() => {
  tmp = tempDir('astrosell-history-lock-');
  file = join(tmp.dir, 'h.sqlite');
});
afterEach(() => tmp.cleanup());

const open = (waitMs = 5_000, onWait?: () => void) =>
  History.open(file, { create: true, label: 'test', clock: systemClock, waitMs, onWait });

describe('the history lock', () => {
  it('a live holder: the next one says it waits, then stops naming the holder', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
      stdio: 'ignore',
    });
    try {
      writeFileSync(`${file}.astrosell-lock`, `${holder.pid} 0123456789abcdef orders sync\n`);
      let waited = 0;
      await expect(open(300, () => waited++)).rejects.toThrow(
        `the order history ${file} is in use by another astrosell (pid ${holder.pid}, orders sync)`,
      );
      expect(waited).toBe(1);
    } finally {
      holder.kill();
    }
  });

  it("a dead holder's lock and SQLite's leftover lock folder are cleared; the orders stay", async () => {
    const h = await open();
    h.transaction(() =>
      h.upsert(
        [
          {
            invoiceId: 'AS-1',
            json: '{"invoiceId":"AS-1"}',
            createdAt: '2026-06-01T00:00:00Z',
            status: 'completed',
            productId: null,
            productTitle: null,
            quantity: 1,
            total: 1,
            currency: 'USD',
            gateway: 'stripe',
            delivered: 0,
          },
        ],
        0,
      ),
    );
    h.close();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(`${file}.astrosell-lock`, `${dead.pid} 0123456789abcdef orders sync\n`);
    mkdirSync(`${file}.lock`);
    const again = await open(1_000);
    try {
      expect(again.count()).toBe(1);
    } finally {
      again.close();
    }
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(existsSync(`${file}.astrosell-lock`)).toBe(false);
  });
});
