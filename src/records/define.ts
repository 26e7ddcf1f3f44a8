// What a record is, said once: its documented fields and their JSON types
// (from which come the TypeScript type and the runtime check), the fields a
// CSV has and --fields offers, the table's columns, a detail's rows, and what
// an empty list says. The api layer checks answers with it; the render layer
// draws it; commands print it. It imports nothing.

export type Kind = 'string' | 'number' | 'boolean' | 'strings' | 'count';
/** A record's documented fields and their JSON types; `!`: required (the field that names it). */
export type Schema = Readonly<Record<string, Kind | `${Kind}!`>>;

/** Any field the service sends beyond the documented ones, kept as it came. */
export interface Extra {
  [field: string]: unknown;
}

type TypeOf<K> = K extends 'string'
  ? string
  : K extends 'number' | 'count'
    ? number
    : K extends 'boolean'
      ? boolean
      : string[];
type Required<S> = { [F in keyof S as S[F] extends `${string}!` ? F : never]: TypeOf<Strip<S[F]>> };
type Optional<S> = {
  [F in keyof S as S[F] extends `${string}!` ? never : F]?: TypeOf<S[F]> | null;
};
type Strip<K> = K extends `${infer B}!` ? B : K;
type Flat<T> = { [F in keyof T]: T[F] };
/** The TypeScript type of a schema's records: null allowed for "not set", unknown fields kept. */
export type RecordOf<S extends Schema> = Flat<Required<S> & Optional<S>> & Extra;

export type Tone = 'plain' | 'warn' | 'bad' | 'good' | 'dim' | 'bold';

/** How values are written where a cell is drawn: friendly on a terminal, exact when piped. */
export interface Show {
  readonly tty: boolean;
  readonly now: number;
  text(value: unknown): string;
  money(amount: unknown, currency: unknown): string;
  date(iso: unknown): string;
}

/** A table column or a detail row. */
export interface Cell<T> {
  label: string;
  /** The field shown: an amount in its currency (see `money`), a date when it ends in At. */
  field?: keyof T & string;
  /** Or a value computed from the record. */
  show?: (r: T, s: Show) => string;
  tone?: (r: T, s: Show) => Tone;
  align?: 'right';
  /** Gives way (is truncated) when the table is wider than the terminal. */
  shrink?: boolean;
  /** Left out on a terminal too narrow even after shrinking, highest rank first. */
  drop?: number;
}

export interface RecordDef<T = Extra> {
  /** `product`: named in errors about the service's answers. */
  name: string;
  plural: string;
  schema: Schema;
  /** Documented fields, in order: a CSV's columns; --fields also offers the schema's others. */
  fields: readonly string[];
  /** Amount field → the field naming its currency. */
  money?: Readonly<Record<string, string>>;
  /** A list's table (tsv piped, same columns). */
  columns?: readonly Cell<T>[];
  /** One record's rows (a `get`); a record with rows is printed as one, not as a list. */
  rows?: readonly Cell<T>[];
  /** A list field shown under the rows as a heading and a line each. */
  section?: { field: keyof T & string; title: string };
  /** What a table says when there is nothing to show ('' : nothing). */
  empty?: string;
}

/** A definition with its type: `defineRecord({ schema: {...}, ... })`, then `RecordOf<...>`. */
export function defineRecord<const S extends Schema>(
  def: Omit<RecordDef<RecordOf<S>>, 'schema'> & { schema: S },
): RecordDef<RecordOf<S>> & { schema: S } {
  return def;
}

function hasKind(value: unknown, kind: Kind): boolean {
  if (kind === 'strings') return Array.isArray(value) && value.every((x) => typeof x === 'string');
  if (kind === 'count') return typeof value === 'number' && Number.isInteger(value) && value >= 0;
  return typeof value === kind;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One record from the service: an object, its required fields present and of
 * their type; a documented field of another type is left out (shown as
 * empty, like a missing one); null kept for "not set"; other fields kept.
 */
export function check<T>(def: Pick<RecordDef<T>, 'name' | 'schema'>, value: unknown): T {
  if (!isObject(value)) throw new Error(`expected ${article(def.name)} object from the service`);
  const out: Record<string, unknown> = { ...value };
  for (const [field, spec] of Object.entries(def.schema)) {
    const v = out[field];
    const kind = spec.replace(/!$/, '') as Kind;
    if (spec.endsWith('!') && !hasKind(v, kind)) {
      throw new Error(`expected ${article(def.name)} with ${article(field)} from the service`);
    }
    if (v !== undefined && v !== null && !hasKind(v, kind)) delete out[field];
  }
  return out as T;
}

/** "an order", "a product": for the messages above. */
function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** A list: an array; entries that are not objects are skipped. */
export function checkList<T>(
  def: Pick<RecordDef<T>, 'name' | 'plural' | 'schema'>,
  value: unknown,
): T[] {
  if (!Array.isArray(value)) throw new Error(`expected a list of ${def.plural} from the service`);
  return value.filter(isObject).map((x) => check(def, x));
}

/** Every name --fields knows before seeing records: the CSV's fields, then the schema's others. */
export function fieldNames(def: Pick<RecordDef, 'fields' | 'schema'>): string[] {
  return [...new Set([...def.fields, ...Object.keys(def.schema)])];
}
