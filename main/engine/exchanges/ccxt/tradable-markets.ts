import type { MarketInterface as Market } from 'ccxt';
import type { MarketType } from '../../store/strategies.js';
import type { TradableMarket } from '../venue.js';

/** ccxt's TICK_SIZE precision mode (base/functions/number.js), named here so ccxt's whole index is not loaded for one number. */
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

/** Under TICK_SIZE, what Bybit's and Binance's ccxt classes use, the precision is the step itself; other modes are not read. */
function stepOf(precision: number | undefined, precisionMode: number | undefined): number | null {
  return precisionMode === TICK_SIZE ? positiveOrNull(precision) : null;
}

function positiveOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
