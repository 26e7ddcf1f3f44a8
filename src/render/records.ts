// Records in the format asked for: `--format table|tsv|csv|json|ndjson` and
// `--fields a,b.c`, drawn from the record's definition (src/records): its
// columns for a list's table and tsv, its rows for one record, its fields
// for a CSV; CSV for spreadsheets (RFC 4180), one JSON object per line, and
// any choice of fields in any format.
import type { GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import type { IO } from '../io.js';
import { type Cell, fieldNames, isObject, type RecordDef, type Show } from '../records/define.js';
import { date, money, text } from './format.js';
import type { Format } from './formats.js';
import { type Column, createTableRenderer, createTsvRenderer, type Renderer } from './output.js';

/** `--json` is `--format json`; otherwise a table on a terminal, tab-separated when piped. */
export function chooseFormat(
  globals: Pick<GlobalOptions, 'json' | 'query'>,
  io: IO,
  format?: Format,
): Format {
  // --query applies to each record with --format ndjson.
  if (globals.query !== undefined && format === 'ndjson') return 'ndjson';
  if (globals.json && format !== undefined && format !== 'json') {
    const flag = globals.query === undefined ? '--json' : '--query';
    throw new UsageError(`${flag} and --format ${format} ask for different output; pass one`);
  }
  if (globals.json) return 'json';
  return format ?? (io.stdoutIsTTY ? 'table' : 'tsv');
}

export type { Format, RecordFlags } from './formats.js';

export async function rendererFor(io: IO, format: 'table' | 'tsv'): Promise<Renderer> {
  return format === 'table' ? createTableRenderer(io) : createTsvRenderer(io);
}

/** A field by name: the exact key first, then a dotted path into nested objects. */
export function getPath(record: unknown, path: string): unknown {
  if (!isObject(record)) return undefined;
  if (path in record) return record[path];
  let at: unknown = record;
  for (const part of path.split('.')) {
    if (!isObject(at)) return undefined;
    at = at[part];
  }
  return at;
}

/** Every name --fields accepts: the documented fields, and each path found in the records. */
export function validFields(records: readonly unknown[], documented: readonly string[]): string[] {
  const out = new Set(documented);
  const walk = (v: unknown, prefix: string) => {
    if (!isObject(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      walk(child, path);
    }
  };
  for (const r of records) walk(r, '');
  return [...out];
}

/** Exit 2, listing the valid names, for a field no record has and none is documented. */
export function checkFields(
  fields: readonly string[] | undefined,
  records: readonly unknown[],
  def: RecordDef<never>,
): void {
  if (!fields) return;
  const valid = validFields(records, fieldNames(def));
  const unknown = fields.filter((f) => !valid.includes(f));
  if (unknown.length) {
    throw new UsageError(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}; valid fields: ${valid.join(', ')}`,
    );
  }
}

/** The fields asked for, in that order, keyed by the name as given. */
export function pick(record: unknown, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = getPath(record, f) ?? null;
  return out;
}

/** A value as plain text for CSV and tsv: numbers as JavaScript writes them, lists as JSON. */
export function plain(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line
 * break or surrounding spaces, quotes doubled. Terminal escapes are removed
 * (a CSV is often looked at with `cat`); tabs and line breaks are kept.
 */
export function csvCell(value: string): string {
  const v = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** How values are written: friendly on a terminal, exact when piped. */
export function showFor(tty: boolean, now: number): Show {
  return {
    tty,
    now,
    text,
    money: (amount, currency) => money(amount, currency, tty),
    date: (iso) => date(iso, tty, now),
  };
}

/** A definition's cells as columns: a field by its kind (amount, date, text), or computed. */
export function columnsOf<T>(
  def: RecordDef<T>,
  cells: readonly Cell<T>[],
  show: Show,
): Column<T>[] {
  return cells.map((c) => {
    const field = c.field;
    const currency = field === undefined ? undefined : def.money?.[field];
    const value = (r: T): string => {
      if (c.show) return c.show(r, show);
      const v = (r as Record<string, unknown>)[field!];
      if (currency !== undefined) return show.money(v, (r as Record<string, unknown>)[currency]);
      if (/At$/.test(field!)) return show.date(v);
      return show.text(v);
    };
    const tone = c.tone;
    return {
      header: c.label,
      value,
      ...(tone ? { tone: (r: T) => tone(r, show) } : {}),
      ...(c.align ? { align: c.align } : {}),
      ...(c.shrink ? { shrink: true } : {}),
      ...(c.drop !== undefined ? { drop: c.drop } : {}),
    };
  });
}

/** Columns for chosen fields on a table or tsv: amounts and dates friendly on a terminal only. */
export function fieldColumns(
  fields: readonly string[],
  def: RecordDef<never>,
  show: Show,
): Column<unknown>[] {
  const { tty } = show;
  return fields.map((f) => {
    const currency = def.money?.[f];
    const value = (r: unknown): string => {
      const v = getPath(r, f);
      if (currency !== undefined && typeof v === 'number') {
        return tty ? show.money(v, getPath(r, currency)) : String(v);
      }
      if (/At$/.test(f) && typeof v === 'string') return show.date(v);
      return tty ? text(v) : plain(v);
    };
    return {
      header: f,
      value,
      align: typeof currency === 'string' || f === 'count' || f === 'stock' ? 'right' : 'left',
      shrink: f === 'title' || f === 'name' || f === 'productTitle',
    };
  });
}

/**
 * A one-record table that shows only the first items of its section (a
 * pool's serials on a terminal), and the line said on stderr when it cut.
 */
export interface ShortSection {
  first: number;
  more: string;
}

/** Where records go: written as they are given, finished by end(). */
export interface RecordWriter {
  write(records: readonly unknown[]): void;
  end(): void;
}

/**
 * Records of one definition in one format. A definition with rows is one
 * record (a `get`: an object in JSON, rows on a table); else a list, whose
 * table says the definition's `empty` when there is nothing. `stream`: the
 * records come over time (`orders watch`): JSON is then one object a line,
 * and a table keeps the widths of its first rows.
 */
export async function recordWriter<T>(
  io: IO,
  now: number,
  format: Format,
  def: RecordDef<T>,
  opts: { fields?: readonly string[]; stream?: boolean; short?: ShortSection } = {},
): Promise<RecordWriter> {
  const fields = opts.fields;
  const one = def.rows !== undefined && !opts.stream;
  const out = (s: string) => io.stdout.write(s);
  const all: unknown[] = [];
  const collect: RecordWriter = {
    write: (records) => void all.push(...records),
    end: () => {},
  };
  switch (format) {
    case 'json':
      if (opts.stream) break;
      return {
        ...collect,
        end() {
          const picked = fields ? all.map((r) => pick(r, fields)) : all;
          const whole = one ? (picked[0] ?? null) : picked;
          const value = io.query ? io.query.apply(whole) : whole;
          out(`${io.stdoutIsTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`);
        },
      };
    case 'csv': {
      const cols = fields ?? def.fields;
      out(csvLine(cols));
      return {
        write(records) {
          let buf = '';
          for (const r of records) buf += csvLine(cols.map((f) => plain(getPath(r, f))));
          out(buf);
        },
        end() {},
      };
    }
    case 'table':
    case 'tsv': {
      const r = await rendererFor(io, format);
      // Friendly values on a terminal only: a table piped keeps them exact.
      const show = showFor(io.stdoutIsTTY, now);
      if (one) {
        return {
          ...collect,
          end() {
            const record = all[0] as T;
            const cols = fields
              ? fieldColumns(fields, def as RecordDef<never>, show)
              : columnsOf(def, def.rows ?? [], show);
            r.detail(cols.map((c) => [c.header, c.value(record), c.tone?.(record)]));
            const list = def.section && !fields ? getPath(record, def.section.field) : undefined;
            if (!Array.isArray(list)) return;
            const title = def.section!.title;
            const short = opts.short;
            if (!short || list.length <= short.first) {
              r.section(`${title} (${list.length})`, list.map(text));
              return;
            }
            const n = list.length.toLocaleString('en-US');
            r.section(
              `${title} (the first ${short.first} of ${n})`,
              list.slice(0, short.first).map(text),
            );
            io.stderr.write(`${short.first} of ${n} shown; ${short.more}\n`);
          },
        };
      }
      const cols = fields
        ? (fieldColumns(fields, def as RecordDef<never>, show) as Column<T>[])
        : columnsOf(def, def.columns ?? [], show);
      if (opts.stream) {
        const rows = r.stream(cols);
        return { write: (records) => rows(records as T[]), end() {} };
      }
      return { ...collect, end: () => r.list(all as T[], cols, { empty: def.empty }) };
    }
  }
  // ndjson, and json as it comes
  return {
    write(records) {
      let buf = '';
      for (const r of records) {
        const one = fields ? pick(r, fields) : r;
        buf += `${JSON.stringify(io.query ? io.query.apply(one) : one)}\n`;
      }
      out(buf);
    },
    end() {},
  };
}

/** The records of a read's body: the list, or the one object. */
export function recordsOf(raw: string, one: boolean): unknown[] {
  const json: unknown = JSON.parse(raw);
  if (one) return [json];
  return Array.isArray(json) ? json.filter(isObject) : [];
}
