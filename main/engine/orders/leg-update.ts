import { formatAmount } from '../../../shared/decimal.js';
import type { LegOutcome } from '../exchanges/venue.js';
import type { LegUpdate } from '../store/journal.js';

/** A leg's state as the exchange told it, as the journal writes it (the fee only when it was told). */
export function legUpdateOf(outcome: LegOutcome): LegUpdate {
  return {
    ...(outcome.exchangeOrderId ? { exchangeOrderId: outcome.exchangeOrderId } : {}),
    status: outcome.status,
    filled: formatAmount(outcome.filled),
    averagePrice: outcome.averagePrice === null ? null : formatAmount(outcome.averagePrice),
    ...(outcome.fee ? { fee: formatAmount(outcome.fee.cost), feeCurrency: outcome.fee.currency } : {}),
    ...(outcome.reason ? { error: outcome.reason.slice(0, 200) } : {}),
    answeredAt: new Date().toISOString(),
  };
}
