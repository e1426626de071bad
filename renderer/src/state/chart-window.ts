import { CANDLE_TIMEFRAMES, type CandleTimeframe, MAX_CANDLES, TIMEFRAME_SECONDS } from '../../../shared/candles-api.js';
import { type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';
import type { OrderView } from '../../../shared/order-view.js';

/**
 * Which candles an order's chart asks for: the order's market, a timeframe fine enough to tell its
 * events apart, and a window that starts a while before it was received and runs a while past its
 * last change (or to now while it is recent or still working).
 */

export interface CandleRequest {
  exchange: ExchangeName;
  symbol: string;
  marketType: 'swap' | 'spot';
  timeframe: CandleTimeframe;
  /** Unix ms of the first candle asked for. */
  since: number;
  limit: number;
}

/** The order's events should fit in this many candles: more would make each a sliver. */
const EVENT_CANDLES = 60;
/** Candles shown before the order was received, for the context it came in. */
const BEFORE = 40;
/** Candles shown after its last change, when that is not now. */
const AFTER = 20;

const WORKING: readonly OrderView['status'][] = ['received', 'submitted', 'open', 'partially_filled'];

/** The first and last moments the order's chart must show, Unix ms. */
export function orderSpan(order: Pick<OrderView, 'receivedAt' | 'updatedAt' | 'status' | 'legs'>, now: number): { first: number; last: number } {
  const first = Date.parse(order.receivedAt);
  const times = [order.updatedAt, ...order.legs.flatMap((leg) => [leg.sentAt, leg.answeredAt])].filter((iso): iso is string => iso !== null).map(Date.parse);
  const last = WORKING.includes(order.status) ? now : Math.max(first, ...times.filter(Number.isFinite));
  return { first, last: Math.min(now, last) };
}

/** The finest timeframe in which the span fits the chart's candles for events. */
export function timeframeFor(spanMs: number): CandleTimeframe {
  return CANDLE_TIMEFRAMES.find((timeframe) => spanMs / (TIMEFRAME_SECONDS[timeframe] * 1000) <= EVENT_CANDLES) ?? '1d';
}

/** The request for an order's chart; null when its exchange is not one the engine reads candles from. */
export function chartRequestFor(order: Pick<OrderView, 'exchange' | 'symbol' | 'market' | 'receivedAt' | 'updatedAt' | 'status' | 'legs'>, now: number): CandleRequest | null {
  if (!isExchangeName(order.exchange)) return null;
  const { first, last } = orderSpan(order, now);
  if (!Number.isFinite(first)) return null;
  const timeframe = timeframeFor(last - first);
  const step = TIMEFRAME_SECONDS[timeframe] * 1000;
  const since = Math.floor(first / step) * step - BEFORE * step;
  const end = Math.min(Math.floor(now / step) * step, Math.floor(last / step) * step + AFTER * step);
  const limit = Math.min(MAX_CANDLES, Math.floor((end - since) / step) + 1);
  return {
    exchange: order.exchange,
    // the market the order went to; an order journaled before apisify kept it has only its request's spelling
    symbol: order.market?.symbol ?? order.symbol,
    marketType: order.market?.type ?? 'swap',
    timeframe,
    since,
    limit,
  };
}

/** GET /api/candles' query for a request. */
export function candlesQuery(request: CandleRequest): string {
  const params = new URLSearchParams({
    exchange: request.exchange,
    symbol: request.symbol,
    marketType: request.marketType,
    timeframe: request.timeframe,
    since: String(request.since),
    limit: String(request.limit),
  });
  return `?${params.toString()}`;
}
