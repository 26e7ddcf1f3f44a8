// Tables and tab-separated lines: a renderer chosen once from the format
// draws rows and columns:
//   terminal → aligned table, colour, truncation to the width
//   piped    → tab-separated lines, no header, no colour
// The other formats (json, csv, ndjson, --fields) are in records.ts.

import type { IO } from '../io.js';
import type { Tone } from '../records/define.js';
import { sanitizeForTerminal, truncate, tsvCell } from './format.js';

export type { Tone };

export interface Column<T> {
  header: string;
  /** The cell's text (exact when piped). */
  value(row: T): string;
  /** Optional colouring on a terminal. */
  tone?(row: T): Tone;
  align?: 'left' | 'right';
  /** This column gives way (is truncated) when the table is wider than the terminal. */
  shrink?: boolean;
  /**
   * On a terminal too narrow for the table even after shrinking, columns
   * with a `drop` rank are left out, highest rank first. Piped output keeps
   * every column: scripts rely on positions.
   */
  drop?: number;
}

export interface Renderer {
  /** `empty`: said on a terminal when there are no rows ('' : nothing). */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], opts?: { empty?: string }): void;
  /**
   * Rows that arrive over time (`orders watch`): on a terminal the header
   * and the widths come from the first rows, and later rows keep them.
   */
  stream<T>(columns: readonly Column<T>[]): (rows: readonly T[]) => void;
  /** Field/value pairs for a single record. */
  detail(fields: ReadonlyArray<[string, string, Tone?]>): void;
  /** A heading followed by lines (e.g. a pool's items). */
  section(title: string, lines: readonly string[]): void;
}

export type Paint = (tone: Tone, s: string) => string;

/** Colour through chalk, at the level decided once in the IO (NO_COLOR, FORCE_COLOR, --no-color, TTY). */
export async function painter(color: boolean): Promise<Paint> {
  if (!color) return (_tone, s) => s;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  const tones: Record<Tone, (s: string) => string> = {
    plain: (s) => s,
    warn: c.yellow,
    bad: c.red,
    good: c.green,
    dim: c.dim,
    bold: c.bold,
  };
  return (tone, s) => tones[tone](s);
}

/** Fit column widths to the terminal by shrinking the `shrink` columns first. */
export function fitWidths(
  natural: number[],
  shrinkable: boolean[],
  total: number,
  gap = 2,
  min = 8,
): number[] {
  const widths = [...natural];
  const used = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  while (used() > total) {
    let idx = -1;
    for (let i = 0; i < widths.length; i++) {
      if (shrinkable[i] && widths[i]! > min && (idx < 0 || widths[i]! > widths[idx]!)) idx = i;
    }
    if (idx < 0) break;
    widths[idx] = Math.max(min, widths[idx]! - (used() - total));
  }
  return widths;
}

/**
 * Which columns to show and how wide. A title is worth more than a date:
 * `shrink` columns give way down to a readable width (20) first, then `drop`
 * columns are left out, highest rank first, and only then do the `shrink`
 * columns give way further (to 8).
 */
export function layout(
  cols: ReadonlyArray<{ natural: number; shrink: boolean; drop?: number | undefined }>,
  total: number,
  gap = 2,
): { keep: number[]; widths: number[] } {
  let keep = cols.map((_, i) => i);
  const fitTo = (min: number) =>
    fitWidths(
      keep.map((i) => cols[i]!.natural),
      keep.map((i) => cols[i]!.shrink),
      total,
      gap,
      min,
    );
  for (;;) {
    const widths = fitTo(20);
    const used = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    const droppable = keep.filter((i) => cols[i]!.drop !== undefined);
    if (used <= total) return { keep, widths };
    if (droppable.length === 0) return { keep, widths: fitTo(8) };
    const worst = droppable.reduce((a, b) => (cols[b]!.drop! > cols[a]!.drop! ? b : a));
    keep = keep.filter((i) => i !== worst);
  }
}

// Borderless, like `gh`: columns separated by two spaces, header in bold.
const CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

export async function createTableRenderer(io: IO): Promise<Renderer> {
  // string-width is what cli-table3 measures with: CJK and emoji take two
  // columns, so cutting by it keeps the columns aligned.
  const [paint, { default: Table }, { default: width }] = await Promise.all([
    painter(io.color),
    import('cli-table3'),
    import('string-width'),
  ]);
  const out = (s: string) => io.stdout.write(s);
  const stream = <T>(allColumns: readonly Column<T>[]) => {
    let fixed: { keep: number[]; widths: number[] } | undefined;
    return (rows: readonly T[]) => {
      if (rows.length === 0) return;
      // A tab or newline in a title would break the row in two: flatten it.
      const allCells = rows.map((r) =>
        allColumns.map((c) => tsvCell(sanitizeForTerminal(c.value(r)))),
      );
      const head = fixed === undefined;
      const natural = allColumns.map((c, i) =>
        Math.max(width(c.header), ...allCells.map((row) => width(row[i]!))),
      );
      // Later rows keep the first rows' columns; a wider value widens its
      // column from there on rather than be cut (an amount must not be).
      fixed = fixed
        ? {
            keep: fixed.keep,
            widths: fixed.keep.map((k, j) => Math.max(fixed!.widths[j]!, natural[k]!)),
          }
        : layout(
            allColumns.map((c, i) => ({
              natural: natural[i]!,
              shrink: Boolean(c.shrink),
              drop: c.drop,
            })),
            io.columns,
          );
      const { keep, widths } = fixed;
      const columns = keep.map((i) => allColumns[i]!);
      const table = new Table({
        chars: CHARS,
        style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
        colWidths: widths,
        colAligns: columns.map((c) => c.align ?? 'left'),
        wordWrap: false,
        head: head ? columns.map((c) => paint('bold', c.header.toUpperCase())) : [],
      });
      rows.forEach((row, r) => {
        table.push(
          keep.map((k, i) => {
            const cell = truncate(allCells[r]![k]!, widths[i]!, width);
            const tone = allColumns[k]!.tone?.(row) ?? 'plain';
            return tone === 'plain' ? cell : paint(tone, cell);
          }),
        );
      });
      out(
        `${table
          .toString()
          .split('\n')
          .map((l) => l.trimEnd())
          .join('\n')}\n`,
      );
    };
  };
  return {
    list(rows, columns, opts = {}) {
      if (rows.length === 0) {
        const empty = opts.empty ?? 'No results.';
        if (empty) io.stderr.write(`${empty}\n`);
        return;
      }
      stream(columns)(rows);
    },
    stream,
    detail(fields) {
      const w = Math.max(...fields.map(([k]) => width(k)));
      out(
        `${fields
          .map(
            ([k, v, tone]) =>
              `${paint('bold', `${k}:`.padEnd(w + 1))} ${paint(tone ?? 'plain', sanitizeForTerminal(v))}`,
          )
          .join('\n')}\n`,
      );
    },
    section(title, lines) {
      out(`\n${paint('bold', title)}\n`);
      out(
        lines.length
          ? `${lines.map((l) => `  ${sanitizeForTerminal(l)}`).join('\n')}\n`
          : '  (none)\n',
      );
    },
  };
}

export function createTsvRenderer(io: IO): Renderer {
  const out = (s: string) => io.stdout.write(s);
  const stream =
    <T>(columns: readonly Column<T>[]) =>
    (rows: readonly T[]) => {
      if (rows.length === 0) return;
      // One string, one write: piping 5,000 rows should not be 5,000 syscalls.
      let buf = '';
      for (const row of rows) {
        buf += `${columns.map((c) => tsvCell(c.value(row))).join('\t')}\n`;
      }
      out(buf);
    };
  return {
    list: (rows, columns) => stream(columns)(rows),
    stream,
    detail(fields) {
      out(`${fields.map(([k, v]) => `${tsvCell(k.toLowerCase())}\t${tsvCell(v)}`).join('\n')}\n`);
    },
    section(_title, lines) {
      if (lines.length) out(`${lines.map(tsvCell).join('\n')}\n`);
    },
  };
}

/** --json: the service's own body, untouched (unknown fields kept), newline-terminated. */
export function writeJsonBody(io: IO, text: string): void {
  if (io.query) {
    writeJsonValue(io, JSON.parse(text));
    return;
  }
  io.stdout.write(`${io.stdoutIsTTY ? indentJson(text) : text.replace(/\n?$/, '\n')}`);
}

/**
 * On a terminal a person reads the JSON, so it is indented (like `gh api`);
 * piped, it stays byte for byte what the service sent. Not JSON: as is.
 */
export function indentJson(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.replace(/\n?$/, '\n');
  }
}

/** --json for results the CLI computes (restock, check, keys): one object. */
export function writeJsonValue(io: IO, value: unknown): void {
  const out = io.query ? io.query.apply(value) : value;
  io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
