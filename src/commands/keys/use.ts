import { profileLabel } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { writeJsonValue } from '../../render/output.js';

export async function run(ctx: Context, options: { args: [string] }): Promise<number> {
  const [name] = options.args;
  const store = await ctx.profiles();
  // Checked under the config's lock, in the file as it is now (another command may remove it).
  if (!store.setDefault(name)) {
    const names = store.list().map((p) => p.name);
    throw new UsageError(`profile "${profileLabel(name)}" not found`, {
      hint: names.length
        ? `known profiles: ${names.join(', ')}`
        : 'add one with `astrosell keys add <name>`',
    });
  }
  if (ctx.globals.json) writeJsonValue(ctx.io, { default: name });
  else ctx.io.stderr.write(`"${name}" is now the default profile.\n`);
  return 0;
}
