// The table and tsv renderers byte for byte: the borderless table (loaded
// fresh, so its border characters are built inside the test), headers too
// long for a shrunk column, ties in drop rank, and no write for no rows.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIO } from '../../src/io.js';
import type * as output from '../../src/render/output.js';
import { createTsvRenderer, layout } from '../../src/render/output.js';
import { freshImport } from '../helpers/fresh.js';

type OutputModule = typeof output;

class Sink extends Writable {
  text = '';
  writes: string[] = [];
  constructor(
    public isTTY: boolean,
    public columns?: number,
  ) {
    super();
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    this.writes.push(String(chunk));
    // biome-ignore lint/suspicious/noExplicitAny: pass through to Writable
    return (super.write as any)(chunk, ...rest);
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

function term(tty: boolean, columns = 100, color = false) {
  const stdout = new Sink(tty, columns);
  const stderr = new Sink(tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const io = createIO({ stdin, stdout, stderr }, {}, { color, noInput: true });
  return { io, stdout, stderr };
}

interface Row {
  id: string;
  title: string;
  n: string;
}
const rows: Row[] = [
  { id: 'a1', title: 'First game', n: '5' },
  { id: 'b22', title: 'Second', n: '120' },
];

describe('the table, loaded fresh', () => {
  it('no borders, two spaces between columns, alignment as asked', async () => {
    const o = await freshImport<OutputModule>(import.meta.url, '../../src/render/output.ts');
    const t = term(true, 100);
    const r = await o.createTableRenderer(t.io);
    r.list(rows, [
      { header: 'id', value: (x) => x.id },
      { header: 'title', value: (x) => x.title },
      { header: 'n', value: (x) => x.n, align: 'right' },
    ]);
    expect(t.stdout.text).toBe(
      ['ID   TITLE         N', 'a1   First game    5', 'b22  Second      120', ''].join('\n'),
    );
  });

  it('coloured: bold headers and toned cells, nothing else', async () => {
    const o = await freshImport<OutputModule>(import.meta.url, '../../src/render/output.ts');
    const t = term(true, 100, true);
    const r = await o.createTableRenderer(t.io);
    r.list(rows, [
      { header: 'id', value: (x) => x.id },
      { header: 'n', value: (x) => x.n, tone: (x) => (x.n === '5' ? 'bad' : 'plain') },
    ]);
    expect(t.stdout.text).toBe(
      [
        '\u001b[1mID\u001b[22m   \u001b[1mN\u001b[22m',
        'a1   \u001b[31m5\u001b[39m',
        'b22  120',
        '',
      ].join('\n'),
    );
  });

  it('a header wider than its shrunk column is cut, not wrapped', async () => {
    const o = await freshImport<OutputModule>(import.meta.url, '../../src/render/output.ts');
    const t = term(true, 12);
    const r = await o.createTableRenderer(t.io);
    r.list(
      [{ id: 'a', d: 'a long description here' }],
      [
        { header: 'id', value: (x) => x.id },
        { header: 'description text', value: (x) => x.d, shrink: true },
      ],
    );
    expect(t.stdout.text).toBe('ID  DESCRIP…\na   a long …\n');
  });
});

describe('layout', () => {
  it('on a tie in drop rank, the first such column goes first', () => {
    const cols = [
      { natural: 10, shrink: false },
      { natural: 10, shrink: false, drop: 1 },
      { natural: 10, shrink: false, drop: 1 },
    ];
    expect(layout(cols, 22)).toEqual({ keep: [0, 2], widths: [10, 10] });
  });
});

describe('tsv', () => {
  it('no rows: no write at all', () => {
    const t = term(false);
    createTsvRenderer(t.io).list([], [{ header: 'id', value: (x: Row) => x.id }]);
    expect(t.stdout.writes).toEqual([]);
  });
});
