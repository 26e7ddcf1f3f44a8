// The restock summary as printed, for each way a run ends: the report on
// stderr line by line, and the JSON object with --json.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeSummary } from '../../src/commands/restock-summary.js';
import type { Context } from '../../src/context.js';
import type { IO } from '../../src/io.js';
import type { Summary } from '../../src/restock/summary.js';

function sink() {
  const s = Object.assign(new PassThrough(), { text: '' });
  s.write = ((chunk: string) => {
    s.text += String(chunk);
    return true;
  }) as typeof s.write;
  return s;
}

function ctxWith(json: boolean) {
  const stdout = sink();
  const stderr = sink();
  const io: IO = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    color: false,
    columns: 80,
    canPrompt: false,
  };
  const ctx = { io, globals: { json } } as unknown as Context;
  return { ctx, stdout, stderr };
}

function summary(over: Partial<Summary> = {}): Summary {
  return {
    target: { type: 'product', id: 'prod_1' },
    status: 'complete',
    dryRun: false,
    resumed: false,
    removeDuplicates: null,
    removeDuplicatesFrom: null,
    lines: 1200,
    blank: 3,
    rejected: 2,
    duplicates: 5,
    sent: 1190,
    added: 1180,
    droppedByPool: 0,
    foundStored: 0,
    soldDuringReconcile: 0,
    unsent: 0,
    uncertain: 0,
    batches: 3,
    unsentReasons: {},
    poolTotal: null,
    batchSize: 500,
    unsentFile: null,
    uncertainFile: null,
    journal: null,
    durationMs: 2000,
    ...over,
  } as Summary;
}

function report(s: Summary, json = false, stderrOnly = false) {
  const { ctx, stdout, stderr } = ctxWith(json);
  writeSummary(ctx, s, stderrOnly);
  return { out: stdout.text, err: stderr.text };
}

describe('restock summary report', () => {
  it('a complete run: only the rows that apply, aligned, rate over the duration', () => {
    const { out, err } = report(summary());
    expect(out).toBe('');
    expect(err).toBe(
      [
        'restock of product prod_1: complete',
        '  lines read  1,200',
        '  blank       3',
        '  rejected    2',
        '  duplicates  5 (repeats in the input, dropped)',
        '  sent        1,190 in 3 requests (595/s)',
        "  added       1,180 (the service's count)",
        '  unsent      0 (not stored)',
        '',
      ].join('\n'),
    );
  });

  it('one request; a zero duration gives a zero rate; pool total 0 still shown', () => {
    const { err } = report(
      summary({ batches: 1, sent: 7, added: 7, durationMs: 0, poolTotal: 0, lines: 7 }),
    );
    expect(err).toContain('  sent        7 in 1 request (0/s)\n');
    expect(err).toContain('  pool total  0\n');
  });

  it('a sub-second run: rate per second, rounded', () => {
    const { err } = report(summary({ sent: 10, durationMs: 400 }));
    expect(err).toContain('  sent        10 in 3 requests (25/s)\n');
    const neg = report(summary({ sent: 10, durationMs: -5 }));
    expect(neg.err).toContain('  sent        10 in 3 requests (0/s)\n');
  });

  it('a partial run with every row', () => {
    const { err } = report(
      summary({
        status: 'partial',
        droppedByPool: 1234,
        foundStored: 2,
        soldDuringReconcile: 1,
        unsent: 4,
        uncertain: 6,
        poolTotal: 98765,
      }),
    );
    expect(err).toBe(
      [
        'restock of product prod_1: partial',
        '  lines read           1,200',
        '  blank                3',
        '  rejected             2',
        '  duplicates           5 (repeats in the input, dropped)',
        '  sent                 1,190 in 3 requests (595/s)',
        "  added                1,180 (the service's count)",
        '  already in the pool  1,234 (dropped by the pool as present or repeated)',
        '  found stored         2 (no answer said so; found in the pool on read-back)',
        '  sold meanwhile       1 (of found stored)',
        '  unsent               4 (not stored)',
        '  uncertain            6 (outcome unknown: may be in the pool)',
        '  pool total           98,765',
        '',
      ].join('\n'),
    );
  });

  it('an interrupted run: what was not sent and what is in flight', () => {
    const { err } = report(
      summary({ status: 'interrupted', notSent: 5000, inflight: 500, uncertain: 0 }),
    );
    expect(err).toBe(
      [
        'restock of product prod_1: interrupted',
        '  lines read    1,200',
        '  blank         3',
        '  rejected      2',
        '  duplicates    5 (repeats in the input, dropped)',
        '  sent          1,190 in 3 requests (595/s)',
        "  added         1,180 (the service's count)",
        '  unsent        0 (not stored)',
        '  not yet sent  5,000 (listed in the unsent file)',
        '  in flight     500 (listed in the uncertain file; --resume settles them)',
        '',
      ].join('\n'),
    );
  });

  it('a stopped run whose lists could not be written does not claim they hold its serials', () => {
    const { err } = report(
      summary({
        status: 'failed',
        notSent: 1400,
        inflight: 500,
        unlisted: { notSent: 1400, inflight: 200 },
      }),
    );
    const rows = err.split('\n');
    expect(rows).toContain('  not yet sent  1,400 (could not be listed; the journal keeps them)');
    expect(rows).toContain(
      '  in flight     500 (300 listed in the uncertain file, 200 could not be; the journal keeps them; --resume settles them)',
    );
  });

  it('a resumed run: its own part, and the rate from it', () => {
    const { err } = report(
      summary({
        status: 'failed',
        resumed: true,
        thisRun: {
          lines: 1000,
          sent: 900,
          added: 880,
          droppedByPool: 10,
          foundStored: 4,
          unsent: 3,
          uncertain: 2,
          batches: 2,
        },
        durationMs: 3000,
      }),
    );
    expect(err).toBe(
      [
        'restock of product prod_1: failed (resumed; counts include the earlier run, "this run" is its own part)',
        '  lines read  1,200',
        '  blank       3',
        '  rejected    2',
        '  duplicates  5 (repeats in the input, dropped)',
        '  sent        1,190 in 3 requests (300/s)',
        "  added       1,180 (the service's count)",
        '  unsent      0 (not stored)',
        '  this run    1,000 lines settled: sent 900, added 880, already in the pool 10, found stored 4, unsent 3, uncertain 2',
        '',
      ].join('\n'),
    );
  });

  it('a dry run: what would be sent, nothing about sending', () => {
    const { err } = report(
      summary({ dryRun: true, wouldSend: 4321, droppedByPool: 9, thisRun: undefined }),
    );
    expect(err).toBe(
      [
        'dry run: nothing was sent to product prod_1',
        '  lines read  1,200',
        '  blank       3',
        '  rejected    2',
        '  duplicates  5 (repeats in the input, dropped)',
        '  would send  4,321',
        '',
      ].join('\n'),
    );
    const none = report(summary({ dryRun: true, target: { type: 'pool', id: 'p9' } }));
    expect(none.err).toBe(
      [
        'dry run: nothing was sent to pool p9',
        '  lines read  1,200',
        '  blank       3',
        '  rejected    2',
        '  duplicates  5 (repeats in the input, dropped)',
        '  would send  0',
        '',
      ].join('\n'),
    );
  });
});

describe('restock summary --json', () => {
  it('one indented object on stdout', () => {
    const s = summary({ status: 'partial', uncertain: 1 });
    const { out, err } = report(s, true);
    expect(err).toBe('');
    expect(out).toBe(`${JSON.stringify(s, null, 2)}\n`);
  });
  it('create commands (stderr only) print the report even with --json', () => {
    const { out, err } = report(summary(), true, true);
    expect(out).toBe('');
    expect(err.split('\n')[0]).toBe('restock of product prod_1: complete');
  });
});
