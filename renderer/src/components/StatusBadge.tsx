import type { OrderStatus } from '../../../shared/order-view.js';
import { statusTone } from '../state/order-format.js';

/** An order's status exactly as the API names it, coloured by what it means. */
export function StatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <span className={`status tone-${statusTone(status)}`} data-testid={testId}>
      {status}
    </span>
  );
}
