// `--format` and `--fields`, the same on every command that prints records.
import { FORMATS, fieldsArg, type RecordFlags } from '../render/formats.js';
import type { Flags } from './define.js';

/** `example`: fields of this noun's records, for the help line. */
export function recordFlags(example: string): Flags<RecordFlags> {
  return {
    format: {
      value: 'format',
      description: 'output format (default: table on a terminal, tsv when piped; --json = json)',
      choices: FORMATS,
    },
    fields: {
      value: 'a,b,c',
      description: `only these fields, in this order; dotted paths reach nested ones (e.g. ${example})`,
      parse: fieldsArg,
    },
  };
}
