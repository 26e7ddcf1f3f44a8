// The order statuses we know: the API reference's (completed, pending,
// processing, expired, refunded) and `cancelled`, which the service's
// orders carry too. The service may add others, so a status outside this
// list is not refused: `orders list` warns when nothing has it.
export const ORDER_STATUSES = [
  'completed',
  'pending',
  'processing',
  'expired',
  'refunded',
  'cancelled',
] as const;

/** True when `status` is not one we know and none of `seen` has it: most likely a typo. */
export function unknownStatus(status: string, seen: ReadonlyArray<{ status?: unknown }>): boolean {
  return (
    !(ORDER_STATUSES as readonly string[]).includes(status) &&
    !seen.some((o) => o.status === status)
  );
}

export function unknownStatusWarning(status: string): string {
  return `warning: no order has the status "${status}"; the known statuses are ${ORDER_STATUSES.join(', ')}\n`;
}
