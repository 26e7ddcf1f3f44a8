import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { GlobalOptions, IO } from '../../src/context.js';
import { colorEnabled, createIO } from '../../src/io.js';
import {
  type Column,
  createTableRenderer,
  createTsvRenderer,
  fitWidths,
  layout,
  writeJsonBody,
  writeJsonValue,
} from '../../src/render/output.js';

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

function io(opts: { tty: boolean; columns?: number; env?: NodeJS.ProcessEnv; color?: boolean }) {
  const stdout = new Sink(opts.tty, opts.columns);
  const stderr = new Sink(opts.tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty });
  const globals: Pick<GlobalOptions, 'color' | 'noInput'> = { color: opts.color, noInput: false };
  return { io: createIO({ stdin, stdout, stderr }, opts.env ?? {}, globals), stdout, stderr };
}

interface Row {
  id: string;
  title: string;
  stock: number;
}
const ROWS: Row[] = [
  { id: 'p1', title: 'Netflix Premium 1 Month with a rather long title indeed', stock: 0 },
  { id: 'p2', title: 'Tab\there\nand newline', stock: 12 },
];
const COLUMNS: Column<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'title', value: (r) => r.title, shrink: true },
  {
    header: 'stock',
    value: (r) => String(r.stock),
    align: 'right',
    tone: (r) => (r.stock === 0 ? 'bad' : 'plain'),
  },
];
const ESC = '\u001b[';

describe('colorEnabled', () => {
  it('follows the terminal by default', () => {
    expect(colorEnabled({}, true, undefined)).toBe(true);
    expect(colorEnabled({}, false, undefined)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' }, true, undefined)).toBe(false);
  });
  it('NO_COLOR (non-empty) turns it off, even with FORCE_COLOR', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, true, undefined)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, true, undefined)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, true, undefined)).toBe(true);
  });
  it('FORCE_COLOR turns it on off a terminal; 0/false turn it off', () => {
    expect(colorEnabled({ FORCE_COLOR: '1' }, false, undefined)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '' }, false, undefined)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, true, undefined)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false' }, true, undefined)).toBe(false);
  });
  it('--no-color wins over everything', () => {
    expect(colorEnabled({ FORCE_COLOR: '1' }, true, false)).toBe(false);
  });
});

describe('createIO', () => {
  it('decides TTY-ness, width and prompting once', () => {
    const t = io({ tty: true, columns: 50 }).io;
    expect(t).toMatchObject({
      stdoutIsTTY: true,
      stdinIsTTY: true,
      columns: 50,
      canPrompt: true,
      color: true,
    });
    const p = io({ tty: false, env: { COLUMNS: '77' } }).io;
    expect(p).toMatchObject({ stdoutIsTTY: false, columns: 77, canPrompt: false, color: false });
    expect(io({ tty: false }).io.columns).toBe(80);
  });

  it('a COLUMNS that is not a positive whole number is ignored: 80', () => {
    for (const COLUMNS of ['0', '-5', '1.5', 'wide', '']) {
      expect(io({ tty: false, env: { COLUMNS } }).io.columns, COLUMNS).toBe(80);
    }
  });
  it('--no-input stops prompts even on a terminal', () => {
    const stdout = new Sink(true);
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const x = createIO({ stdin, stdout, stderr: stdout }, {}, { color: undefined, noInput: true });
    expect(x.canPrompt).toBe(false);
  });
});

describe('fitWidths', () => {
  it('leaves a table that fits alone', () => {
    expect(fitWidths([4, 10, 5], [false, true, false], 80)).toEqual([4, 10, 5]);
  });
  it('shrinks only the shrinkable columns, to the total', () => {
    const w = fitWidths([24, 60, 10], [false, true, false], 60);
    expect(w).toEqual([24, 60 - (24 + 60 + 10 + 4 - 60), 10]);
    expect(w.reduce((a, b) => a + b, 0) + 4).toBe(60);
  });
  it('shrinks the widest shrinkable column first', () => {
    const w = fitWidths([30, 40, 5], [true, true, false], 60);
    expect(w.reduce((a, b) => a + b, 0) + 4).toBe(60);
    expect(w[1]).toBeLessThan(40);
  });
  it('never below 8 columns, even if the table stays too wide', () => {
    expect(fitWidths([30, 30], [false, true], 20)).toEqual([30, 8]);
    expect(fitWidths([30, 30], [false, false], 20)).toEqual([30, 30]);
  });
});

describe('table renderer (terminal)', () => {
  it('aligns columns, shows headers, truncates long titles to the width', async () => {
    const t = io({ tty: true, columns: 40, env: { NO_COLOR: '1' } });
    const r = await createTableRenderer(t.io);
    r.list(ROWS, COLUMNS);
    const lines = t.stdout.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+STOCK$/);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(40);
    expect(lines[1]).toContain('Netflix Premium');
    expect(lines[1]).toContain('…');
    expect(lines[1]).toMatch(/ 0$/);
    expect(lines[2]).not.toContain('\t');
    expect(t.stdout.text).not.toContain(ESC);
  });
  it('colours headers and tones when colour is on', async () => {
    const t = io({ tty: true, columns: 120 });
    const r = await createTableRenderer(t.io);
    r.list(ROWS, COLUMNS);
    expect(t.stdout.text).toContain(`${ESC}1mID`);
    expect(t.stdout.text).toContain(`${ESC}31m0${ESC}39m`);
  });
  it('--no-color and NO_COLOR give plain text on a terminal', async () => {
    for (const opts of [{ color: false }, { env: { NO_COLOR: '1' } }]) {
      const t = io({ tty: true, columns: 120, ...opts });
      (await createTableRenderer(t.io)).list(ROWS, COLUMNS);
      expect(t.stdout.text).not.toContain(ESC);
    }
  });
  it('strips escapes the service put in its text', async () => {
    const t = io({ tty: true, columns: 120, env: { NO_COLOR: '1' } });
    (await createTableRenderer(t.io)).list(
      [{ id: 'x', title: '\u001b]0;pwned\u0007Evil', stock: 1 }],
      COLUMNS,
    );
    expect(t.stdout.text).not.toContain('\u001b');
    expect(t.stdout.text).not.toContain('\u0007');
  });
  it('an empty list is a note on stderr, not an error and nothing on stdout', async () => {
    const t = io({ tty: true });
    (await createTableRenderer(t.io)).list([], COLUMNS, { empty: 'No products yet.' });
    expect(t.stdout.text).toBe('');
    expect(t.stderr.text).toBe('No products yet.\n');
  });
  it('details and sections', async () => {
    const t = io({ tty: true, env: { NO_COLOR: '1' } });
    const r = await createTableRenderer(t.io);
    r.detail([
      ['id', 'p1'],
      ['title', 'Netflix'],
    ]);
    r.section('Items (0)', []);
    expect(t.stdout.text).toBe('id:    p1\ntitle: Netflix\n\nItems (0)\n  (none)\n');
  });
});

describe('tab-separated renderer (piped)', () => {
  it('writes rows as TSV: no header, no colour, exact values', async () => {
    const t = io({ tty: false, env: { FORCE_COLOR: '1' } });
    const r = createTsvRenderer(t.io);
    r.list(ROWS, COLUMNS);
    expect(t.stdout.text).toBe(
      'p1\tNetflix Premium 1 Month with a rather long title indeed\t0\np2\tTab here and newline\t12\n',
    );
  });
  it("no terminal escapes from the service's text, piped either", () => {
    const t = io({ tty: false });
    const r = createTsvRenderer(t.io);
    r.list([{ id: 'p3', title: 'Red\u001b[31m!\u001b]0;pwned\u0007', stock: 1 }], COLUMNS);
    r.detail([['title', 'x\u001b[2Jy']]);
    r.section('Items', ['A\u009b1']);
    expect(t.stdout.text).toBe('p3\tRed[31m!]0;pwned\t1\ntitle\tx[2Jy\nA1\n');
  });
  it('an empty list prints nothing at all', () => {
    const t = io({ tty: false });
    createTsvRenderer(t.io).list([], COLUMNS, { empty: 'none' });
    expect(t.stdout.text).toBe('');
    expect(t.stderr.text).toBe('');
  });
  it('details as key<TAB>value, sections as bare lines', () => {
    const t = io({ tty: false });
    const r = createTsvRenderer(t.io);
    r.detail([
      ['Purchase note', 'line1\nline2'],
      ['id', 'p1'],
    ]);
    r.section('Items', ['A-1', 'B-2']);
    r.section('Empty', []);
    expect(t.stdout.text).toBe('purchase note\tline1 line2\nid\tp1\nA-1\nB-2\n');
  });
});

describe('JSON', () => {
  it("passes the service's body through untouched", () => {
    const t = io({ tty: false });
    writeJsonBody(t.io, '{"a":1,"unknown":[1,2]}');
    writeJsonBody(t.io, '[]\n');
    expect(t.stdout.text).toBe('{"a":1,"unknown":[1,2]}\n[]\n');
  });
  it('on a terminal the same JSON is indented for reading, every field kept', () => {
    const t = io({ tty: true });
    writeJsonBody(t.io, '{"a":1,"unknown":[1,2]}');
    writeJsonBody(t.io, 'not json');
    expect(t.stdout.text).toBe('{\n  "a": 1,\n  "unknown": [\n    1,\n    2\n  ]\n}\nnot json\n');
  });
  it('computed results are one JSON object', () => {
    const t = io({ tty: true });
    writeJsonValue(t.io as IO, { ok: true });
    expect(JSON.parse(t.stdout.text)).toEqual({ ok: true });
  });
});

describe('layout on narrow terminals', () => {
  const cols = [
    { natural: 24, shrink: false },
    { natural: 30, shrink: true },
    { natural: 10, shrink: false },
    { natural: 12, shrink: false, drop: 2 },
    { natural: 6, shrink: false, drop: 3 },
    { natural: 13, shrink: false, drop: 1 },
  ];
  it('keeps every column when they fit', () => {
    expect(layout(cols, 200).keep).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('shrinks to a readable width, then leaves out droppable columns highest rank first', () => {
    // 24+30+10+12+6+13 + 5 gaps*2 = 105
    expect(layout(cols, 100)).toEqual({
      keep: [0, 1, 2, 3, 4, 5],
      widths: [24, 25, 10, 12, 6, 13],
    });
    // The title would have to go below 20: the sales-like (rank 3) and rank 2 columns go first.
    expect(layout(cols, 75)).toEqual({ keep: [0, 1, 2, 5], widths: [24, 22, 10, 13] });
    expect(layout(cols, 40).keep).toEqual([0, 1, 2]);
  });
});
