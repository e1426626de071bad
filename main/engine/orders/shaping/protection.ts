import { Decimal } from 'decimal.js';
import { formatAmount } from '../../../../shared/decimal.js';
import { ApiError } from '../../http/api-error.js';

/**
 * A stop-loss and a take-profit for the position an order opens or grows: from prices or percents of
 * the reference price, rounded to the market's tick, and refused on the wrong side (a long's stop below
 * the price and its target above; the reverse for a short). Pure: a row in a table test each.
 */

export interface ProtectionRequest {
  stopLoss: number | null;
  takeProfit: number | null;
  stopLossPercent: number | null;
  takeProfitPercent: number | null;
}

export interface ProtectionPrices {
  stopLoss: number | null;
  takeProfit: number | null;
}

export function hasProtection(request: ProtectionRequest): boolean {
  return request.stopLoss !== null || request.takeProfit !== null || request.stopLossPercent !== null || request.takeProfitPercent !== null;
}

function onTick(price: Decimal, tick: number | null): Decimal {
  return tick === null ? price.toDecimalPlaces(12) : price.toNearest(tick, Decimal.ROUND_HALF_UP);
}

/** Percent `pct` away from `reference`, above (`up`) or below it. */
function away(reference: Decimal, pct: number, up: boolean): Decimal {
  const factor = new Decimal(pct).div(100);
  return reference.mul(up ? new Decimal(1).add(factor) : new Decimal(1).sub(factor));
}

export function protectionPrices(options: { direction: 'long' | 'short'; reference: number; request: ProtectionRequest; tick: number | null }): ProtectionPrices {
  const { direction, request, tick } = options;
  const reference = new Decimal(options.reference);
  const long = direction === 'long';
  const stop = request.stopLoss !== null ? new Decimal(request.stopLoss) : request.stopLossPercent !== null ? away(reference, request.stopLossPercent, !long) : null;
  const target = request.takeProfit !== null ? new Decimal(request.takeProfit) : request.takeProfitPercent !== null ? away(reference, request.takeProfitPercent, long) : null;
  const stopField = request.stopLoss !== null ? 'stop_loss' : 'stop_loss_percent';
  const targetField = request.takeProfit !== null ? 'take_profit' : 'take_profit_percent';
  const rounded = { stopLoss: stop && onTick(stop, tick), takeProfit: target && onTick(target, tick) };
  for (const [price, field] of [
    [rounded.stopLoss, stopField],
    [rounded.takeProfit, targetField],
  ] as const) {
    if (price !== null && price.lte(0)) throw new ApiError(400, 'invalid_field', `${field}: that far from ${formatAmount(options.reference)} the price would be ${formatAmount(Number(price))}; expected a price above 0`, field);
  }
  const side = long ? 'long' : 'short';
  const wrongSide = (value: Decimal, where: 'below' | 'above') => (where === 'below' ? value.gte(reference) : value.lte(reference));
  const refuseOnWrongSide = (asked: Decimal | null, price: Decimal | null, field: string, what: string, where: 'below' | 'above'): void => {
    if (asked === null || price === null || !wrongSide(price, where)) return;
    // on the right side as asked, and a tick of the market's moved it onto the price or past it
    const withinTick = tick !== null && !wrongSide(asked, where) ? `: ${formatAmount(Number(asked))} is within one tick (${formatAmount(tick)}) of it, and rounded to the tick it would be` : ', got';
    throw new ApiError(400, 'protection_wrong_side', `${field}: a ${side}'s ${what} must be ${where} the reference price ${formatAmount(options.reference)}${withinTick} ${formatAmount(Number(price))}`, field);
  };
  refuseOnWrongSide(stop, rounded.stopLoss, stopField, 'stop-loss', long ? 'below' : 'above');
  refuseOnWrongSide(target, rounded.takeProfit, targetField, 'take-profit', long ? 'above' : 'below');
  return { stopLoss: rounded.stopLoss && Number(rounded.stopLoss), takeProfit: rounded.takeProfit && Number(rounded.takeProfit) };
}
