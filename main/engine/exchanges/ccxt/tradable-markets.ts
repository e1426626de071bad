import type { MarketInterface as Market } from 'ccxt';
import type { MarketType } from '../../store/strategies.js';
import type { TradableMarket } from '../venue.js';

/** ccxt's precision modes (base/functions/number.js), named here so ccxt's whole index is not loaded for two numbers. */
const DECIMAL_PLACES = 2;
const TICK_SIZE = 4;

/**
 * The markets a strategy of `marketType` can trade, as a trader picks them: active ones of that type only
 * (Bybit's linear list also holds dated futures, which symbols.ts never settles a request to), sorted by id.
 */
export function tradableMarkets(markets: readonly Market[], marketType: MarketType, precisionMode: number | undefined): TradableMarket[] {
  return markets
    .filter((market) => market.active !== false && typeof market.id === 'string' && (marketType === 'spot' ? market.spot === true : market.swap === true))
    .map((market): TradableMarket => ({
      id: market.id as string,
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      type: marketType,
      contract: marketType === 'spot' ? null : market.inverse ? 'inverse' : 'linear',
      minAmount: positiveOrNull(market.limits?.amount?.min),
      amountStep: stepOf(market.precision?.amount, precisionMode),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Under TICK_SIZE (Bybit and Binance) precision is the step itself; under DECIMAL_PLACES it counts decimals. */
function stepOf(precision: number | undefined, precisionMode: number | undefined): number | null {
  if (precision === undefined || precision === null || !Number.isFinite(precision)) return null;
  if (precisionMode === TICK_SIZE) return positiveOrNull(precision);
  if (precisionMode === DECIMAL_PLACES) return Number((10 ** -precision).toFixed(Math.max(0, precision)));
  return null;
}

function positiveOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
