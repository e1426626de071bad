// The markets the fake lists. Filters are close to the real ones (mid-2020s) so that ccxt's
// amountToPrecision / limits behave as they would against the real exchange.

import type { MarketKind, Venue } from './types.js';

export interface MarketSpec {
  /** Exchange id, e.g. 'BTCUSDT'. Spot and linear share ids, so (id, kind) is the key. */
  id: string;
  kind: MarketKind;
  base: string;
  quote: string;
  /** Settlement coin of a contract; for spot the quote coin. */
  settle: string;
  tickSize: string;
  qtyStep: string;
  minQty: string;
  maxQty: string;
  /** Minimum order value in quote currency ('0' for inverse, sized in USD contracts). */
  minNotional: string;
  maxLeverage: number;
  /** Price a fresh fake starts with. */
  initialPrice: number;
}

const bybitMarkets: MarketSpec[] = [
  { id: 'BTCUSDT', kind: 'spot', base: 'BTC', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.000001', minQty: '0.000048', maxQty: '71.73956243', minNotional: '1', maxLeverage: 1, initialPrice: 60000 },
  { id: 'ETHUSDT', kind: 'spot', base: 'ETH', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.00001', minQty: '0.00062', maxQty: '1229.2336343', minNotional: '1', maxLeverage: 1, initialPrice: 3000 },
  { id: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT', tickSize: '0.10', qtyStep: '0.001', minQty: '0.001', maxQty: '1190.000', minNotional: '5', maxLeverage: 100, initialPrice: 60000 },
  { id: 'ETHUSDT', kind: 'linear', base: 'ETH', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.01', minQty: '0.01', maxQty: '7240.00', minNotional: '5', maxLeverage: 100, initialPrice: 3000 },
  { id: 'BTCUSD', kind: 'inverse', base: 'BTC', quote: 'USD', settle: 'BTC', tickSize: '0.50', qtyStep: '1', minQty: '1', maxQty: '10000000', minNotional: '0', maxLeverage: 100, initialPrice: 60000 },
];

const binanceMarkets: MarketSpec[] = [
  { id: 'BTCUSDT', kind: 'spot', base: 'BTC', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.00001', minQty: '0.00001', maxQty: '9000.00000', minNotional: '5', maxLeverage: 1, initialPrice: 60000 },
  { id: 'ETHUSDT', kind: 'spot', base: 'ETH', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.0001', minQty: '0.0001', maxQty: '9000.0000', minNotional: '5', maxLeverage: 1, initialPrice: 3000 },
  { id: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT', tickSize: '0.10', qtyStep: '0.001', minQty: '0.001', maxQty: '1000', minNotional: '100', maxLeverage: 125, initialPrice: 60000 },
  { id: 'ETHUSDT', kind: 'linear', base: 'ETH', quote: 'USDT', settle: 'USDT', tickSize: '0.01', qtyStep: '0.001', minQty: '0.001', maxQty: '10000', minNotional: '20', maxLeverage: 125, initialPrice: 3000 },
];

/** The most extra markets a fake lists (a benchmark needs tens; the listing stays one page). */
export const MAX_EXTRA_MARKETS = 500;

/**
 * The n-th extra linear perpetual (1-based): A1USDT, A2USDT, ... settled in USDT, each at its own
 * price (10 + n USDT), with filters of the kind small-cap perpetuals have on both venues: tick
 * 0.001, quantity step and minimum 0.1, minimum order value 5 USDT, leverage up to 50x.
 */
function extraPerpetual(n: number): MarketSpec {
  const base = `A${n}`;
  return {
    id: `${base}USDT`,
    kind: 'linear',
    base,
    quote: 'USDT',
    settle: 'USDT',
    tickSize: '0.001',
    qtyStep: '0.1',
    minQty: '0.1',
    maxQty: '1000000.0',
    minNotional: '5',
    maxLeverage: 50,
    initialPrice: 10 + n,
  };
}

/** A venue's markets, with `extra` more linear perpetuals after the usual ones. */
export function marketsOf(venue: Venue, extra = 0): MarketSpec[] {
  if (!Number.isInteger(extra) || extra < 0 || extra > MAX_EXTRA_MARKETS) {
    throw new Error(`extraMarkets must be a whole number from 0 to ${MAX_EXTRA_MARKETS}, got ${extra}`);
  }
  const usual = venue === 'bybit' ? bybitMarkets : binanceMarkets;
  return [...usual, ...Array.from({ length: extra }, (_, i) => extraPerpetual(i + 1))];
}

/** Coins of these markets (used by currency endpoints). */
export function coinsOf(markets: readonly MarketSpec[]): string[] {
  const coins = new Set<string>();
  for (const m of markets) {
    coins.add(m.base);
    if (m.quote !== 'USD') coins.add(m.quote);
  }
  return [...coins];
}

/** Wire key of a market in maps: ids repeat across kinds. */
export function marketKey(id: string, kind: MarketKind): string {
  return `${kind}:${id}`;
}
