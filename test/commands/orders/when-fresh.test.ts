// parseWhen and parseDuration from a copy of when.ts loaded inside each test,
// so the tables it builds when it loads (the units, the bare-day pattern)
// are seen by mutation testing; and the patterns' edges.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { freshImport } from '../../helpers/fresh.js';

type When = typeof import('../../../src/commands/orders/when.js');
const load = () => freshImport<When>(import.meta.url, '../../../src/commands/orders/when.js');

const NOW = Date.parse('2026-06-10T12:00:00.000Z');
const DAY = Date.parse('2026-06-01T00:00:00.000Z');
const refused = (v: string) =>
  new UsageError(
    `--since takes a date (2026-06-01), a date-time (2026-06-01T09:00:00Z) or a time ago (30m, 24h, 7d), not "${v}"`,
  );

describe('when.ts, loaded afresh', () => {
  it('each unit of a time ago and of a duration', async () => {
    const { parseWhen, parseDuration } = await load();
    expect(['2s', '2m', '2h', '2d'].map((v) => NOW - parseWhen('--since', v, NOW))).toEqual([
      2000, 120_000, 7_200_000, 172_800_000,
    ]);
    expect(['2s', '2m', '2h', '250ms', '3'].map((v) => parseDuration('--interval', v))).toEqual([
      2000, 120_000, 7_200_000, 250, 3000,
    ]);
  });

  it('a bare day, for --until, is taken whole; a date-time is not', async () => {
    const { parseWhen } = await load();
    expect(parseWhen('--until', '2026-06-01', NOW, true)).toBe(DAY + 86_400_000);
    expect(parseWhen('--until', '2026-06-01T09:00:00Z', NOW, true)).toBe(DAY + 9 * 3_600_000);
    expect(parseWhen('--since', '2026-06-01T09:00:00Z', NOW)).toBe(DAY + 9 * 3_600_000);
  });

  it('what Date.parse would take but is not a date, a date-time or a time ago', async () => {
    const { parseWhen } = await load();
    // Each of these Date.parse reads.
    for (const v of ['on 2026-06-01', '2026-06-1', '30mx'])
      expect(() => parseWhen('--since', v, NOW)).toThrow(refused(v));
  });
});
