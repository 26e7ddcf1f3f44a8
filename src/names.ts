// Names where people use names: wherever a product or warehouse id is taken,
// the user may give an exact id, a product's slug or exact title, or a
// warehouse's exact name. The service does not make names unique: a name two
// records share is ambiguous (exit 2, the candidates listed). A reference
// that matches nothing is passed on as an id, so an id the list does not show
// still works, and a 404 then says what was asked for.
import { UsageError } from './errors.js';

export type Noun = 'product' | 'warehouse';

export interface Named {
  id: string;
  title?: string | null;
  slug?: string | null;
  name?: string | null;
}

/** The id `ref` names in `list`: an exact id, then (products) a slug, then an exact title; (warehouses) an exact name. */
export function resolveName(noun: Noun, ref: string, list: readonly Named[]): string {
  if (list.some((r) => r.id === ref)) return ref;
  const tiers: Array<(r: Named) => boolean> =
    noun === 'product' ? [(r) => r.slug === ref, (r) => r.title === ref] : [(r) => r.name === ref];
  for (const matches of tiers) {
    const found = list.filter(matches);
    if (found.length === 1) return found[0]!.id;
    if (found.length > 1) {
      const shown = found
        .slice(0, 10)
        .map((r) => `${r.id} (${r.title ?? r.name ?? ''})`)
        .join(', ');
      const more = found.length > 10 ? `, and ${found.length - 10} more` : '';
      throw new UsageError(`"${ref}" names ${found.length} ${noun}s: ${shown}${more}`, {
        hint: `give the id of the one you mean (astrosell ${noun}s list)`,
      });
    }
  }
  return ref;
}
