// `astrosell sandbox`: the local AstroSell-compatible API (src/sandbox/).
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { SandboxCommandOptions } from '../sandbox/command.js';

type Options = SandboxCommandOptions;

function share(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1))
    throw new UsageError(`${name} must be between 0 and 1`);
}

export async function run(ctx: Context, options: Options): Promise<number> {
  share('--error-rate', options.errorRate);
  share('--drop-rate', options.dropRate);
  const { runSandboxCommand } = await import('../sandbox/index.js');
  try {
    return await runSandboxCommand(options, ctx.io, ctx.signal);
  } catch (error) {
    if (error instanceof Error && !(error instanceof UsageError)) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
