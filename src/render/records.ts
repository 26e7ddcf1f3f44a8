// Records in the format asked for: `--format table|tsv|csv|json|ndjson` and
// `--fields a,b.c`. The records are the service's objects as they came
// (parsed from the body, unknown fields kept); a command's own columns
// (columns.ts) still draw the default table and tsv, and this module draws
// everything else: CSV for spreadsheets (RFC 4180), one JSON object per line,
// and any choice of fields in any format.
import type { GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import type { IO } from '../io.js';
import { date, money, text } from './format.js';
import type { Format } from './formats.js';
import { type Column, createTableRenderer, createTsvRenderer, type Renderer } from './output.js';

/** What a record looks like: its documented fields, and which of them are amounts. */
export interface RecordView {
  /** Documented fields, in order: a CSV's columns when --fields is not given. */
  fields: readonly string[];
  /** Amount field → the field naming its currency (formatted on a terminal). */
  money?: Readonly<Record<string, string>>;
}

/** `--json` is `--format json`; otherwise a table on a terminal, tab-separated when piped. */
export function chooseFormat(
  globals: Pick<GlobalOptions, 'json'>,
  io: IO,
  format?: Format,
): Format {
  if (globals.json && format !== undefined && format !== 'json') {
    throw new UsageError(`--json and --format ${format} ask for different output; pass one`);
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  documented: readonly string[],
): void {
  if (!fields) return;
  const valid = validFields(records, documented);
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

/** Columns for chosen fields on a table or tsv: amounts and dates friendly on a terminal only. */
export function fieldColumns(
  fields: readonly string[],
  view: RecordView,
  tty: boolean,
  now: number,
): Column<unknown>[] {
  return fields.map((f) => {
    const currency = view.money?.[f];
    const value = (r: unknown): string => {
      const v = getPath(r, f);
      if (currency !== undefined && typeof v === 'number') {
        return tty ? money(v, getPath(r, currency), true) : String(v);
      }
      if (/At$/.test(f) && typeof v === 'string') return date(v, tty, now);
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
 * Records in a format other than the command's own table/tsv: csv, ndjson,
 * json (with --fields), or table/tsv of chosen fields. `one`: a single record
 * (a `get`), printed as an object rather than a list.
 */
export async function writeRecords(
  io: IO,
  now: number,
  format: Format,
  records: readonly unknown[],
  view: RecordView,
  opts: { fields?: readonly string[]; one?: boolean; empty?: string },
): Promise<void> {
  checkFields(opts.fields, records, view.fields);
  const fields = opts.fields;
  const out = (s: string) => io.stdout.write(s);
  switch (format) {
    case 'json': {
      const picked = fields ? records.map((r) => pick(r, fields)) : records;
      const value = opts.one ? (picked[0] ?? null) : picked;
      out(`${io.stdoutIsTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`);
      return;
    }
    case 'ndjson': {
      let buf = '';
      for (const r of records) buf += `${JSON.stringify(fields ? pick(r, fields) : r)}\n`;
      out(buf);
      return;
    }
    case 'csv': {
      const cols = fields ?? view.fields;
      let buf = csvLine(cols);
      for (const r of records) buf += csvLine(cols.map((f) => plain(getPath(r, f))));
      out(buf);
      return;
    }
    default: {
      const cols = fieldColumns(fields ?? view.fields, view, format === 'table', now);
      const r = await rendererFor(io, format);
      if (opts.one && records.length === 1) {
        r.detail(cols.map((c) => [c.header, c.value(records[0])]));
        return;
      }
      r.list(records, cols, { empty: opts.empty });
    }
  }
}

/** The records of a read's body: the list, or the one object. */
export function recordsOf(raw: string, one: boolean): unknown[] {
  const json: unknown = JSON.parse(raw);
  if (one) return [json];
  return Array.isArray(json) ? json.filter(isObject) : [];
}
