// `keys add`: store a key as a profile, once one read with it has worked.
// A key the service refuses is never stored (a typo would otherwise become
// the default and fail every later command); when the service cannot say
// (unreachable, 429, 5xx), nothing is stored either, and `--no-verify`
// stores it without asking (offline set-up, a service not reachable yet).
import { checkBaseUrl, DEFAULT_BASE_URL, maskKey } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { ApiError, CliError, InterruptedError, UsageError } from '../../errors.js';
import { writeJsonValue } from '../../render/output.js';
import { readKey } from './read-key.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function run(
  ctx: Context,
  options: { args: [string]; baseUrl?: string; default?: boolean; verify?: boolean },
): Promise<number> {
  const [name] = options.args;
  // `astrosell keys add nsk_live_…`: the key itself pasted as the name would be
  // stored and listed in clear (and it is already in the shell history).
  if (/^nsk_/i.test(name)) {
    throw new UsageError('the profile name looks like an API key; refusing to store it as a name', {
      hint: 'name the profile (e.g. `astrosell keys add live`) and give the key at the prompt or on stdin; consider rotating that key',
    });
  }
  if (!NAME.test(name)) {
    throw new UsageError(`invalid profile name "${name}": use letters, digits, '.', '_' or '-'`);
  }
  const verify = options.verify !== false;
  // The subcommand's --base-url is the profile's; the global one may also carry it.
  const baseUrl = options.baseUrl ?? ctx.globals.baseUrl;
  if (baseUrl) checkBaseUrl(baseUrl);
  const store = await ctx.profiles();
  // A new key for an existing profile keeps its base URL unless told
  // otherwise: dropping it would send a sandbox profile's key to production.
  // The key is checked where it will be used: that URL, else where commands
  // go today without one (ASTROSELL_BASE_URL, the default).
  const checkAt =
    baseUrl ??
    store.get(name)?.baseUrl ??
    (ctx.env.ASTROSELL_BASE_URL?.trim() || undefined) ??
    DEFAULT_BASE_URL;
  if (verify) checkBaseUrl(checkAt);
  const key = await readKey(ctx, name);
  if (verify) await verifyKey(ctx, key, checkAt);
  else if (!key.startsWith('nsk_')) {
    ctx.io.stderr.write('warning: AstroSell keys start with "nsk_"; stored anyway\n');
  }
  let url: string | undefined;
  const { replaced } = store.set(
    name,
    (previous) => {
      url = baseUrl ?? previous?.baseUrl;
      return url ? { key, baseUrl: url } : { key };
    },
    { makeDefault: options.default },
  );
  const isDefault = store.defaultName() === name;
  if (ctx.globals.json) {
    writeJsonValue(ctx.io, {
      name,
      key: maskKey(key),
      baseUrl: url ?? null,
      default: isDefault,
      replaced,
      verified: verify,
    });
  } else {
    const checked = verify ? `, checked at ${new URL(checkAt).host}` : ', not checked';
    ctx.io.stderr.write(
      `${replaced ? 'Updated' : 'Added'} profile "${name}" (${maskKey(key)}${checked})${isDefault ? ', the default' : ''}. Saved in ${store.path}\n`,
    );
  }
  return 0;
}

/** One read with the key. Refused: exit 3. No answer either way: the read's own exit code. */
async function verifyKey(ctx: Context, key: string, baseUrl: string): Promise<void> {
  const host = new URL(baseUrl).host;
  try {
    const shop = await ctx.shopFor({ apiKey: key, baseUrl });
    await shop.orders.list({ limit: 1 });
  } catch (error) {
    if (!(error instanceof CliError) || error instanceof InterruptedError) throw error;
    if (error.kind === 'auth') {
      throw new CliError(`${host} refused the key (${error.message}); it was not stored`, 'auth', {
        hint: 'check that the whole key was pasted, and that it is for this base URL (--base-url)',
      });
    }
    // A key or URL the client refused to send (spaces in the key, plain http): said as is.
    if (!(error instanceof ApiError)) throw error;
    throw new CliError(
      `could not check the key at ${host}: ${error.message}; it was not stored`,
      error.kind,
      {
        hint:
          error.kind === 'notFound'
            ? `is ${baseUrl} the API's base URL (ending in /api/v1)? Or add --no-verify to store the key without checking`
            : 'add --no-verify to store it without checking',
        cause: error,
      },
    );
  }
}
