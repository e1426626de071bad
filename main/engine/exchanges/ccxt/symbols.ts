import type { MarketInterface as Market } from 'ccxt';
import { ApiError } from '../../http/api-error.js';
import type { MarketType } from '../../store/strategies.js';

/**
 * Settles what a request calls a symbol to one market (docs/architecture.md, "Symbols"): a ccxt unified symbol
 * (BTC/USDT:USDT), the exchange's own id (BTCUSDT; Bybit's BTCUSD is the inverse perpetual), or a
 * TradingView ticker with its `.P` perpetual suffix. An id that exists as spot and swap is settled by
 * the strategy's market type.
 */
export function resolveSymbol(markets: readonly Market[], requested: string, marketType: MarketType): Market {
  const text = requested.trim().toUpperCase();
  if (text.includes('/')) {
    const unified = markets.find((market) => market.symbol.toUpperCase() === text);
    if (unified) return checkType(unified, requested, marketType);
    throw unknownSymbol(markets, requested, marketType);
  }
  const perpetual = text.endsWith('.P');
  const id = perpetual ? text.slice(0, -2) : text;
  const wanted: MarketType = perpetual ? 'swap' : marketType;
  const byId = markets.filter((market) => (market.id ?? '').toUpperCase() === id);
  const match = byId.find((market) => typeOf(market) === wanted);
  if (match) return match;
  if (byId.length > 0) return checkType(byId[0] as Market, requested, wanted);
  throw unknownSymbol(markets, requested, marketType);
}

function typeOf(market: Market): MarketType | 'other' {
  if (market.spot) return 'spot';
  if (market.swap) return 'swap';
  return 'other';
}

function checkType(market: Market, requested: string, marketType: MarketType): Market {
  if (typeOf(market) === marketType) return market;
  throw new ApiError(
    400,
    'market_type_mismatch',
    `symbol: ${requested} is a ${typeOf(market) === 'other' ? (market.type ?? 'other') : typeOf(market)} market, but this strategy trades ${marketType === 'swap' ? 'perpetual swaps' : 'spot'}`,
    'symbol',
  );
}

function unknownSymbol(markets: readonly Market[], requested: string, marketType: MarketType): ApiError {
  const suggestions = closeMatches(markets, requested, marketType);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
  return new ApiError(400, 'unknown_symbol', `symbol: no ${marketType === 'swap' ? 'perpetual' : 'spot'} market ${JSON.stringify(requested)} on this exchange${hint}`, 'symbol');
}

/** Up to three ids of the same market type, nearest first by edit distance. */
export function closeMatches(markets: readonly Market[], requested: string, marketType: MarketType): string[] {
  const target = requested.toUpperCase().replace(/\.P$/, '').replace(/[/:]/g, '');
  const ids = [...new Set(markets.filter((market) => typeOf(market) === marketType && market.active !== false).map((market) => (market.id ?? '').toUpperCase()))];
  return ids
    .map((id) => ({ id, distance: editDistance(target, id) }))
    .filter(({ distance, id }) => distance <= Math.max(2, Math.floor(id.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map(({ id }) => id);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
