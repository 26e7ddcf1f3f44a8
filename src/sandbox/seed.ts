// The demo shop: fixed ids, dates and serials, so docs and tests can name
// them. One shared pool feeds two products, one pool sits at its low-stock
// threshold (for `warehouses check`), one product is legacy inline stock.

import { SerialPool } from './pool.js';
import { mulberry32, type Rng } from './rng.js';
import type { Coupon, Order, Product, Store, Warehouse } from './store.js';

export const DEMO = {
  warehouses: {
    netflix: '66f0c3a1b2c3d4e5f6a7b801',
    steam: '66f0c3a1b2c3d4e5f6a7b802',
    spotify: '66f0c3a1b2c3d4e5f6a7b803',
  },
  products: {
    netflix1m: '66f0a1b2c3d4e5f6a7b8c901',
    netflix3m: '66f0a1b2c3d4e5f6a7b8c902',
    steam20: '66f0a1b2c3d4e5f6a7b8c903',
    spotify: '66f0a1b2c3d4e5f6a7b8c904',
    windowsLegacy: '66f0a1b2c3d4e5f6a7b8c905',
    setupService: '66f0a1b2c3d4e5f6a7b8c906',
    wallpapers: '66f0a1b2c3d4e5f6a7b8c907',
    vpnDynamic: '66f0a1b2c3d4e5f6a7b8c908',
  },
  /** Invoice ids, newest last in this list. */
  orders: [
    'AS-7KD2P9',
    'AS-3HQ8ZT',
    'AS-9MX4LB',
    'AS-2WR7NC',
    'AS-5TY6JD',
    'AS-8PV3KE',
    'AS-4GN9QF',
    'AS-6BZ2HM',
    'AS-7CE5RW',
    'AS-3JU8VX',
    'AS-9LA6SY',
    'AS-2QF4TG',
  ],
  coupons: ['LAUNCH10', 'SUMMER5', 'VIP20', 'BLACKFRIDAY'],
  /** Warehouse at (or below) its lowStockThreshold. */
  lowStockWarehouse: '66f0c3a1b2c3d4e5f6a7b803',
  /** Serial counts of the pools at start. */
  counts: { netflix: 40, steam: 25, spotify: 3, windowsLegacy: 12 },
} as const;

const CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function serials(rng: Rng, prefix: string, n: number): string[] {
  const out: string[] = [];
  const block = () => {
    let s = '';
    for (let i = 0; i < 4; i++) s += CHARS[Math.floor(rng() * CHARS.length)];
    return s;
  };
  while (out.length < n) {
    const s = `${prefix}-${block()}-${block()}`;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

const day = (d: string) => `2026-${d}.000Z`;

export function seedDemo(store: Store): void {
  const rng = mulberry32(20260601);
  const W = DEMO.warehouses;
  const P = DEMO.products;
  const wh = (
    id: string,
    name: string,
    pool: SerialPool,
    lowStockThreshold: number | null,
    createdAt: string,
  ): Warehouse => ({
    id,
    name,
    pool,
    removeDuplicates: true,
    removeSold: true,
    lowStockThreshold,
    createdAt,
  });
  const warehouses = [
    wh(
      W.netflix,
      'Netflix pool',
      new SerialPool(serials(rng, 'NFLX', 40)),
      20,
      day('05-20T09:00:00'),
    ),
    wh(
      W.steam,
      'Steam Gift Card $20',
      new SerialPool(serials(rng, 'STM20', 25)),
      5,
      day('05-22T09:00:00'),
    ),
    wh(
      W.spotify,
      'Spotify Family pool',
      new SerialPool(serials(rng, 'SPFY', 3)),
      5,
      day('05-25T09:00:00'),
    ),
  ];
  for (const w of warehouses) store.warehouses.set(w.id, w);

  const base = { salesCount: 0, purchaseNote: null, warehouseId: null, inline: null };
  const products: Product[] = [
    {
      ...base,
      id: P.windowsLegacy,
      title: 'Windows 10 Pro Key (legacy)',
      slug: 'windows-10-pro-key-legacy',
      price: 14.99,
      currency: 'CAD',
      type: 'serials',
      visibility: 'unlisted',
      salesCount: 57,
      inline: new SerialPool(serials(rng, 'W10P', 12)),
      createdAt: day('01-15T08:30:00'),
    },
    {
      ...base,
      id: P.netflix1m,
      title: 'Netflix Premium 1 Month',
      slug: 'netflix-premium-1-month',
      price: 4.99,
      currency: 'USD',
      type: 'serials',
      visibility: 'public',
      salesCount: 318,
      purchaseNote: 'Log in at netflix.com with the delivered account.',
      warehouseId: W.netflix,
      createdAt: day('06-01T12:00:00'),
    },
    {
      ...base,
      id: P.netflix3m,
      title: 'Netflix Premium 3 Months',
      slug: 'netflix-premium-3-months',
      price: 12.99,
      currency: 'USD',
      type: 'serials',
      visibility: 'public',
      salesCount: 41,
      warehouseId: W.netflix,
      createdAt: day('06-02T12:00:00'),
    },
    {
      ...base,
      id: P.steam20,
      title: 'Steam Gift Card $20',
      slug: 'steam-gift-card-20',
      price: 18.5,
      currency: 'EUR',
      type: 'serials',
      visibility: 'public',
      salesCount: 96,
      purchaseNote: 'Thanks for your order!',
      warehouseId: W.steam,
      createdAt: day('06-03T12:00:00'),
    },
    {
      ...base,
      id: P.spotify,
      title: 'Spotify Family 1 Month',
      slug: 'spotify-family-1-month',
      price: 3.49,
      currency: 'GBP',
      type: 'serials',
      visibility: 'private',
      salesCount: 12,
      warehouseId: W.spotify,
      createdAt: day('06-04T12:00:00'),
    },
    {
      ...base,
      id: P.setupService,
      title: 'Account Setup Service',
      slug: 'account-setup-service',
      price: 25,
      currency: 'USD',
      type: 'service',
      visibility: 'public',
      salesCount: 8,
      createdAt: day('06-05T12:00:00'),
    },
    {
      ...base,
      id: P.wallpapers,
      title: '4K Wallpaper Pack',
      slug: '4k-wallpaper-pack',
      price: 2,
      currency: 'EUR',
      type: 'file',
      visibility: 'public',
      salesCount: 133,
      createdAt: day('06-06T12:00:00'),
    },
    {
      ...base,
      id: P.vpnDynamic,
      title: 'VPN Trial Account',
      slug: 'vpn-trial-account',
      price: 0,
      currency: 'USD',
      type: 'dynamic',
      visibility: 'unlisted',
      salesCount: 210,
      createdAt: day('06-07T12:00:00'),
    },
  ];
  for (const p of products) store.products.set(p.id, p);

  const statuses = [
    ['completed', P.netflix1m, 1],
    ['completed', P.steam20, 2],
    ['pending', P.netflix3m, 1],
    ['completed', P.windowsLegacy, 1],
    ['processing', P.spotify, 1],
    ['expired', P.netflix1m, 1],
    ['refunded', P.steam20, 1],
    ['completed', P.setupService, 1],
    ['cancelled', P.wallpapers, 1],
    ['completed', P.netflix3m, 1],
    ['pending', P.vpnDynamic, 3],
    ['completed', P.wallpapers, 1],
  ] as const;
  const gateways = ['crypto', 'stripe', 'paypal'];
  statuses.forEach(([status, productId, quantity], i) => {
    const p = store.products.get(productId)!;
    const delivered =
      (status === 'completed' || status === 'refunded') && p.type === 'serials'
        ? serials(rng, `SOLD-${p.slug.slice(0, 4).toUpperCase()}`, quantity)
        : [];
    const order: Order = {
      invoiceId: DEMO.orders[i]!,
      productId,
      productTitle: p.title,
      quantity,
      total: Math.round(p.price * quantity * 100) / 100,
      currency: p.currency,
      status,
      gateway: gateways[i % gateways.length]!,
      customerEmail: `buyer${i + 1}@example.com`,
      createdAt: day(`06-${String(10 + i).padStart(2, '0')}T10:11:12`),
      deliveredItems: delivered,
    };
    store.orders.set(order.invoiceId, order);
  });

  const coupons: Coupon[] = [
    {
      code: 'LAUNCH10',
      type: 'percent',
      value: 10,
      uses: 42,
      maxUses: 100,
      expiresAt: '2026-12-31T00:00:00.000Z',
    },
    {
      code: 'SUMMER5',
      type: 'fixed',
      value: 5,
      uses: 17,
      maxUses: 50,
      expiresAt: '2025-09-01T00:00:00.000Z',
    },
    { code: 'VIP20', type: 'percent', value: 20, uses: 3, maxUses: null, expiresAt: null },
    {
      code: 'BLACKFRIDAY',
      type: 'fixed',
      value: 3,
      uses: 200,
      maxUses: 200,
      expiresAt: '2025-11-30T23:59:59.000Z',
    },
  ];
  store.coupons.push(...coupons);
}
