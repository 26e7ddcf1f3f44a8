// Resolving a product or warehouse reference given on the command line
// (src/names.ts says the rule) and saying a 404 in the user's words.
import type { Resources } from '../api/resources/index.js';
import { NotFoundError } from '../errors.js';
import { type Noun, resolveName } from '../names.js';

/** The id `ref` names (one list read). */
export async function resolveId(
  shop: Resources,
  noun: Noun,
  ref: string,
  signal?: AbortSignal,
): Promise<string> {
  const list =
    noun === 'product'
      ? (await shop.products.list({ signal })).data
      : (await shop.warehouses.list({ signal })).data;
  return resolveName(noun, ref, list);
}

/** A 404 for `ref` said in the user's words, with where to look. */
export function notFound(noun: Noun, ref: string): NotFoundError {
  const by = noun === 'product' ? 'id, slug or title' : 'id or name';
  return new NotFoundError(`no ${noun} with the ${by} "${ref}"`, {
    hint: `astrosell ${noun}s list shows them`,
  });
}

/** `step` for `id`, with a 404 said in the words the user gave (`ref`). */
async function reworded<T>(
  noun: Noun,
  ref: string,
  step: (id: string) => Promise<T>,
  id: string,
): Promise<T> {
  try {
    return await step(id);
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound(noun, ref);
    throw error;
  }
}

/**
 * Runs `step` with `ref` as an id; if there is no such id, with the id `ref`
 * names (one list read). An id, the common case, costs no list read: a read
 * verb whose answer may be large (a pool's serials) never waits on a list.
 */
export async function idFirst<T>(
  shop: Resources,
  noun: Noun,
  ref: string,
  step: (id: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await step(ref);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const id = await resolveId(shop, noun, ref, signal);
  if (id === ref) throw notFound(noun, ref);
  return reworded(noun, ref, step, id);
}
