// A status outside the known ones (src/records/order-statuses.ts) is not
// refused: `orders list` warns when nothing has it.
import { ORDER_STATUSES } from '../../records/order-statuses.js';

export { ORDER_STATUSES };

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
