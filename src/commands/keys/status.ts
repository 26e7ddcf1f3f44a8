// `keys status`: which profile, key and base URL are in force and where each
// came from; then one cheap request to prove the key works. The report is
// one record (src/records/key-status.ts): rows on a terminal, --format and
// --fields like any record; --json one object, `error` only when there is one.
import { maskKey } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { ApiError, CliError, type ErrorKind } from '../../errors.js';
import { KEY_STATUS, type KeyStatus } from '../../records/key-status.js';
import type { RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat } from '../../render/records.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  // A bad --format is refused before the key is tried.
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  const s = await ctx.settings();
  let verified: boolean | null = null;
  let problem: string | undefined;
  let failure: ErrorKind | undefined;
  if (!s.apiKey) {
    problem = 'no API key configured';
    failure = 'auth';
  } else {
    try {
      const shop = await ctx.shop();
      await shop.orders.list({ limit: 1 });
      verified = true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      verified = error.kind === 'auth' ? false : null;
      problem = error.message;
      failure = error.kind;
    }
  }
  const report: KeyStatus = {
    profile: s.profile ?? null,
    profileSource: s.profileSource,
    key: s.apiKey ? maskKey(s.apiKey) : null,
    keySource: s.apiKeySource,
    baseUrl: s.baseUrl,
    baseUrlSource: s.baseUrlSource,
    verified,
    ...(problem ? { error: problem } : {}),
  };
  if (format === 'json' && !options.fields) writeJsonValue(ctx.io, report);
  else await print(ctx, KEY_STATUS, [report], options);
  // The report is on stdout; the failure still gets its one `error:` line (and exit code).
  if (failure) {
    throw new CliError(problem ?? 'the key could not be verified', failure, {
      hint: s.apiKey ? undefined : 'run `astrosell keys add <name>`, or set ASTROSELL_API_KEY',
    });
  }
  return 0;
}
