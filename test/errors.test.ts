// The exit codes are a promise to scripts: docs/cli.md's table (the one
// reference; the README points at it) must list exactly the codes of EXIT_CODES, the table src/cli.ts maps error
// kinds through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, type ErrorKind, EXIT_CODES } from '../src/errors.js';
import { ROOT } from './helpers/cli.js';

function documentedCodes(file: string): number[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const section = text.split(/#+ Exit codes/)[1]?.split(/\n#/)[0] ?? '';
  return [...section.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((m) => Number(m[1]));
}

describe('exit codes', () => {
  it.each(['docs/cli.md'])(
    "%s's table lists every code of EXIT_CODES, in order, and no other",
    (file) => {
      const codes = Object.values(EXIT_CODES);
      expect(documentedCodes(file)).toEqual([...codes].sort((a, b) => a - b));
    },
  );

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

  it('an error built from a code no kind has is a failure (1); from 0 too: an error never exits 0', () => {
    expect(new CliError('x', 42).exitCode).toBe(EXIT_CODES.failure);
    expect(new CliError('x', 0).exitCode).toBe(EXIT_CODES.failure);
  });
});
