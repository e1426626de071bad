import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { AccountRef } from '../../../shared/account-names.js';
import { formatAmount } from '../../../shared/decimal.js';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';
import type { MarketEntry, MarketsAnswer, MarketSource } from '../../../shared/manual-order-api.js';
import type { TradableMarket } from '../exchanges/venue.js';
import { accountOf } from '../exchanges/venues.js';
import { refuseExchangeNotAllowed, symbolAllowed } from '../orders/authorize.js';
import type { EngineServices } from '../services.js';
import type { Strategy } from '../store/strategies.js';
import { ApiError } from './api-error.js';

/**
 * GET /api/markets?strategy=NAME&exchange=EXCHANGE[&account=NAME]: the symbols the manual form suggests, from the
 * markets the engine already holds for that exchange and the strategy's market type.
 */
export function uiMarketsRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/markets', async (ctx) => {
    const name = queryText(ctx, 'strategy');
    if (name === undefined) throw new ApiError(400, 'missing_field', 'strategy is required (?strategy=NAME)', 'strategy');
    const strategy = services.strategies.find(name);
    if (!strategy) throw new ApiError(404, 'unknown_strategy', `strategy: no strategy named ${JSON.stringify(name)}`, 'strategy');
    const exchange = (queryText(ctx, 'exchange') ?? '').toLowerCase();
    if (!isExchangeName(exchange)) throw new ApiError(400, 'invalid_field', `exchange: expected one of ${EXCHANGE_NAMES.join(', ')}`, 'exchange');
    refuseExchangeNotAllowed(strategy, exchange);
    const account = accountOf(strategy, { exchange, account: queryText(ctx, 'account') ?? null });
    ctx.body = await marketsFor(services, strategy, account);
  });

  return router;
}

function queryText(ctx: Context, key: string): string | undefined {
  const value = ctx.query[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A live strategy's account markets (its warm instance: warming it here also readies the first order);
 * a dry-run strategy's, or an account not set up yet, the exchange's public ones; when the exchange cannot
 * be read, the strategy's own allowed symbols.
 */
async function marketsFor(services: Pick<EngineServices, 'ccxt' | 'log'>, strategy: Strategy, account: AccountRef): Promise<MarketsAnswer> {
  const { exchange } = account;
  const answer = (source: MarketSource, note: string | null, markets: MarketEntry[]): MarketsAnswer => ({ strategy: strategy.name, exchange, marketType: strategy.marketType, source, note, markets });
  let note: string | null = null;
  try {
    if (strategy.mode === 'live') {
      const venue = await services.ccxt.venueFor(account, strategy.marketType);
      if (venue) return answer('account', null, entriesOf(strategy, (await venue.markets()) ?? []));
      note = `no API credentials for ${exchange} yet: these are its public markets, and this live strategy's orders are refused until the credentials are added`;
    }
    return answer('public', note, entriesOf(strategy, await services.ccxt.publicMarkets(exchange, strategy.marketType)));
  } catch (error) {
    const reason = error instanceof ApiError ? error.message : 'an unexpected error; see the app log';
    if (!(error instanceof ApiError)) services.log.warn('markets for suggestions failed', { exchange, error: (error as Error)?.name ?? 'Error' });
    const fallback = strategy.symbols.length > 0 ? "the strategy's allowed symbols instead" : 'no suggestions: type the symbol as the exchange names it';
    return answer('strategy', `${exchange}'s markets could not be read (${reason}); ${fallback}`, strategy.symbols.map((symbol) => bareEntry(symbol, strategy.marketType)));
  }
}

/**
 * The markets the strategy may trade: all of them, or those its allow-list names. The symbol to type is
 * one spelling authorize accepts as written (the allow-list compares text, not markets).
 */
function entriesOf(strategy: Strategy, markets: readonly TradableMarket[]): MarketEntry[] {
  const entries: MarketEntry[] = [];
  for (const market of markets) {
    const input = [market.id, market.symbol].find((spelling) => symbolAllowed(strategy, spelling));
    if (input !== undefined) entries.push(entryOf(market, input));
  }
  return entries;
}

function entryOf(market: TradableMarket, input: string): MarketEntry {
  return {
    input,
    id: market.id,
    unified: market.symbol,
    tradingView: market.type === 'swap' ? `${market.id}.P` : null,
    base: market.base,
    quote: market.quote,
    type: market.type,
    contract: market.contract,
    minAmount: market.minAmount === null ? null : formatAmount(market.minAmount),
    amountStep: market.amountStep === null ? null : formatAmount(market.amountStep),
  };
}

function bareEntry(symbol: string, type: Strategy['marketType']): MarketEntry {
  return { input: symbol, id: null, unified: null, tradingView: null, base: null, quote: null, type, contract: null, minAmount: null, amountStep: null };
}
