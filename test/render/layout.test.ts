// What a terminal reader sees, byte for byte: the table's spacing and
// alignment, a section's and a detail's layout, which columns give way on a
// narrow terminal, and how money, times and values are written at their edges.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIO } from '../../src/io.js';
import { money, relativeTime, text, truncate } from '../../src/render/format.js';
import { type Column, createTableRenderer, fitWidths, layout } from '../../src/render/output.js';

class Sink extends Writable {
  text = '';
  constructor(
    public isTTY: boolean,
    public columns?: number,
  ) {
    super();
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

function terminal(columns = 80, color = false) {
  const stdout = new Sink(true, columns);
  const stderr = new Sink(true);
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const io = createIO({ stdin, stdout, stderr }, color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }, {
    color: undefined,
    noInput: false,
  });
  return { io, stdout, stderr };
}

interface Row {
  id: string;
  n: number;
}
const COLS: Column<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'n', value: (r) => String(r.n), align: 'right', tone: (r) => (r.n ? 'plain' : 'bad') },
];

describe('the table on a terminal', () => {
  it('no borders, two spaces between columns, header upper-cased, right alignment kept', async () => {
    const t = terminal();
    const r = await createTableRenderer(t.io);
    r.list(
      [
        { id: 'a', n: 5 },
        { id: 'bbb', n: 10 },
      ],
      COLS,
    );
    expect(t.stdout.text).toBe('ID    N\na     5\nbbb  10\n');
  });

  it('a tone paints the cell, plain leaves it alone', async () => {
    const t = terminal(80, true);
    const r = await createTableRenderer(t.io);
    r.list(
      [
        { id: 'a', n: 0 },
        { id: 'b', n: 1 },
      ],
      COLS,
    );
    const lines = t.stdout.text.split('\n');
    expect(lines[1]).toBe('a   \u001b[31m0\u001b[39m');
    expect(lines[2]).toBe('b   1');
  });

  it('an empty list says so on stderr, by default or as told', async () => {
    const t = terminal();
    const r = await createTableRenderer(t.io);
    r.list([], COLS);
    r.list([], COLS, { empty: 'No coupons.' });
    expect(t.stdout.text).toBe('');
    expect(t.stderr.text).toBe('No results.\nNo coupons.\n');
  });

  it('a section: a blank line, the title, the lines indented by two; (none) when empty', async () => {
    const t = terminal();
    const r = await createTableRenderer(t.io);
    r.section('Items', ['A', 'B']);
    r.section('Empty', []);
    expect(t.stdout.text).toBe('\nItems\n  A\n  B\n\nEmpty\n  (none)\n');
  });

  it('a detail: keys padded to the longest', async () => {
    const t = terminal();
    const r = await createTableRenderer(t.io);
    r.detail([
      ['id', 'x'],
      ['title', 'y'],
    ]);
    expect(t.stdout.text).toBe('id:    x\ntitle: y\n');
  });
});

describe('widths', () => {
  it('fitWidths shrinks the widest shrinkable column first, never below the minimum', () => {
    expect(fitWidths([10, 30, 20], [true, true, true], 40)).toEqual([10, 8, 18]);
    expect(fitWidths([30, 30], [false, true], 40)).toEqual([30, 8]);
    expect(fitWidths([30, 30], [false, false], 40)).toEqual([30, 30]);
    expect(fitWidths([9, 9], [true, true], 16, 2, 8)).toEqual([8, 8]);
    // The first of two equally wide columns gives way.
    expect(fitWidths([20, 20], [true, true], 38)).toEqual([16, 20]);
  });

  it('layout drops the highest drop rank first', () => {
    const cols = [
      { natural: 30, shrink: false },
      { natural: 30, shrink: false, drop: 1 },
      { natural: 30, shrink: false, drop: 2 },
    ];
    expect(layout(cols, 70)).toEqual({ keep: [0, 1], widths: [30, 30] });
    expect(layout(cols, 40).keep).toEqual([0]);
  });
});

describe('formatters at their edges', () => {
  it('money: only finite numbers; USD when the currency is missing or empty', () => {
    expect(money(5, 'EUR')).toBe('5.00 EUR');
    expect(money(5, '')).toBe('5.00 USD');
    expect(money(5, 7)).toBe('5.00 USD');
    expect(money(5, undefined)).toBe('5.00 USD');
    expect(money(Number.NaN, 'EUR')).toBe('');
    expect(money(Number.POSITIVE_INFINITY, 'EUR')).toBe('');
    expect(money('5', 'EUR')).toBe('');
  });

  it('relativeTime: empty or not a string is blank; unparsable is as given; the one-minute edge', () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    expect(relativeTime('', now)).toBe('');
    expect(relativeTime(42, now)).toBe('');
    expect(relativeTime('not a date', now)).toBe('not a date');
    expect(relativeTime('2026-06-01T12:00:00.000Z', now)).toBe('just now');
    expect(relativeTime('2026-06-01T11:59:00.001Z', now)).toBe('just now');
    expect(relativeTime('2026-06-01T12:00:59.999Z', now)).toBe('in under a minute');
    expect(relativeTime('2026-06-01T11:59:00.000Z', now)).toBe('1 minute ago');
    expect(relativeTime('2026-06-01T12:01:00.000Z', now)).toBe('in 1 minute');
  });

  it('text: numbers and booleans as written, objects as JSON, nothing as blank', () => {
    expect(text(0)).toBe('0');
    expect(text(false)).toBe('false');
    expect(text(true)).toBe('true');
    expect(text(1.5)).toBe('1.5');
    expect(text(Number.NaN)).toBe('NaN'); // JSON.stringify would say null
    expect(text({ a: 1 })).toBe('{"a":1}');
    expect(text(null)).toBe('');
    expect(text(undefined)).toBe('');
  });

  it('truncate: one column or none leaves no room for an ellipsis', () => {
    expect(truncate('abc', 1)).toBe('a');
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', 2)).toBe('a…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});
