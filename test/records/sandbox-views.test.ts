// The sandbox answers with JSON of its own making (it imports nothing from
// the CLI); each answer must still be what the record definitions accept:
// every required field present and every documented field of its type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUPON } from '../../src/records/coupon.js';
import { check, type RecordDef } from '../../src/records/define.js';
import { ORDER, ORDER_DETAIL } from '../../src/records/order.js';
import { PRODUCT, PRODUCT_DETAIL } from '../../src/records/product.js';
import { STOCK_ANSWER } from '../../src/records/stock.js';
import { WAREHOUSE, WAREHOUSE_DETAIL } from '../../src/records/warehouse.js';
import { DEMO } from '../../src/sandbox/index.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

/** The sandbox's answer to `GET path`, or to `POST path` with a JSON body. */
async function answer(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${shop.sandbox.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${shop.key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** Each field the check would drop (wrong type) or miss (required). */
function misfits(def: RecordDef<unknown>, value: unknown): string[] {
  const kept = check<Record<string, unknown>>(def, value);
  return Object.keys(def.schema).filter(
    (f) => (value as Record<string, unknown>)[f] !== undefined && !(f in kept),
  );
}

describe.each([
  ['/products', PRODUCT, 'list'],
  [`/products/${DEMO.products.spotify}`, PRODUCT_DETAIL, 'one'],
  ['/warehouses', WAREHOUSE, 'list'],
  [`/warehouses/${DEMO.warehouses.spotify}`, WAREHOUSE_DETAIL, 'one'],
  ['/orders', ORDER, 'list'],
  [`/orders/${DEMO.orders[0]}`, ORDER_DETAIL, 'one'],
  ['/coupons', COUPON, 'list'],
  // POSTed a new serial each time: the answer of a stock add that stored it.
  [`/warehouses/${DEMO.warehouses.spotify}/stock`, STOCK_ANSWER, 'stock add'],
] as const)('the sandbox answers %s as the definition says', (path, def, asked) => {
  const one = asked !== 'list';
  const get = () =>
    answer(
      path,
      asked === 'stock add' ? { stock: `VIEW-${Math.random().toString(36).slice(2)}` } : undefined,
    );

  it('every record passes the check with all its documented fields kept', async () => {
    const body = await get();
    const records = one ? [body] : (body as unknown[]);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(misfits(def as RecordDef<unknown>, r)).toEqual([]);
  });

  it("a CSV's fields are all sent", async () => {
    const body = await get();
    const first = (one ? body : (body as unknown[])[0]) as Record<string, unknown>;
    // customerEmail only by id; warehouseId only for products drawing from a warehouse.
    const optional = new Set(['customerEmail', 'warehouseId', 'currency']);
    const missing = def.fields.filter((f) => !(f in first) && !optional.has(f));
    expect(missing).toEqual([]);
  });
});
