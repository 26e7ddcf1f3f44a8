// Where a shop's order history lives: one SQLite file per profile under the
// config folder, or, when the key comes from the environment (CI, cron with
// ASTROSELL_API_KEY), one per base URL. `--db FILE` overrides both. This
// module loads no SQLite: `--help` and the API commands never pay for it.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ResolvedSettings } from '../config/settings.js';
import { configDirFrom } from '../config/store.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** The history file of a command: `--db`, else the default for its settings. */
export async function historyFile(ctx: Context, db: string | undefined): Promise<string> {
  if (db !== undefined) {
    if (db.trim() === '') throw new UsageError('--db must not be empty');
    return resolve(db);
  }
  return defaultHistoryPath(configDirFrom(ctx.env).dir, await ctx.settings());
}

/** The folder of the history files, beside config.json. */
export function historyDir(configDir: string): string {
  return join(configDir, 'history');
}

/** A name safe in any file system, still recognisable, distinct per input. */
function fileSafe(prefix: string, name: string): string {
  const readable = name
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60);
  if (readable === name && prefix === 'profile') return `${prefix}-${name}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${prefix}-${readable || 'x'}-${hash}`;
}

/**
 * The default history file for these settings: the profile's, unless the
 * key comes from the environment (then the base URL names the file: two
 * shops never share one).
 */
export function defaultHistoryPath(configDir: string, s: ResolvedSettings): string {
  const byProfile = s.apiKeySource === 'profile' && s.profile !== undefined;
  const name = byProfile
    ? fileSafe('profile', s.profile as string)
    : fileSafe('url', s.baseUrl.replace(/\/+$/, ''));
  return join(historyDir(configDir), `${name}.sqlite`);
}
