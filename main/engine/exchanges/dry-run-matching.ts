import type { SimulatedOrder } from '../store/dry-run-orders.js';

/**
 * When the price fills a simulated order, and at what price: the exchanges' matching, for a book
 * that is only its last price.
 * - A Limit buy fills once the price is at or below its limit, a sell at or above; resting, it fills
 *   at its own price as the maker; placed where the price already crosses it, at once at the price,
 *   as the taker (a marketable Limit).
 * - A stop-loss or take-profit is a reduce-only conditional order on the side that closes the
 *   position: a stop selling (closing a long) triggers once the price falls to its trigger, one
 *   buying once it rises to it; a take-profit the other way. Triggered, it fills at the price that
 *   reached it, as the taker (a Market order, gaps included).
 */

/** Whether a Limit at `limit` trades at `price`. */
export function limitCrossed(side: 'buy' | 'sell', limit: number, price: number): boolean {
  return side === 'buy' ? price <= limit : price >= limit;
}

/** Whether a protective order's trigger is reached at `price`. */
export function triggerReached(kind: 'stop_loss' | 'take_profit', side: 'buy' | 'sell', trigger: number, price: number): boolean {
  const fallsTo = (kind === 'stop_loss') === (side === 'sell');
  return fallsTo ? price <= trigger : price >= trigger;
}

/** What a resting order does at `price`: fill at a price as maker or taker, or nothing yet. */
export function fillAt(order: Pick<SimulatedOrder, 'kind' | 'side' | 'price' | 'triggerPrice'>, price: number): { price: number; liquidity: 'maker' | 'taker' } | null {
  if (order.kind === 'limit') return order.price !== null && limitCrossed(order.side, order.price, price) ? { price: order.price, liquidity: 'maker' } : null;
  if (order.kind === 'stop_loss' || order.kind === 'take_profit') {
    return order.triggerPrice !== null && triggerReached(order.kind, order.side, order.triggerPrice, price) ? { price, liquidity: 'taker' } : null;
  }
  return null;
}
