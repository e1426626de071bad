import type { MarketType } from '../shared/api-types.js';

/** One order of the run, as the engine receives it and as ccxt sends it straight to the fake. */
export interface BenchOrder {
  /** The bench's strategy for this market type (both live, on `bybit`). */
  strategy: string;
  marketType: MarketType;
  /** As a bot sends it: the exchange's id. */
  symbol: string;
  /** ccxt's unified symbol of the same market. */
  unified: string;
  side: 'Buy' | 'Sell';
  qty: number;
}

export const STRATEGY_OF: Record<MarketType, string> = { swap: 'bench_swap', spot: 'bench_spot' };

/**
 * Every market of the fake Bybit, at its smallest size. The engine runs one queue per symbol, so
 * orders on one symbol wait for each other's exchange answer; a spread of symbols is what a bot
 * sending 50 orders at once looks like.
 */
const MARKETS: readonly Omit<BenchOrder, 'strategy' | 'side'>[] = [
  { marketType: 'swap', symbol: 'BTCUSDT', unified: 'BTC/USDT:USDT', qty: 0.001 },
  { marketType: 'swap', symbol: 'ETHUSDT', unified: 'ETH/USDT:USDT', qty: 0.01 },
  { marketType: 'swap', symbol: 'BTCUSD', unified: 'BTC/USD:BTC', qty: 100 },
  { marketType: 'spot', symbol: 'BTCUSDT', unified: 'BTC/USDT', qty: 0.001 },
  { marketType: 'spot', symbol: 'ETHUSDT', unified: 'ETH/USDT', qty: 0.01 },
];

/** Market Buy then Sell on each market in turn, so positions and balances stay where they started. */
export function nthOrder(n: number): BenchOrder {
  const market = MARKETS[n % MARKETS.length] as (typeof MARKETS)[number];
  const side = Math.floor(n / MARKETS.length) % 2 === 0 ? 'Buy' : 'Sell';
  return { ...market, strategy: STRATEGY_OF[market.marketType], side };
}

/** Wallets large enough that no order of the run is short of funds. */
export const BALANCES: Record<string, number> = { USDT: 1e12, BTC: 1e6, ETH: 1e7 };
