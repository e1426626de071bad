import type { Exchange, MarketInterface } from 'ccxt';
import { formatAmount, roundAmount } from '../../../shared/decimal.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import { ApiError } from '../http/api-error.js';
import type { Logger } from '../log.js';
import type { ContractTerms } from '../store/dry-run-orders.js';
import type { MarketType } from '../store/strategies.js';
import { limitPriceOnTick, stepOf } from './ccxt/market-precision.js';
import type { OwnedExchange } from './ccxt/owned-exchange.js';
import { resolveSymbol } from './ccxt/symbols.js';
import type { LegToSend, MarketFacts, MarketRef } from './venue.js';

/** The exchanges' public side, keyless (ccxt/live-venues.ts): markets from the disk cache or the network, tickers. */
export interface PublicExchanges {
  /** A keyless ccxt instance with its markets loaded; rejects when neither the cache nor the exchange can give them. */
  publicExchange(exchange: ExchangeName, marketType: MarketType): Promise<OwnedExchange>;
  /** Closes the public instances' websockets (the simulator's ticker streams). */
  closePublicStreams(): Promise<void>;
}

/** After the markets could not be had, orders go on without them for this long before they are asked for again. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/** Quote currencies a simulator symbol may end in, longest first (BTCUSDT is BTC in USDT). */
const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'USD', 'BTC', 'ETH', 'EUR'];

type Leg = Omit<LegToSend, 'clientOrderId'>;

/**
 * One market as the simulator trades it: from the exchange's market list when it is known (the same
 * symbol resolution, steps, ticks and minimums as a live order), else guessed from the symbol's
 * spelling (no minimums, no fees: the simulator offline without a markets cache).
 */
export interface DryRunMarket {
  ref: MarketRef;
  /** ccxt's unified symbol where the market is known: its price can be read and watched; null offline. */
  marketSymbol: string | null;
  facts: MarketFacts;
  terms: ContractTerms;
  /** The smallest order value (quote currency); null where there is none or the market is not known. */
  minimumValue: number | null;
  maxLeverage: number | null;
  /** As live: the amount to the step (422 below the minimum size or value), a Limit's price to the tick on the trader's side. */
  normalize(leg: Leg, valuePrice: number | null): Leg;
}

/**
 * The simulator's name for a market, the exchange-id form, whichever way a request spelt it: a ccxt
 * unified symbol (BTC/USDT:USDT, BTC/USDT, BTC/USD:BTC), an id in any case, or TradingView's ticker
 * (BTCUSDT.P). So a Close finds the position a Buy opened under another spelling, as on a live
 * exchange, where every spelling settles to one market; the same with market data and without.
 */
export function simulatorSymbol(symbol: string): string {
  const text = symbol.trim().toUpperCase().replace(/\.P$/, '');
  if (!text.includes('/')) return text;
  const [pair = '', settle = ''] = text.split(':');
  const [base = '', quote = ''] = pair.split('/');
  // A dated future (BTC/USDT:USDT-250328) keeps its expiry: it is another market than the perpetual.
  const expiry = settle.includes('-') ? settle.slice(settle.indexOf('-')) : '';
  return `${base}${quote}${expiry}`;
}

export function splitSymbol(symbol: string): { base: string; quote: string } {
  const plain = symbol.replace(/-.*$/, '');
  const quote = QUOTES.find((candidate) => plain.endsWith(candidate) && plain.length > candidate.length) ?? 'USDT';
  return { base: plain.slice(0, plain.length - quote.length) || plain, quote };
}

/** Without market data: the symbol's spelling says its base and quote; a perpetual counts coins (linear). */
export function guessedMarket(symbol: string, marketType: MarketType): DryRunMarket {
  const name = simulatorSymbol(symbol);
  const { base, quote } = splitSymbol(name);
  const contract = marketType === 'spot' ? null : 'linear';
  return {
    ref: { symbol: name, type: marketType },
    marketSymbol: null,
    facts: { symbol: name, contract, contractSize: 1, base, quote, settle: quote, amountStep: null, minAmount: null, priceTick: null },
    terms: { contract, contractSize: 1, base, quote, settle: quote, maker: 0, taker: 0 },
    minimumValue: null,
    maxLeverage: null,
    normalize: (leg) => ({ ...leg, amount: roundAmount(leg.amount) }),
  };
}

function positiveOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** A market from the exchange's list, checked and rounded exactly as ccxt-venue.ts checks a live order. */
export function knownMarket(instance: Exchange, market: MarketInterface, marketType: MarketType): DryRunMarket {
  const name = simulatorSymbol(market.symbol);
  const contract = market.spot ? null : market.inverse ? 'inverse' : 'linear';
  const contractSize = positiveOrNull(market.contractSize) ?? 1;
  const settle = market.settle ?? (contract === 'inverse' ? market.base : market.quote);
  const minimumValue = !market.inverse ? positiveOrNull(market.limits?.cost?.min) : null;
  const facts: MarketFacts = {
    symbol: name,
    contract,
    contractSize,
    base: market.base,
    quote: market.quote,
    settle,
    amountStep: stepOf(market.precision?.amount, instance.precisionMode),
    minAmount: positiveOrNull(market.limits?.amount?.min),
    priceTick: stepOf(market.precision?.price, instance.precisionMode),
  };
  const normalize = (leg: Leg, valuePrice: number | null): Leg => {
    let amount: number;
    try {
      amount = Number(instance.amountToPrecision(market.symbol, leg.amount));
    } catch {
      amount = 0;
    }
    const minAmount = market.limits?.amount?.min;
    if (!(amount > 0) || (minAmount !== undefined && minAmount !== null && amount < minAmount)) {
      throw new ApiError(422, 'below_minimum', `qty: ${formatAmount(leg.amount)} is below ${market.symbol}'s minimum order size of ${formatAmount(minAmount ?? Number(market.precision?.amount ?? 0))}`, 'qty');
    }
    const tick = facts.priceTick;
    const price = leg.price === null ? null : tick === null ? Number(instance.priceToPrecision(market.symbol, leg.price)) : limitPriceOnTick(leg.price, tick, leg.side);
    const checkedAt = price ?? valuePrice;
    // Reduce-only orders are exempt from the minimum value on both exchanges: a small position can always be closed.
    if (checkedAt !== null && minimumValue !== null && !leg.reduceOnly && amount * checkedAt * contractSize < minimumValue) {
      const at = price !== null ? `at ${formatAmount(checkedAt)}` : `at the last price ${formatAmount(checkedAt)}`;
      throw new ApiError(422, 'below_minimum', `qty: an order of ${formatAmount(amount)} ${at} is below ${market.symbol}'s minimum order value of ${formatAmount(minimumValue)} ${market.quote}`, 'qty');
    }
    return { ...leg, amount, price };
  };
  return {
    ref: { symbol: name, type: marketType },
    marketSymbol: market.symbol,
    facts,
    terms: { contract, contractSize, base: market.base, quote: market.quote, settle, maker: positiveOrNull(market.maker) ?? 0, taker: positiveOrNull(market.taker) ?? 0 },
    minimumValue,
    maxLeverage: positiveOrNull(market.limits?.leverage?.max),
    normalize,
  };
}

/**
 * The exchanges' markets as the simulator knows them: through the public instance (the disk cache
 * first, else the exchange's public API). While they cannot be had, the simulator works without them
 * and asks again after RETRY_AFTER_FAILURE_MS, so an offline machine does not wait at every order.
 */
export class DryRunMarkets {
  readonly #failedAt = new Map<string, number>();

  constructor(
    private readonly exchanges: PublicExchanges,
    private readonly log: Logger,
  ) {}

  /** The public instance with its markets; null while they cannot be had. */
  async instance(exchange: string, marketType: MarketType): Promise<OwnedExchange | null> {
    const key = `${exchange}|${marketType}`;
    const failedAt = this.#failedAt.get(key);
    if (failedAt !== undefined && Date.now() - failedAt < RETRY_AFTER_FAILURE_MS) return null;
    try {
      const instance = await this.exchanges.publicExchange(exchange as ExchangeName, marketType);
      this.#failedAt.delete(key);
      return instance;
    } catch (error) {
      if (failedAt === undefined) this.log.warn("dry run: the exchange's markets could not be had; symbols are taken as written, without minimums", { exchange, marketType, error: (error as Error)?.name ?? 'Error' });
      this.#failedAt.set(key, Date.now());
      return null;
    }
  }

  /** Settles a request's symbol: refused as live (400 unknown_symbol, with close matches) where the markets are known. */
  async resolve(exchange: string, marketType: MarketType, symbol: string): Promise<DryRunMarket> {
    const instance = await this.instance(exchange, marketType);
    if (!instance) return guessedMarket(symbol, marketType);
    const market = resolveSymbol(Object.values(instance.markets ?? {}) as MarketInterface[], symbol, marketType);
    return knownMarket(instance, market, marketType);
  }
}
