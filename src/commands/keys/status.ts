// `keys status`: which profile, key and base URL are in force and where each
// came from; then one cheap request to prove the key works.
import { maskKey, type ResolvedSettings } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { ApiError, CliError, type ErrorKind } from '../../errors.js';
import { createRenderer, writeJsonValue } from '../../render/output.js';

export async function run(ctx: Context): Promise<number> {
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
  const key = s.apiKey ? maskKey(s.apiKey) : null;
  if (ctx.globals.json) {
    writeJsonValue(ctx.io, {
      profile: s.profile ?? null,
      profileSource: s.profileSource,
      key,
      keySource: s.apiKeySource,
      baseUrl: s.baseUrl,
      baseUrlSource: s.baseUrlSource,
      verified,
      ...(problem ? { error: problem } : {}),
    });
  } else {
    await renderStatus(ctx, s, key, verified, problem);
  }
  // The report is on stdout; the failure still gets its one `error:` line (and exit code).
  if (failure) {
    throw new CliError(problem ?? 'the key could not be verified', failure, {
      hint: s.apiKey ? undefined : 'run `astrosell keys add <name>`, or set ASTROSELL_API_KEY',
    });
  }
  return 0;
}

async function renderStatus(
  ctx: Context,
  s: ResolvedSettings,
  key: string | null,
  verified: boolean | null,
  problem: string | undefined,
): Promise<void> {
  const r = await createRenderer(ctx.io);
  const from = (src: string) => (src === 'none' ? '' : `  (from ${src})`);
  r.detail([
    ['profile', `${s.profile ?? '(none)'}${from(s.profileSource)}`],
    ['key', `${key ?? '(none)'}${from(s.apiKeySource)}`],
    ['base url', `${s.baseUrl}${from(s.baseUrlSource)}`],
    [
      'status',
      verified === true
        ? 'OK — the key works'
        : verified === false
          ? `invalid or revoked (${problem})`
          : `unknown: ${problem}`,
      verified === true ? 'good' : 'bad',
    ],
  ]);
}
