import { checkBaseUrl, maskKey } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { writeJsonValue } from '../../render/output.js';
import { readKey } from './read-key.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function run(
  ctx: Context,
  options: { args: [string]; baseUrl?: string; default?: boolean },
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
  // The subcommand's --base-url is the profile's; the global one may also carry it.
  const baseUrl = options.baseUrl ?? ctx.globals.baseUrl;
  if (baseUrl) checkBaseUrl(baseUrl);
  const key = await readKey(ctx, name);
  if (!key.startsWith('nsk_')) {
    ctx.io.stderr.write('warning: AstroSell keys start with "nsk_"; stored anyway\n');
  }
  const store = await ctx.profiles();
  let url: string | undefined;
  const { replaced: existed } = store.set(
    name,
    (previous) => {
      // A new key for an existing profile keeps its base URL unless told
      // otherwise: dropping it would send a sandbox profile's key to production.
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
      replaced: existed,
    });
  } else {
    ctx.io.stderr.write(
      `${existed ? 'Updated' : 'Added'} profile "${name}" (${maskKey(key)})${isDefault ? ', the default' : ''}. Saved in ${store.path}\n`,
    );
  }
  return 0;
}
