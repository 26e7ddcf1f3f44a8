// The sandbox answers with JSON of its own making (it imports nothing from
// the CLI); each answer must still be what the record definitions accept:
// every required field present and every documented field of its type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUPON } from '../../src/records/coupon.js';
import { check, type RecordDef } from '../../src/records/define.js';
import { ORDER, ORDER_DETAIL } from '../../src/records/order.js';
import { PRODUCT, PRODUCT_DETAIL } from '../../src/records/product.js';
import { WAREHOUSE, WAREHOUSE_DETAIL } from '../../src/records/warehouse.js';
import { DEMO } from '../../src/sandbox/index.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());

async function get(path: string): Promise<unknown> {
  const res = await fetch(`${shop.sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${shop.key}` },
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
  ['/products', PRODUCT, false],
  [`/products/${DEMO.products.spotify}`, PRODUCT_DETAIL, true],
  ['/warehouses', WAREHOUSE, false],
  [`/warehouses/${DEMO.warehouses.spotify}`, WAREHOUSE_DETAIL, true],
  ['/orders', ORDER, false],
  [`/orders/${DEMO.orders[0]}`, ORDER_DETAIL, true],
  ['/coupons', COUPON, false],
] as const)('the sandbox answers %s as the definition says', (path, def, one) => {
  it('every record passes the check with all its documented fields kept', async () => {
    const body = await get(path);
    const records = one ? [body] : (body as unknown[]);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(misfits(def as RecordDef<unknown>, r)).toEqual([]);
  });

  it("a CSV's fields are all sent", async () => {
    const body = await get(path);
    const first = (one ? body : (body as unknown[])[0]) as Record<string, unknown>;
    // customerEmail only by id; warehouseId only for products drawing from a warehouse.
    const optional = new Set(['customerEmail', 'warehouseId', 'currency']);
    const missing = def.fields.filter((f) => !(f in first) && !optional.has(f));
    expect(missing).toEqual([]);
  });
});
