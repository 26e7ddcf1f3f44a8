// The names of the output formats and the parser of `--fields`: small, so a
// noun's definitions can use them for `--help` without loading render code.
import { InvalidArgumentError } from 'commander';

export const FORMATS = ['table', 'tsv', 'csv', 'json', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

/** The flags of every command that prints records. */
export interface RecordFlags {
  format?: Format;
  fields?: string[];
}

/** The parser of `--fields`: comma-separated names, none empty. */
export function fieldsArg(value: string): string[] {
  const names = value.split(',').map((f) => f.trim());
  if (names.some((f) => f === '')) {
    throw new InvalidArgumentError('--fields takes names separated by commas, e.g. id,title');
  }
  return names;
}
