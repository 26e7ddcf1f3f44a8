// The order statuses we know: the API reference's (completed, pending,
// processing, expired, refunded) and `cancelled`, which the service's
// orders carry too. The service may add others: a status outside this list
// is shown as it comes, never refused. Its own module: the noun's flags
// (loaded at start-up) complete them without loading the order record.
export const ORDER_STATUSES = [
  'completed',
  'pending',
  'processing',
  'expired',
  'refunded',
  'cancelled',
] as const;
