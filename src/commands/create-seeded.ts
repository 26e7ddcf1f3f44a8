// The create request both `products create` and `warehouses create` make,
// with its optional seed file: a small seed travels in the create body; a
// large one is streamed in afterwards through the restock engine, and what
// is shown is the resource as it is after that (the create answer says 0).
import type { Answer, Resources } from '../api/resources/index.js';
import type { Context } from '../context.js';
import type { TargetKind } from '../restock/index.js';
import { readSeed, restockSeed } from './seed.js';

export async function createSeeded<T extends { id: string }>(
  ctx: Context,
  o: {
    kind: TargetKind;
    /** The create call, with the seed's serials when they fit in its body. */
    create: (shop: Resources, stock: string | undefined) => Promise<Answer<T>>;
    /** The list the created resource is read back from after a large seed. */
    list: (shop: Resources) => PromiseLike<Answer<T[]>>;
    stockFile: string | undefined;
  },
): Promise<Pick<Answer<T>, 'data' | 'raw'>> {
  // Read and checked before anything is sent.
  const seed = o.stockFile ? await readSeed(ctx, o.stockFile) : undefined;
  try {
    const shop = await ctx.shop();
    const res = await o.create(shop, seed?.stock);
    const created = res.data;
    if (seed?.large && o.stockFile) {
      await restockSeed(ctx, o.kind, created.id, o.stockFile, seed.large);
      // The list, not a GET by id: that would carry every serial of a large seed.
      const now = (await o.list(shop)).data.find((x) => x.id === created.id);
      if (now) return { data: now, raw: JSON.stringify(now) };
    }
    return res;
  } finally {
    seed?.cleanup();
  }
}
