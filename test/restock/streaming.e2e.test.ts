// The contract: restock streams; memory does not grow with the input. The
// built CLI restocks 200,000 and then 2,000,000 serials (ten times as many)
// into a real sandbox pool; its peak resident memory for the larger input
// may exceed that for the smaller by at most MARGIN_KB (50 MB). Measured:
// about +30 MB, the heap settling into its working size (a dry run of 4M
// lines peaks where 2M does). Holding the 2M serials whole would add at
// least 80 MB (2M strings of ~32 bytes each, plus a pointer each in an
// array), well past the margin.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT } from '../helpers/cli.js';
import { restockSummary, type Shop, shop } from './e2e.js';

const MARGIN_KB = 50 * 1024;
const PRELOAD = join(ROOT, 'test', 'helpers', 'max-rss.cjs');

let s: Shop;
beforeAll(async () => {
  s = await shop();
});
afterAll(() => s.close());

async function writeSerials(path: string, n: number, prefix: string): Promise<void> {
  const out = createWriteStream(path);
  const per = 10_000;
  for (let i = 0; i < n; i += per) {
    let chunk = '';
    for (let j = i; j < Math.min(n, i + per); j++)
      chunk += `${prefix}${String(j).padStart(8, '0')}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, reject) => out.end((e?: Error | null) => (e ? reject(e) : r())));
}

/** Restock `n` serials through the built CLI; its summary and peak RSS in KB. */
async function restock(n: number, prefix: string) {
  const w = s.warehouse({ removeDuplicates: false });
  const file = join(s.dir, `${prefix}.txt`);
  await writeSerials(file, n, prefix);
  const rssFile = join(s.dir, `${prefix}.rss`);
  const child = spawn(
    process.execPath,
    [
      // The young generation at one size in both runs: V8 sizes it by how
      // busy the heap is, up to a constant that differs between Node lines
      // (Node 24's is larger). That is a bounded, fixed cost, not growth with
      // the input, which is what this compares.
      '--max-semi-space-size=16',
      '-r',
      PRELOAD,
      BIN,
      'warehouses',
      'restock',
      w,
      file,
      '--batch-size',
      '10000',
      '--json',
    ],
    {
      env: cleanEnv({ ...s.env, ASTROSELL_TEST_RSS_FILE: rssFile }),
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  expect(code, stderr).toBe(0);
  const summary = restockSummary({ stdout, stderr });
  expect(summary).toMatchObject({ lines: n, sent: n, added: n, unsent: 0, uncertain: 0 });
  expect(s.items(w)).toHaveLength(n);
  // Let the sandbox drop the pool before the next run.
  s.sandbox.store.warehouses.delete(w);
  return Number(readFileSync(rssFile, 'utf8'));
}

describe('restock streams its input', () => {
  it(`peak memory for 2M lines is within ${MARGIN_KB / 1024} MB of that for 200k`, async () => {
    const small = await restock(200_000, 'S');
    const large = await restock(2_000_000, 'L');
    expect(
      large - small,
      `peak RSS: 200k lines ${small} KB, 2M lines ${large} KB`,
    ).toBeLessThanOrEqual(MARGIN_KB);
  }, 240_000);
});
