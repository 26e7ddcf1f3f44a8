// `products create`: every body parameter as a flag; on a terminal, what is
// missing is asked. Values are checked before anything is sent.
import type { ProductCreate } from '../../api/resources/products.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { resolveName } from '../../names.js';
import { missingValues, type Prompter, typedPath } from '../../prompt.js';
import { CURRENCIES, PRODUCT_DETAIL, PRODUCT_TYPES, VISIBILITIES } from '../../records/product.js';
import { text } from '../../render/format.js';
import { createSeeded } from '../create-seeded.js';
import { print } from '../print.js';
import { notFound } from '../resolve.js';
import { readableFile, review } from '../review.js';

export interface CreateProductFlags {
  title?: string;
  price?: string;
  type?: string;
  currency?: string;
  visibility?: string;
  purchaseNote?: string;
  warehouse?: string;
  stockFile?: string;
}

export function parsePrice(value: string, flag = '--price'): number {
  const v = value.trim();
  const n = Number(v);
  if (v === '' || !/^\d*\.?\d+$|^\d+\.$/.test(v) || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag} must be a number ≥ 0 (got "${value}")`);
  }
  return n;
}

export function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  flag: string,
  normalise: (s: string) => string = (s) => s.trim().toLowerCase(),
): T {
  const v = normalise(value);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return v as T;
}

const upper = (s: string) => s.trim().toUpperCase();

export async function run(ctx: Context, flags: CreateProductFlags): Promise<number> {
  // Check what was given before asking for or sending anything.
  let price = flags.price === undefined ? undefined : parsePrice(flags.price);
  let type = flags.type === undefined ? undefined : oneOf(flags.type, PRODUCT_TYPES, '--type');
  let currency =
    flags.currency === undefined
      ? undefined
      : oneOf(flags.currency, CURRENCIES, '--currency', upper);
  let visibility =
    flags.visibility === undefined
      ? undefined
      : oneOf(flags.visibility, VISIBILITIES, '--visibility');
  let title = flags.title?.trim();
  if (flags.title !== undefined && !title) throw new UsageError('--title must not be empty');
  let warehouse = flags.warehouse?.trim() || undefined;
  let stockFile = flags.stockFile;
  if (warehouse && stockFile) {
    throw new UsageError('pass either --warehouse or --stock-file, not both', {
      hint: '--stock-file creates a dedicated warehouse; --warehouse links an existing one',
    });
  }
  if (type && type !== 'serials' && (warehouse || stockFile)) {
    throw new UsageError(
      `--warehouse and --stock-file apply only to serials products, not ${type}`,
    );
  }

  // A warehouse by id or name (src/names.ts), known to exist before anything is asked or sent.
  if (warehouse) warehouse = await listedWarehouse(ctx, warehouse);

  // Asked for anything: the answers are reviewed (as a command line) before anything is created.
  let asked = false;
  // A warehouse or stock file makes it a serials product: any other answer would be refused.
  if (warehouse || stockFile) type ??= 'serials';
  if (ctx.io.canPrompt) {
    const p = await ctx.prompter();
    asked = !title || price === undefined || !currency || !visibility || !type;
    asked ||= type === 'serials' && !warehouse && !stockFile;
    title ??= (await p.input('Title', { validate: (v) => (v.trim() ? true : 'required') })).trim();
    price ??= parsePrice(
      await p.input('Price', {
        validate: (v) => {
          try {
            parsePrice(v);
            return true;
          } catch (error) {
            return (error as Error).message.replace('--price', 'price');
          }
        },
      }),
    );
    type ??= await p.select(
      'Type',
      PRODUCT_TYPES.map((t) => ({ name: t, value: t })),
      { default: 'serials' },
    );
    currency ??= await p.select(
      'Currency',
      CURRENCIES.map((c) => ({ name: c, value: c })),
      { default: 'USD' },
    );
    visibility ??= await p.select(
      'Visibility',
      VISIBILITIES.map((v) => ({ name: v, value: v })),
      { default: 'public' },
    );
    if (type === 'serials' && !warehouse && !stockFile) {
      const picked = await pickStockSource(ctx, p);
      warehouse = picked.warehouse;
      stockFile = picked.stockFile;
    }
    if (asked) {
      await review(ctx, p, 'product', [
        'products',
        'create',
        '--title',
        title,
        '--price',
        String(price),
        ...(type ? ['--type', type] : []),
        ...(currency ? ['--currency', currency] : []),
        ...(visibility ? ['--visibility', visibility] : []),
        ...(flags.purchaseNote !== undefined ? ['--purchase-note', flags.purchaseNote] : []),
        ...(warehouse ? ['--warehouse', warehouse] : []),
        ...(stockFile ? ['--stock-file', stockFile] : []),
      ]);
    }
  } else if (!title || price === undefined) {
    // Every one that is missing, at once.
    throw missingValues([
      ...(title ? [] : [['--title', 'product title'] as const]),
      ...(price === undefined ? [['--price', 'price'] as const] : []),
    ]);
  }

  const body: ProductCreate = { title, price };
  if (type) body.type = type;
  if (currency) body.currency = currency;
  if (visibility) body.visibility = visibility;
  if (flags.purchaseNote !== undefined) body.purchaseNote = flags.purchaseNote;
  if (warehouse) body.warehouseId = warehouse;
  const created = await createSeeded(ctx, {
    kind: 'product',
    create: (shop, stock) => shop.products.create(stock === undefined ? body : { ...body, stock }),
    list: (shop) => shop.products.list(),
    stockFile,
  });
  return print(ctx, PRODUCT_DETAIL, created);
}

/** The id of the warehouse `ref` names; one the list does not hold is not found (exit 4). */
async function listedWarehouse(ctx: Context, ref: string): Promise<string> {
  const shop = await ctx.shop();
  const list = (await shop.warehouses.list({ signal: ctx.signal })).data;
  const id = resolveName('warehouse', ref, list);
  if (!list.some((w) => w.id === id)) throw notFound('warehouse', ref);
  return id;
}

async function pickStockSource(
  ctx: Context,
  p: Prompter,
): Promise<{ warehouse?: string; stockFile?: string }> {
  const choice = await p.select<'warehouse' | 'file' | 'none'>('Stock', [
    { name: 'Draw from an existing warehouse', value: 'warehouse' },
    { name: 'Load serials from a file', value: 'file' },
    { name: 'None for now (an empty dedicated warehouse)', value: 'none' },
  ]);
  if (choice === 'file') {
    // Checked as typed: a wrong path asks again, keeping the other answers.
    const path = await p.input('File of serials (one per line)', {
      validate: (v) => readableFile(typedPath(v, ctx.env)),
    });
    return { stockFile: typedPath(path, ctx.env) };
  }
  if (choice === 'none') return {};
  const shop = await ctx.shop();
  const list = (await shop.warehouses.list()).data;
  if (list.length === 0) {
    ctx.io.stderr.write('There are no warehouses yet; creating the product with none.\n');
    return {};
  }
  const id = await p.select(
    'Warehouse',
    list.map((w) => ({ name: `${text(w.name)} (${text(w.count)} in stock)`, value: String(w.id) })),
  );
  return { warehouse: id };
}
