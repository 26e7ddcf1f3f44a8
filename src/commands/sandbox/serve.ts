// `astrosell sandbox`: the local AstroSell-compatible API (src/sandbox/).
// Its options are checked in one place, src/sandbox/command.ts.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { SandboxCommandOptions } from '../../sandbox/command.js';

export async function run(ctx: Context, options: SandboxCommandOptions): Promise<number> {
  const { runSandboxCommand } = await import('../../sandbox/index.js');
  try {
    return await runSandboxCommand(options, ctx.io, ctx.signal);
  } catch (error) {
    if (error instanceof Error && !(error instanceof UsageError)) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
