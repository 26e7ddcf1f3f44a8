// `astrosell __names product|warehouse`: what the completion scripts offer
// where a product or warehouse is taken, one `value<TAB>description` a line
// (ids, slugs, titles; ids, names). A tab press must not hang: answers come
// from a cache under the config folder while it is fresh (FRESH_MS); past
// that the list is read again, given at most WAIT_MS, and a read that fails
// or is too slow falls back to the stale cache, or to nothing. It never
// prints an error and always exits 0: completion has nowhere to show one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDirFrom } from '../../config/store.js';
import type { Context } from '../../context.js';
import type { Named, Noun } from '../../names.js';

export const FRESH_MS = 5 * 60_000;
export const WAIT_MS = 1000;

type Entry = [value: string, description: string];

interface Cached {
  at: number;
  entries: Entry[];
}

/** The completions for a list of records: each id, slug, title or name once. */
export function entriesOf(noun: Noun, list: readonly Named[]): Entry[] {
  const out = new Map<string, string>();
  const add = (value: unknown, description: unknown) => {
    if (typeof value !== 'string') return;
    // One entry a line, value and description split by a tab.
    const v = value.replace(/[\t\r\n]+/g, ' ').trim();
    if (v && !out.has(v)) out.set(v, String(description ?? '').replace(/[\t\r\n]+/g, ' '));
  };
  for (const r of list) {
    const label = noun === 'product' ? r.title : r.name;
    add(r.id, label);
    if (noun === 'product') add(r.slug, r.id);
    add(label, r.id);
  }
  return [...out];
}

function cacheFile(ctx: Context, noun: Noun, baseUrl: string, profile = ''): string {
  // One cache per shop: the base URL and profile decide which shop answers.
  const shop = createHash('sha256').update(`${baseUrl}\0${profile}`).digest('hex').slice(0, 16);
  return join(configDirFrom(ctx.env).dir, 'cache', `${noun}s-${shop}.json`);
}

function readCache(file: string): Cached | undefined {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Cached;
    return typeof c.at === 'number' && Array.isArray(c.entries) ? c : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, value: Cached): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // A name of its own: two tab presses at once must not write into one file.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written is read again next time.
  }
}

async function fresh(ctx: Context, noun: Noun): Promise<Entry[]> {
  const settings = await ctx.settings();
  const file = cacheFile(ctx, noun, settings.baseUrl, settings.profile);
  const cached = readCache(file);
  const now = ctx.clock.now();
  if (cached && now - cached.at >= 0 && now - cached.at < FRESH_MS) return cached.entries;
  try {
    const shop = await ctx.shop();
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(WAIT_MS)]);
    const list =
      noun === 'product'
        ? (await shop.products.list({ signal })).data
        : (await shop.warehouses.list({ signal })).data;
    const entries = entriesOf(noun, list);
    writeCache(file, { at: now, entries });
    return entries;
  } catch {
    return cached?.entries ?? [];
  }
}

export async function run(ctx: Context, options: { args: [string] }): Promise<number> {
  const noun = options.args[0].replace(/s$/, '');
  if (noun !== 'product' && noun !== 'warehouse') return 0;
  let entries: Entry[] = [];
  try {
    entries = await fresh(ctx, noun);
  } catch {
    // No settings (a broken config): nothing to offer.
  }
  ctx.io.stdout.write(entries.map(([v, d]) => `${v}\t${d}\n`).join(''));
  return 0;
}
