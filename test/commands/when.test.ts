// Points in time and durations on the command line (--since, --until,
// --interval): each form, its boundaries and the exact usage error.
import { describe, expect, it } from 'vitest';
import { parseDuration, parseWhen } from '../../src/commands/when.js';
import { UsageError } from '../../src/errors.js';

const NOW = Date.parse('2026-06-10T12:00:00.000Z');

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('parseWhen', () => {
  it('a time ago, in each unit, back from now', () => {
    expect(parseWhen('--since', '30s', NOW)).toBe(NOW - 30_000);
    expect(parseWhen('--since', '30m', NOW)).toBe(NOW - 30 * 60_000);
    expect(parseWhen('--since', '24h', NOW)).toBe(NOW - 24 * 3_600_000);
    expect(parseWhen('--since', '7d', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseWhen('--since', '0m', NOW)).toBe(NOW);
    expect(parseWhen('--since', ' 2h ', NOW)).toBe(NOW - 7_200_000);
  });

  it('a time ago is not moved to the end of a day for --until', () => {
    expect(parseWhen('--until', '1d', NOW, true)).toBe(NOW - 86_400_000);
  });

  it('a bare date is the start of that UTC day; for --until, the start of the next', () => {
    const day = Date.parse('2026-06-01T00:00:00.000Z');
    expect(parseWhen('--since', '2026-06-01', NOW)).toBe(day);
    expect(parseWhen('--until', '2026-06-01', NOW, true)).toBe(day + 86_400_000);
    expect(parseWhen('--until', ' 2026-06-01 ', NOW, true)).toBe(day + 86_400_000);
  });

  it('a date-time is taken as given, --until included', () => {
    const at = Date.parse('2026-06-01T09:30:00.000Z');
    expect(parseWhen('--since', '2026-06-01T09:30:00Z', NOW)).toBe(at);
    expect(parseWhen('--until', '2026-06-01T09:30:00Z', NOW, true)).toBe(at);
    expect(parseWhen('--until', '2026-06-01T11:30:00+02:00', NOW, true)).toBe(at);
  });

  it('anything else: one usage error naming the flag and the value as typed', () => {
    const msg = (flag: string, v: string) =>
      `${flag} takes a date (2026-06-01), a date-time (2026-06-01T09:00:00Z) or a time ago (30m, 24h, 7d), not "${v}"`;
    for (const v of [
      '',
      'yesterday',
      '7w',
      '7',
      'd7',
      '1.5h',
      '-1d',
      '2026-13-45',
      'June 1, 2026',
      '1 d',
    ])
      expect(usage(() => parseWhen('--since', v, NOW))).toBe(msg('--since', v));
    expect(usage(() => parseWhen('--until', ' x ', NOW, true))).toBe(msg('--until', ' x '));
    // Date.parse takes "2026-06-01 junk"-like text in some forms: it must start as an ISO date.
    expect(usage(() => parseWhen('--since', '06/01/2026', NOW))).toBe(msg('--since', '06/01/2026'));
  });
});

describe('parseDuration', () => {
  it('each unit; a bare number is seconds; fractions round to whole ms', () => {
    expect(parseDuration('--interval', '500ms')).toBe(500);
    expect(parseDuration('--interval', '10s')).toBe(10_000);
    expect(parseDuration('--interval', '10')).toBe(10_000);
    expect(parseDuration('--interval', '2m')).toBe(120_000);
    expect(parseDuration('--interval', '1h')).toBe(3_600_000);
    expect(parseDuration('--interval', '1.5s')).toBe(1500);
    expect(parseDuration('--interval', '0.0004s')).toBe(0);
    expect(parseDuration('--interval', '0.0006s')).toBe(1);
    expect(parseDuration('--interval', ' 3s ')).toBe(3000);
  });

  it('anything else: the usage error', () => {
    for (const v of ['', 's', '1d', '-1s', '1 s', 'fast', '1.s'])
      expect(usage(() => parseDuration('--interval', v))).toBe(
        `--interval takes a duration such as 10s, 500ms or 2m, not "${v}"`,
      );
  });
});
