// `import { AstroSell } from 'astrosell'`: the typed client as a library.
// The sandbox server is its own entry point, 'astrosell/sandbox'.
export { AstroSell, type AstroSellOptions } from './api/astrosell.js';
export type {
  Answer,
  CallOptions,
  Coupon,
  Currency,
  Order,
  OrderStatus,
  OrdersQuery,
  PoolKind,
  Product,
  ProductCreate,
  ProductDetail,
  ProductType,
  Resources,
  StockAdd,
  StockAddResult,
  Visibility,
  Warehouse,
  WarehouseCreate,
  WarehouseDetail,
} from './api/resources/index.js';
export {
  ApiError,
  AuthError,
  CliError,
  type ErrorKind,
  EXIT_CODES,
  InterruptedError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UsageError,
  ValidationError,
} from './errors.js';
