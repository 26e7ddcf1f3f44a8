// products create on a terminal: only the questions whose answer can be valid are asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, type TestShop } from '../../helpers/sandbox.js';
import { typeInto } from '../../helpers/typing.js';

describe('products create, prompting', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('--warehouse implies a serials product: no Type question', async () => {
    const [pool] = [...shop.sandbox.store.warehouses.values()];
    const r = await typeInto(
      ['products', 'create', '--title', 'Linked', '--price', '3', '--warehouse', pool!.id],
      shop.env,
      [
        [/Currency/, '\r'],
        [/Visibility/, '\r'],
        [/Create this product\?/, '\r'],
      ],
    );
    expect(r.stderr).not.toContain('Type');
    expect(r.code).toBe(0);
    const created = [...shop.sandbox.store.products.values()].find((p) => p.title === 'Linked');
    expect(created).toMatchObject({ type: 'serials', warehouseId: pool!.id });
  });
});
