// The restock commands in-process through main() against a sandbox (signals and exit live in faults.e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { readUnsent, restockSummary, type Shop, serials, shop } from './e2e.js';

let s: Shop;
beforeAll(async () => {
  s = await shop();
});
afterAll(async () => {
  await s.close();
});

describe('restock: input handling', () => {
  it('CRLF, BOM, blank lines, spaces and no final newline give the same serials as the clean file', async () => {
    const want = ['GC-AAAA-0001', 'GC-AAAA-0002', 'Gift €5 日本', 'GC-AAAA-0004'];
    const clean = s.file('clean.txt', `${want.join('\n')}\n`);
    const messy = s.file(
      'messy.txt',
      `\ufeff  GC-AAAA-0001\r\n\r\n\t\r\nGC-AAAA-0002  \r\n   Gift €5 日本\t\r\n\nGC-AAAA-0004`,
    );
    const w1 = s.warehouse();
    const w2 = s.warehouse();
    const a = await runMain(['warehouses', 'restock', w1, clean, '--json'], { env: s.env });
    const b = await runMain(['warehouses', 'restock', w2, messy, '--json'], { env: s.env });
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(s.items(w1)).toEqual(want);
    expect(s.items(w2)).toEqual(want);
    const summary = restockSummary(b);
    expect(summary).toMatchObject({
      lines: 7,
      blank: 3,
      sent: 4,
      added: 4,
      unsent: 0,
      rejected: 0,
    });
  });

  it('reads standard input when no file (or -) is named, across several files in order', async () => {
    const w = s.warehouse();
    const r = await runMain(['warehouses', 'restock', w, '--json'], {
      env: s.env,
      input: 'P1\nP2\r\nP3',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(restockSummary(r)).toMatchObject({ lines: 3, sent: 3, added: 3 });
    expect(s.items(w)).toEqual(['P1', 'P2', 'P3']);
    const f = s.file('first.txt', 'F1\nF2\n');
    const r2 = await runMain(['warehouses', 'restock', w, f, '-'], { env: s.env, input: 'P4\n' });
    expect(r2.code, r2.stderr).toBe(0);
    expect(s.items(w)).toEqual(['P1', 'P2', 'P3', 'F1', 'F2', 'P4']);
    expect(r2.stdout).toBe('');
    expect(r2.stderr).toMatch(/complete/);
  });

  it('a bad line is exit 2 naming file and line, and nothing is sent', async () => {
    const w = s.warehouse();
    const good = s.file('good.txt', 'OK-1\nOK-2\n');
    const bad = s.file('bad.txt', 'OK-3\nOK-\u00004\n');
    const r = await runMain(['warehouses', 'restock', w, good, bad], { env: s.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.txt, line 2: contains a control character; nothing was sent/);
    expect(r.stderr).not.toMatch(/OK-/);
    expect(s.items(w)).toEqual([]);
    const inv = s.file('inv.txt', Buffer.from([0x41, 0x0a, 0x42, 0xff, 0x0a]));
    const r2 = await runMain(['warehouses', 'restock', w, inv], { env: s.env });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/inv\.txt, line 2: is not valid UTF-8/);
    const r3 = await runMain(['warehouses', 'restock', w], {
      env: s.env,
      input: `x\n${'y'.repeat(5000)}\n`,
    });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/standard input, line 2: longer than 1024 bytes/);
    expect(s.items(w)).toEqual([]);
  });

  it('a missing file is reported before anything is sent', async () => {
    const w = s.warehouse();
    const good = s.file('good2.txt', 'M1\n');
    const r = await runMain(['warehouses', 'restock', w, good, `${s.dir}/nope.txt`], {
      env: s.env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.txt: no such file/);
    expect(s.items(w)).toEqual([]);
  });

  it('--remove-duplicates drops repeats in the input and passes the option; --dry-run sends nothing', async () => {
    const w = s.warehouse({ removeDuplicates: false });
    const f = s.file('dups.txt', 'D1\nD2\nD1\n\nD3\nD2\n');
    const dry = await runMain(
      ['warehouses', 'restock', w, f, '--dry-run', '--remove-duplicates', '--json'],
      {
        env: s.env,
      },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(restockSummary(dry)).toMatchObject({
      dryRun: true,
      lines: 6,
      blank: 1,
      duplicates: 2,
      wouldSend: 3,
    });
    expect(s.items(w)).toEqual([]);
    const r = await runMain(['warehouses', 'restock', w, f, '--remove-duplicates', '--json'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(s.items(w)).toEqual(['D1', 'D2', 'D3']);
    // Already in the pool: the service drops them (its removeDuplicates option).
    const again = await runMain(['warehouses', 'restock', w, f, '--remove-duplicates', '--json'], {
      env: s.env,
    });
    expect(restockSummary(again)).toMatchObject({ sent: 3, added: 0 });
    expect(s.items(w)).toEqual(['D1', 'D2', 'D3']);
  });

  it('restocks a product through /products/:id/stock', async () => {
    const w = s.warehouse();
    const p = { id: s.product(w) };
    const input = serials(2500, 'PR');
    const f = s.file('prod.txt', input.join('\n'));
    const r = await runMain(['products', 'restock', p.id, f, '--json', '--batch-size', '1000'], {
      env: s.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(restockSummary(r)).toMatchObject({ sent: 2500, batches: 3, poolTotal: 2500 });
    expect(s.items(w)).toEqual(input);
    const svc = s.sandbox.store.createProduct({
      title: 'S',
      price: 1,
      type: 'service',
      currency: 'USD',
      visibility: 'public',
      purchaseNote: null,
    });
    const r2 = await runMain(['products', 'restock', svc.id, f], { env: s.env });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/only serials products/);
    const r3 = await runMain(['warehouses', 'restock', 'ffffffffffffffffffffffff', f], {
      env: s.env,
    });
    expect(r3.code).toBe(4);
  });

  it('capped: what did not fit is in the unsent file, exit 7, and nothing more is sent', async () => {
    s.sandbox.setLimits({ maxPool: 130 });
    try {
      const w = s.warehouse();
      const input = serials(500, 'CAP');
      const f = s.file('cap.txt', input.join('\n'));
      const unsentPath = `${s.dir}/cap-unsent.txt`;
      const r = await runMain(
        [
          'warehouses',
          'restock',
          w,
          f,
          '--batch-size',
          '50',
          '--unsent-file',
          unsentPath,
          '--json',
        ],
        { env: s.env },
      );
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toMatch(
        /error: 370 serials were not stored \(370 pool full\); they are listed in .*cap-unsent\.txt/,
      );
      const summary = restockSummary(r);
      expect(summary).toMatchObject({ sent: 130, unsent: 370, batches: 3, lines: 500 });
      // Known not stored: nothing of unknown outcome, no uncertain file.
      expect(summary).toMatchObject({ uncertain: 0, uncertainFile: null });
      expect(r.stderr).toMatch(/hint: the unsent file can be restocked once the pool has room/);
      expect(s.items(w)).toEqual(input.slice(0, 130));
      expect(readUnsent(unsentPath)).toEqual(input.slice(130));
      const { existsSync } = await import('node:fs');
      expect(existsSync(`${unsentPath}.uncertain`)).toBe(false);
      const { statSync } = await import('node:fs');
      expect(statSync(unsentPath).mode & 0o777).toBe(0o600);
    } finally {
      s.sandbox.setLimits({ maxPool: 5_000_000 });
    }
  });

  it('truncated: halves the batch size and resends only what was not stored', async () => {
    s.sandbox.setLimits({ maxLines: 30 });
    try {
      const w = s.warehouse({ removeDuplicates: false });
      const input = serials(400, 'TR');
      const f = s.file('tr.txt', input.join('\n'));
      const r = await runMain(['warehouses', 'restock', w, f, '--batch-size', '100', '--json'], {
        env: s.env,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(s.items(w)).toEqual(input);
      const summary = restockSummary(r);
      expect(summary.batchSize).toBeLessThanOrEqual(30);
      expect(summary).toMatchObject({ sent: 400, added: 400, unsent: 0 });
    } finally {
      s.sandbox.setLimits({ maxLines: 100_000 });
    }
  });
});
