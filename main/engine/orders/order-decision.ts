import type { OrderFields } from '../../../shared/order-request.js';
import type { Principal } from '../auth/authenticate.js';
import type { LegToSend, MarketRef, Position, Venue } from '../exchanges/venue.js';
import type { Venues } from '../exchanges/venues.js';
import { ApiError } from '../http/api-error.js';
import type { Settings } from '../store/settings.js';
import type { Strategies, Strategy } from '../store/strategies.js';
import { authorizeOrder } from './authorize.js';
import { planOrder, refuseSarOnSpot } from './planner.js';

/**
 * The order pipeline's decisions (docs/architecture.md, "One order's way"), written once: OrderService runs them
 * around its journal write and sends what they decide; the manual form's preview runs the same steps
 * and sends nothing, so what the preview shows is what the order would do.
 */

export function refuseWhilePaused(settings: Pick<Settings, 'paused'>): void {
  if (settings.paused) throw new ApiError(503, 'trading_paused', 'trading is paused in apisify; resume it to accept orders', null, { 'Retry-After': '30' });
}

export interface SettledOrder {
  strategy: Strategy;
  venue: Venue;
  market: MarketRef;
}

/**
 * Everything that may refuse a request before it is journaled: authorize, refuse what the strategy's
 * market cannot do (SAR on spot), pick the venue, settle the symbol to one market, and for Buy and
 * Sell (which know their size now) check the market's minimum.
 */
export async function settleOrder(fields: OrderFields, principal: Principal, deps: { strategies: Strategies; venues: Venues }): Promise<SettledOrder> {
  const strategy = authorizeOrder(fields, deps.strategies.find(fields.strategy), principal);
  refuseSarOnSpot(fields.intent, strategy.marketType);
  const venue = await deps.venues.forOrder(strategy, fields);
  const market = await venue.resolveMarket(fields.symbol);
  if (fields.qty !== null && (fields.intent === 'buy' || fields.intent === 'sell')) {
    const leg = { side: fields.intent, type: fields.orderType, amount: fields.qty, price: fields.orderType === 'limit' ? fields.price : null, reduceOnly: false };
    venue.normalize(market, leg, await valuePriceOf(fields, venue, market));
  }
  return { strategy, venue, market };
}

export interface OrderDecision {
  /** The plan in words, e.g. "SAR: buy 3 to go from -1 to +2". */
  description: string;
  /** Nothing to send (Close when flat, SAR already at its target): journaled as skipped. */
  skipped: boolean;
  /** Each order to send, in order, rounded to the market's precision: exactly what goes out but its client order id. */
  legs: Omit<LegToSend, 'clientOrderId'>[];
  /** The position the plan started from; null for Buy and Sell, which do not read it. */
  position: Position | null;
}

/**
 * The price an order's minimum value is checked at: its own (a Limit's, or the price a Market order
 * carried), else the market's last price where the market has a minimum value to check.
 */
async function valuePriceOf(fields: OrderFields, venue: Venue, market: MarketRef): Promise<number | null> {
  if (fields.price !== null) return fields.price;
  return venue.minimumValue(market) === null ? null : venue.lastPrice(market);
}

/** Where the planner reads a position: the account's live state, falling back to the exchange (accounts/live-accounts.ts). */
export type PositionReader = (venue: Venue, market: MarketRef) => Promise<Position>;

/** Reads the position where the side needs it (Close, SAR), plans, and rounds each leg (a 422 below the minimum). */
export async function decideOrder(fields: OrderFields, venue: Venue, market: MarketRef, readPosition: PositionReader): Promise<OrderDecision> {
  // Buy and Sell need no position: reading one would only cost time (or a round trip).
  const needsPosition = fields.intent !== 'buy' && fields.intent !== 'sell';
  const position = needsPosition ? await readPosition(venue, market) : null;
  if (position?.mode === 'hedge') {
    throw new ApiError(422, 'hedge_mode_not_supported', `side: ${fields.side} needs a one-way position mode; this ${fields.exchange} account is in hedge mode, so apisify will not guess which side to close`, 'side');
  }
  const plan = planOrder({ intent: fields.intent, qty: fields.qty, position: position?.qty ?? 0, marketType: market.type });
  if ('skipped' in plan) return { description: plan.description, skipped: true, legs: [], position };
  const valuePrice = plan.legs.some((planned) => !planned.reduceOnly) ? await valuePriceOf(fields, venue, market) : null;
  const legs = plan.legs.map((planned) =>
    venue.normalize(market, { side: planned.side, type: fields.orderType, amount: planned.amount, price: fields.orderType === 'limit' ? fields.price : null, reduceOnly: planned.reduceOnly }, valuePrice),
  );
  return { description: plan.description, skipped: false, legs, position };
}
