// The create request both `products create` and `warehouses create` make,
// with its optional seed file: a small seed travels in the create body; a
// large one is streamed in afterwards through the restock engine, and what
// is shown is the resource as it is after that (the create answer says 0).
import type { Context } from '../context.js';
import { readSeed, restockSeed } from '../restock/seed.js';
import type { TargetKind } from '../restock/target.js';
import { asObject, type Json, listEntry } from './shared.js';

export async function createSeeded(
  ctx: Context,
  o: { kind: TargetKind; path: string; body: Json; stockFile: string | undefined },
): Promise<{ created: Json; answer: string }> {
  // Read and checked before anything is sent.
  const seed = o.stockFile ? await readSeed(ctx, o.stockFile) : undefined;
  try {
    const body = seed?.stock !== undefined ? { ...o.body, stock: seed.stock } : o.body;
    const api = await ctx.api();
    const res = await api.request({ method: 'POST', path: o.path, body, idempotent: false });
    let created = asObject(JSON.parse(res.text), o.kind);
    let answer = res.text;
    if (seed?.large && o.stockFile) {
      await restockSeed(ctx, o.kind, String(created.id), o.stockFile, seed.large);
      const now = await listEntry(ctx, o.path, String(created.id));
      if (now) {
        created = now;
        answer = JSON.stringify(now);
      }
    }
    return { created, answer };
  } finally {
    seed?.cleanup();
  }
}
