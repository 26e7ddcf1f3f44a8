import { profileLabel } from '../../config/settings.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { writeJsonValue } from '../../render/output.js';

export async function run(ctx: Context, options: { args: [string] }): Promise<number> {
  const [name] = options.args;
  const store = await ctx.profiles();
  const wasDefault = store.defaultName() === name;
  if (!store.remove(name)) throw new UsageError(`profile "${profileLabel(name)}" not found`);
  const next = store.defaultName();
  const left = store.list().map((p) => p.name);
  if (ctx.globals.json) writeJsonValue(ctx.io, { removed: name, default: next ?? null });
  else {
    ctx.io.stderr.write(
      `Removed profile "${name}".${
        wasDefault && left.length
          ? ` There is no default profile now: pick one with \`astrosell keys use <name>\` (${left.join(', ')}).`
          : ''
      }\n`,
    );
  }
  return 0;
}
