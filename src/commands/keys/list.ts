import { DEFAULT_BASE_URL, maskKey } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { createRenderer, writeJsonValue } from '../../render/output.js';

export async function run(ctx: Context): Promise<number> {
  const store = await ctx.profiles();
  const rows = store.list().map(({ name, profile, isDefault }) => ({
    name,
    key: profile.key ? maskKey(profile.key) : '',
    baseUrl: profile.baseUrl ?? null,
    default: isDefault,
  }));
  if (ctx.globals.json) {
    // One object, like every computed result (docs/cli.md), so fields can be added later.
    writeJsonValue(ctx.io, { default: store.defaultName() ?? null, profiles: rows });
    return 0;
  }
  const r = await createRenderer(ctx.io);
  r.list(
    rows,
    [
      { header: 'default', value: (p) => (p.default ? '*' : '') },
      { header: 'name', value: (p) => p.name },
      { header: 'key', value: (p) => p.key },
      {
        header: 'base url',
        value: (p) => p.baseUrl ?? `${DEFAULT_BASE_URL} (default)`,
        shrink: true,
      },
    ],
    { empty: 'No profiles. Add one with `astrosell keys add <name>`.' },
  );
  return 0;
}
