// `keys list`: the stored profiles (src/records/profile.ts), keys masked.
// --json (and --format json) is one object, the default profile's name and
// the profiles; --fields picks from the profiles, in any format.
import { DEFAULT_BASE_URL, maskKey } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { type Profile, profileRecord } from '../../records/profile.js';
import type { RecordFlags } from '../../render/formats.js';
import { writeJsonValue } from '../../render/output.js';
import { chooseFormat } from '../../render/records.js';
import { print } from '../print.js';

export async function run(ctx: Context, options: RecordFlags): Promise<number> {
  const format = chooseFormat(ctx.globals, ctx.io, options.format);
  const store = await ctx.profiles();
  const profiles = store.list().map(
    ({ name, profile, isDefault }): Profile => ({
      name,
      key: profile.key ? maskKey(profile.key) : '',
      baseUrl: profile.baseUrl ?? null,
      default: isDefault,
    }),
  );
  if (format === 'json' && !options.fields) {
    // One object, like every computed result (docs/cli.md), so fields can be added later.
    writeJsonValue(ctx.io, { default: store.defaultName() ?? null, profiles });
    return 0;
  }
  return print(ctx, profileRecord(DEFAULT_BASE_URL), profiles, options);
}
