import type { MarketType } from './api-types.js';
import type { ExchangeName } from './exchange-names.js';

/** GET /api/candles: an exchange's public candles of one market, for the UI's price charts. */

export const CANDLE_TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleTimeframe = (typeof CANDLE_TIMEFRAMES)[number];

export const TIMEFRAME_SECONDS: Readonly<Record<CandleTimeframe, number>> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3_600,
  '4h': 14_400,
  '1d': 86_400,
};

/** The most candles one request may ask for (Bybit's and Binance spot's own limit per request). */
export const MAX_CANDLES = 1_000;
/** Without `limit`: the newest this many. */
export const DEFAULT_CANDLES = 200;

export function isCandleTimeframe(value: string): value is CandleTimeframe {
  return (CANDLE_TIMEFRAMES as readonly string[]).includes(value);
}

/**
 * One candle. `time` is its open time in Unix seconds (what the chart library takes); prices and
 * volume are JSON numbers as ccxt parsed them: a chart draws them, nothing computes money with them.
 */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Where the candles came from: read from the exchange now ("exchange"), from what the engine read a
 * moment ago or earlier and that cannot have changed ("cache"), or the exchange could not be read
 * and these are what the engine still holds, possibly none ("offline").
 */
export type CandleSource = 'exchange' | 'cache' | 'offline';

export interface CandlesAnswer {
  exchange: ExchangeName;
  /** ccxt's unified symbol of the market (as requested when the exchange's markets could not be read). */
  symbol: string;
  marketType: MarketType;
  timeframe: CandleTimeframe;
  source: CandleSource;
  /** Why the candles are not (all) fresh from the exchange, in words; null when there is nothing to say. */
  note: string | null;
  /** Oldest first, one per open time. */
  candles: Candle[];
}
