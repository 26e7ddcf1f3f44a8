// Points in time on the command line (`--since`, `--until`): an ISO date or
// date-time, or a duration back from now (`30m`, `24h`, `7d`). A bare date
// is a UTC day: `--since` starts at its beginning, `--until` takes it whole.
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseWhen(flag: string, value: string, now: number, end = false): number {
  const v = value.trim();
  const ago = /^(\d+)([smhd])$/.exec(v);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  const at = Date.parse(DAY.test(v) ? `${v}T00:00:00Z` : v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(at)) {
    throw new UsageError(
      `${flag} takes a date (2026-06-01), a date-time (2026-06-01T09:00:00Z) or a time ago (30m, 24h, 7d), not "${value}"`,
    );
  }
  return end && DAY.test(v) ? at + UNIT_MS.d! : at;
}

/** A duration such as 10s, 500ms, 2m or 1h; a bare number is seconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} takes a duration such as 10s, 500ms or 2m, not "${value}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? n : n * UNIT_MS[unit]!);
}
