import { Router } from '@koa/router';
import type { Context } from 'koa';
import { CANDLE_TIMEFRAMES, type CandleTimeframe, DEFAULT_CANDLES, isCandleTimeframe, MAX_CANDLES } from '../../../shared/candles-api.js';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';
import type { EngineServices } from '../services.js';
import type { MarketType } from '../store/strategies.js';
import { ApiError } from './api-error.js';
import { queryText } from './ui-query.js';

const MARKET_TYPES: readonly MarketType[] = ['swap', 'spot'];
/** Longer than any market's name or unified symbol (BTC/USDT:USDT-251226-100000-C is 31). */
const MAX_SYMBOL_LENGTH = 64;

/**
 * GET /api/candles?exchange=E&symbol=S&marketType=swap|spot&timeframe=1m|5m|15m|1h|4h|1d[&since=ms][&limit=n]:
 * the market's public candles (CandlesAnswer), for the UI's price charts. An exchange that cannot be
 * read is not an error (200, source `offline`, with what the engine holds); bad input is a 400 naming the field.
 */
export function uiCandlesRouter(services: Pick<EngineServices, 'ccxt'>): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/candles', async (ctx) => {
    ctx.body = await services.ccxt.candles(candleRequestOf(ctx));
  });

  return router;
}

function candleRequestOf(ctx: Context): { exchange: ExchangeName; marketType: MarketType; symbol: string; timeframe: CandleTimeframe; since: number | null; limit: number } {
  const exchange = required(ctx, 'exchange').toLowerCase();
  if (!isExchangeName(exchange)) throw new ApiError(400, 'invalid_field', `exchange: expected one of ${EXCHANGE_NAMES.join(', ')}, got ${quoted(exchange)}`, 'exchange');
  const symbol = required(ctx, 'symbol').trim();
  if (symbol.length > MAX_SYMBOL_LENGTH) throw new ApiError(400, 'invalid_field', `symbol: expected at most ${MAX_SYMBOL_LENGTH} characters, got ${symbol.length}`, 'symbol');
  const marketType = required(ctx, 'marketType');
  if (!(MARKET_TYPES as readonly string[]).includes(marketType)) throw new ApiError(400, 'invalid_field', `marketType: expected swap or spot, got ${quoted(marketType)}`, 'marketType');
  const timeframe = required(ctx, 'timeframe');
  if (!isCandleTimeframe(timeframe)) throw new ApiError(400, 'invalid_field', `timeframe: expected one of ${CANDLE_TIMEFRAMES.join(', ')}, got ${quoted(timeframe)}`, 'timeframe');
  return { exchange, marketType: marketType as MarketType, symbol, timeframe, since: since(ctx), limit: limit(ctx) };
}

function required(ctx: Context, key: string): string {
  const text = queryText(ctx, key);
  if (text === undefined || text.trim() === '') throw new ApiError(400, 'missing_field', `${key} is required (?${key}=…)`, key);
  return text;
}

function since(ctx: Context): number | null {
  const text = queryText(ctx, 'since');
  if (text === undefined) return null;
  // 13 digits: Unix milliseconds; 10 would be seconds, read as 1970
  if (!/^\d{12,15}$/.test(text)) throw new ApiError(400, 'invalid_field', `since: expected Unix milliseconds (13 digits), got ${quoted(text)}`, 'since');
  return Number(text);
}

function limit(ctx: Context): number {
  const text = queryText(ctx, 'limit');
  if (text === undefined) return DEFAULT_CANDLES;
  const value = Number(text);
  if (!/^\d{1,4}$/.test(text) || value < 1 || value > MAX_CANDLES) throw new ApiError(400, 'invalid_field', `limit: expected a whole number from 1 to ${MAX_CANDLES}, got ${quoted(text)}`, 'limit');
  return value;
}

function quoted(text: string): string {
  return JSON.stringify(text.slice(0, 40));
}
