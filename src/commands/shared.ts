// Small pieces every read command uses: fetch through a resource, then
// either pass the service's JSON through (--json) or hand the typed data to
// a renderer.
import type { Answer, Resources } from '../api/resources/index.js';
import type { Context } from '../context.js';
import { createRenderer, type Renderer, writeJsonBody } from '../render/output.js';

/** Call a resource; with --json print its body untouched, else render the typed value. */
export async function show<T>(
  ctx: Context,
  call: (shop: Resources) => Promise<Answer<T>>,
  render: (data: T, r: Renderer) => void,
): Promise<number> {
  const answer = await call(await ctx.shop());
  if (ctx.globals.json) {
    writeJsonBody(ctx.io, answer.raw);
    return 0;
  }
  render(answer.data, await createRenderer(ctx.io));
  return 0;
}
