import type { MarketInterface as Market } from 'ccxt';
import type { MarketType } from '../../store/strategies.js';
import type { TradableMarket } from '../venue.js';
import { stepOf } from './market-precision.js';

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

function positiveOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
