import { formatAmount } from '../../../../shared/decimal.js';
import { asksProtection, percentAboveCap, type QtyUnit } from '../../../../shared/order-shaping-fields.js';
import type { OrderFields } from '../../../../shared/order-request.js';
import type { MarketRef, Venue } from '../../exchanges/venue.js';
import { ApiError } from '../../http/api-error.js';
import type { Strategy } from '../../store/strategies.js';
import { protectionPrices } from './protection.js';
import { refuseFutureSignal } from './signal-age.js';

/**
 * What refuses a shaped request before it is journaled, from the request, the strategy and the
 * market alone (README "Shaping an order"): field checks first, then limits. A refused request
 * reaches no exchange and leaves no row.
 */
export async function refuseShapingBeforeJournal(options: {
  fields: OrderFields;
  strategy: Strategy;
  venue: Venue;
  market: MarketRef;
  now: number;
  /** The price known now (a Limit's own, else the market's last price): for a wrong-side stop. */
  estimatePrice: () => Promise<number | null>;
}): Promise<void> {
  const { fields, strategy, venue, market, now } = options;
  if (fields.signalTime !== null) refuseFutureSignal(fields.signalTime, now);
  const spot = market.type === 'spot';
  if (spot && fields.leverage !== null) throw new ApiError(400, 'leverage_not_supported', 'leverage: this strategy trades spot, which has no leverage; leave leverage out', 'leverage');
  if (spot && asksProtection(fields)) {
    const field = fields.stopLoss !== null ? 'stop_loss' : fields.stopLossPercent !== null ? 'stop_loss_percent' : fields.takeProfit !== null ? 'take_profit' : 'take_profit_percent';
    throw new ApiError(400, 'protection_not_supported', `${field}: apisify holds no stop-loss or take-profit on spot markets (the exchange would not, and a stop apisify kept itself would not fire while the computer sleeps); leave it out, or trade the perpetual`, field);
  }
  if (spot && fields.reduceOnly !== null) throw new ApiError(400, 'invalid_field', 'reduce_only: a spot market holds no position to reduce; leave reduce_only out', 'reduce_only');
  if (spot && fields.targetPosition !== null && fields.targetPosition < 0) {
    throw new ApiError(400, 'invalid_field', `target_position: a spot market holds no short position, so ${formatAmount(fields.targetPosition)} cannot be reached; expected 0 or more`, 'target_position');
  }
  const unit = fields.qtyUnit ?? strategy.qtyUnit;
  if (fields.qtyUnit === null) refusePercentAboveCap(fields, unit);
  refuseTargetOnAMovingBasis(fields, unit, strategy, spot);
  const stop = fields.stopLoss ?? fields.stopLossPercent ?? strategy.stopLossPercent;
  if (unit === 'risk_percent' && (stop === null || spot)) {
    throw new ApiError(400, 'missing_field', spot ? 'stop_loss: qty_unit risk_percent sizes by a stop the exchange holds, and spot markets hold none' : 'stop_loss is required with qty_unit risk_percent: the size is what the stop may lose (or set a default stop-loss on the strategy)', 'stop_loss');
  }
  if (fields.leverage !== null) await refuseLeverageAboveLimit(fields.leverage, strategy, venue, market);
  // A wrong-side stop reaches no exchange: checked at the price known now, as if the order opens what it says.
  const direction = fields.targetPosition !== null ? Math.sign(fields.targetPosition) : fields.intent === 'buy' || fields.intent === 'sarbuy' ? 1 : fields.intent === 'sell' || fields.intent === 'sarsell' ? -1 : 0;
  if (!spot && direction !== 0 && (fields.stopLoss !== null || fields.takeProfit !== null)) {
    const price = await options.estimatePrice();
    if (price !== null) {
      protectionPrices({ direction: direction > 0 ? 'long' : 'short', reference: price, request: { stopLoss: fields.stopLoss, takeProfit: fields.takeProfit, stopLossPercent: null, takeProfitPercent: null }, tick: venue.facts(market).priceTick });
    }
  }
}

/**
 * A target is a position to hold, reached by one order of the difference: sized from a basis the
 * order itself changes (the free balance, which its margin or its purchase spends; on spot the quote
 * coin, which buying spends), the same alert sent again would trade again.
 */
function refuseTargetOnAMovingBasis(fields: OrderFields, unit: QtyUnit, strategy: Strategy, spot: boolean): void {
  if (fields.targetPosition === null || fields.targetPosition === 0) return;
  if (unit !== 'available_percent' && !(spot && unit === 'equity_percent')) return;
  const whose = fields.qtyUnit === null ? `the strategy ${strategy.name}'s qty_unit` : 'qty_unit';
  const basis = unit === 'available_percent' ? 'the free balance, which the order itself uses up' : "the quote coin alone, which buying spends";
  throw new ApiError(400, 'invalid_field', `qty_unit: a target_position in ${whose} ${unit} counts from ${basis}, so the same alert sent again would trade again; send the target in base or quote${spot ? '' : ', or equity_percent'}`, 'qty_unit');
}

/**
 * The request's own qty_unit had its cap checked when it was parsed; a qty in the strategy's unit is
 * checked here. A Close's qty counts only as position_percent, which no strategy has as its default.
 */
function refusePercentAboveCap(fields: OrderFields, unit: QtyUnit): void {
  const above = fields.targetPosition !== null ? percentAboveCap('target_position', unit, fields.targetPosition, true) : fields.qty !== null && fields.intent !== 'close' ? percentAboveCap('qty', unit, fields.qty, true) : null;
  if (above) throw new ApiError(400, 'invalid_field', above, fields.targetPosition !== null ? 'target_position' : 'qty');
}

/** A request's leverage: at most the strategy's maxLeverage (none allowed without one) and the market's maximum. */
async function refuseLeverageAboveLimit(leverage: number, strategy: Strategy, venue: Venue, market: MarketRef): Promise<void> {
  if (strategy.maxLeverage === null) {
    throw new ApiError(403, 'leverage_above_limit', `leverage: strategy ${strategy.name} allows no leverage from a request; set its maxLeverage to allow one`, 'leverage');
  }
  if (leverage > strategy.maxLeverage) {
    throw new ApiError(403, 'leverage_above_limit', `leverage: strategy ${strategy.name} allows at most ${formatAmount(strategy.maxLeverage)}x, got ${formatAmount(leverage)}x`, 'leverage');
  }
  const marketMax = await venue.maxLeverage(market);
  if (marketMax !== null && leverage > marketMax) {
    throw new ApiError(403, 'leverage_above_limit', `leverage: ${market.symbol} allows at most ${formatAmount(marketMax)}x, got ${formatAmount(leverage)}x`, 'leverage');
  }
}
