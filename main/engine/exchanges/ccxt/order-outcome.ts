import type { FeeInterface, Order } from 'ccxt';
import type { LegOutcome } from '../venue.js';

/** A leg's state from ccxt's unified order, whether a REST answer or a websocket push. */
export function outcomeOf(order: Order): LegOutcome {
  const filled = order.filled ?? 0;
  const status: LegOutcome['status'] =
    order.status === 'closed'
      ? 'filled'
      : order.status === 'canceled' || order.status === 'expired'
        ? 'cancelled'
        : order.status === 'rejected'
          ? 'rejected'
          : order.status === 'open'
            ? filled > 0
              ? 'partially_filled'
              : 'open'
            : 'submitted';
  // Binance prints "0" as the average of an order with no fill yet: that is no price
  const average = order.average ? order.average : null;
  // the time of the order's last change on the exchange's clock: a position row at or after it includes its fills
  const updatedAt = order.lastUpdateTimestamp ?? order.lastTradeTimestamp ?? order.timestamp ?? null;
  return { exchangeOrderId: order.id ?? null, status, filled, averagePrice: average ?? (filled > 0 ? (order.price ?? null) : null), updatedAt: typeof updatedAt === 'number' ? updatedAt : null, fee: feeOf(order) };
}

/**
 * The order's fee so far, in one currency: ccxt's `fee`, else its `fees` when they are all in one
 * currency (Bybit's cumFeeDetail). Fees in several currencies are left to the order's trades.
 */
function feeOf(order: Order): LegOutcome['fee'] {
  // ccxt fills `fees` at run time, though its Order type names only `fee`
  const listed = (order as Order & { fees?: (FeeInterface | undefined)[] }).fees;
  const fees = listed && listed.length > 0 ? listed : order.fee ? [order.fee] : [];
  const known = fees.flatMap((fee) => (fee && typeof fee.cost === 'number' && Number.isFinite(fee.cost) && typeof fee.currency === 'string' ? [{ cost: fee.cost, currency: fee.currency }] : []));
  const currency = known[0]?.currency;
  if (currency === undefined || known.length !== fees.length || known.some((fee) => fee.currency !== currency)) return null;
  return { cost: known.reduce((sum, fee) => sum + fee.cost, 0), currency };
}
