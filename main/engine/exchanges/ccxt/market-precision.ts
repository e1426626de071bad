import { Decimal } from 'decimal.js';

/** ccxt's precision modes (base/functions/number.js), named here so ccxt's whole index is not loaded for two numbers. */
const DECIMAL_PLACES = 2;
const TICK_SIZE = 4;

/**
 * The step a market's precision stands for: under TICK_SIZE (Bybit's and Binance's ccxt classes) the
 * precision is the step itself, under DECIMAL_PLACES a number of digits; null when there is none.
 */
export function stepOf(precision: number | undefined | null, precisionMode: number | undefined): number | null {
  if (typeof precision !== 'number' || !Number.isFinite(precision)) return null;
  if (precisionMode === TICK_SIZE) return precision > 0 ? precision : null;
  if (precisionMode === DECIMAL_PLACES && Number.isInteger(precision) && precision >= 0) return Number(new Decimal(10).pow(-precision));
  return null;
}

/**
 * A limit price on the market's tick, never worse for the trader than the one asked: a buy's price is
 * the most they will pay (rounded down), a sell's the least they accept (rounded up).
 */
export function limitPriceOnTick(price: number, tick: number, side: 'buy' | 'sell'): number {
  return Number(new Decimal(price).toNearest(tick, side === 'buy' ? Decimal.ROUND_DOWN : Decimal.ROUND_UP));
}
