// README's table of exit codes is a promise to scripts: it must list exactly
// the codes of EXIT_CODES, the table src/cli.ts maps error kinds through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, type ErrorKind, EXIT_CODES } from '../../src/errors.js';
import { ROOT } from '../helpers/cli.js';

function readmeCodes(): number[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('### Exit codes')[1]?.split(/\n#/)[0] ?? '';
  return [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
}

describe('exit codes', () => {
  it("README's table lists every code of EXIT_CODES, in order, and no other", () => {
    const codes = Object.values(EXIT_CODES);
    expect(readmeCodes()).toEqual([...codes].sort((a, b) => a - b));
  });

  it('codes are distinct', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(Object.entries(EXIT_CODES).filter(([k]) => k !== 'ok') as Array<[ErrorKind, number]>)(
    'an error of kind %s exits %i, built from its kind or its code',
    (kind, code) => {
      expect(new CliError('x', kind).exitCode).toBe(code);
      expect(new CliError('x', code).kind).toBe(kind);
    },
  );
});
