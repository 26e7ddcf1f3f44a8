// Small pieces every read command uses: fetch, then either pass the
// service's JSON through (--json) or hand parsed rows to a renderer.
import { once } from 'node:events';
import type { ApiStream } from '../api/client.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { createRenderer, type Renderer, writeJsonBody } from '../render/output.js';

export type Json = Record<string, unknown>;

/**
 * The largest answer parsed for a table: parsing holds the body several
 * times over in memory. Above it the error says to use --json, which is
 * written out as it arrives.
 */
export const MAX_TABLE_BYTES = 64 * 2 ** 20;

/** GET a resource; with --json print its body untouched, else render the parsed value. */
export async function show<T>(
  ctx: Context,
  path: string,
  query: Record<string, string | number | undefined> | undefined,
  render: (data: T, r: Renderer) => void,
): Promise<number> {
  const api = await ctx.api();
  // Piped --json (`warehouses get ID --json > pool.json`): byte for byte as
  // it arrives, in bounded memory, however large the pool.
  if (ctx.globals.json && !ctx.io.stdoutIsTTY) {
    await streamBody(ctx, await api.stream({ method: 'GET', path, query }));
    return 0;
  }
  const { data, text } = await api.getJson<T>(path, query, { maxBodyBytes: MAX_TABLE_BYTES });
  if (ctx.globals.json) {
    writeJsonBody(ctx.io, text);
    return 0;
  }
  render(data, await createRenderer(ctx.io));
  return 0;
}

/** Write a streamed body to stdout as it comes (keys masked), newline-terminated. */
async function streamBody(ctx: Context, res: ApiStream): Promise<void> {
  const out = ctx.io.stdout;
  const masking = ctx.masker?.chunks();
  let last = 0x0a;
  const write = async (b: Buffer) => {
    if (b.length && !out.write(b)) await once(out, 'drain');
  };
  for await (const chunk of res.body) {
    if (chunk.length) last = chunk[chunk.length - 1]!;
    await write(masking ? masking.push(chunk) : chunk);
  }
  if (masking) await write(masking.end());
  if (last !== 0x0a) await write(Buffer.from('\n'));
}

/** Lists must be arrays; anything else is reported rather than crashing the renderer. */
export function asArray(data: unknown, what: string): Json[] {
  if (!Array.isArray(data)) throw new Error(`expected a list of ${what} from the service`);
  return data.filter((x): x is Json => typeof x === 'object' && x !== null);
}

export function asObject(data: unknown, what: string): Json {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`expected a ${what} object from the service`);
  }
  return data as Json;
}

export function idPath(prefix: string, id: string): string {
  // URLs resolve `.`/`..` segments (even as %2E), so `get ..` would fetch
  // another resource and render it as this one.
  if (id.trim() === '' || /^(\.|%2e){1,2}$/i.test(id)) throw new UsageError(`invalid id "${id}"`);
  return `${prefix}/${encodeURIComponent(id)}`;
}

/**
 * A resource as its list describes it now, without the pool's items that a
 * GET by id would carry (thousands of serials after a large seed).
 */
export async function listEntry(ctx: Context, path: string, id: string): Promise<Json | undefined> {
  const api = await ctx.api();
  const { data } = await api.getJson<unknown>(path);
  return asArray(data, path.slice(1)).find((x) => x.id === id);
}
