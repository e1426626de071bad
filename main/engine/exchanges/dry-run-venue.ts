import { roundAmount } from '../../../shared/decimal.js';
import { ApiError } from '../http/api-error.js';
import type { DryRunPositions } from '../store/dry-run-positions.js';
import type { MarketType } from '../store/strategies.js';
import type { AccountBalance, LegOutcome, LegToSend, MarketFacts, MarketRef, Position, ProtectionStyle, TradableMarket, Venue } from './venue.js';

/** Quote currencies a simulator symbol may end in, longest first (BTCUSDT is BTC in USDT). */
const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'USD', 'BTC', 'ETH', 'EUR'];

function splitSymbol(symbol: string): { base: string; quote: string } {
  const plain = symbol.replace(/-.*$/, '');
  const quote = QUOTES.find((candidate) => plain.endsWith(candidate) && plain.length > candidate.length) ?? 'USDT';
  return { base: plain.slice(0, plain.length - quote.length) || plain, quote };
}

/**
 * The simulator's name for a market, the exchange-id form, whichever way a request spelt it: a ccxt
 * unified symbol (BTC/USDT:USDT, BTC/USDT, BTC/USD:BTC), an id in any case, or TradingView's ticker
 * (BTCUSDT.P). So a Close finds the position a Buy opened under another spelling, as on a live
 * exchange, where every spelling settles to one market. It needs no market data, so it is the same
 * offline.
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

/**
 * The dry-run simulator: fills every order at once, at the price it was given, and keeps the
 * strategy's position in SQLite. It needs no network and no keys, so TradingView alerts can be
 * rehearsed safely. A Limit fills at its limit price; a Market at the reference price.
 */
export class DryRunVenue implements Venue {
  readonly dryRun = true;

  constructor(
    private readonly positions: DryRunPositions,
    private readonly strategy: string,
    private readonly exchange: string,
    private readonly marketType: MarketType,
    /** The price a Market order fills at: the request's price, or a live price found for it; null for looking legs up only. */
    private readonly referencePrice: number | null,
    /** The simulated account's balance in the settle currency. */
    private readonly startingBalance: number = 10_000,
  ) {}

  queueKey(market: MarketRef): string {
    return `dry-run|${this.strategy}|${this.exchange}|${market.symbol}`;
  }

  /** Without market data, one market has one name: see simulatorSymbol. */
  async resolveMarket(symbol: string): Promise<MarketRef> {
    return { symbol: simulatorSymbol(symbol), type: this.marketType };
  }

  async position(market: MarketRef): Promise<Position> {
    return { qty: this.positions.get(this.strategy, this.exchange, market.symbol)?.qty ?? 0, mode: 'one-way' };
  }

  normalize(_market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>): Omit<LegToSend, 'clientOrderId'> {
    return { ...leg, amount: roundAmount(leg.amount) };
  }

  /** The simulator keeps no market data, so no minimum value. */
  minimumValue(): number | null {
    return null;
  }

  async lastPrice(): Promise<number | null> {
    return this.referencePrice;
  }

  async currentPrice(): Promise<number | null> {
    return this.referencePrice;
  }

  /** Without market data, the symbol's spelling says its base and quote; a perpetual counts coins (linear). */
  facts(market: MarketRef): MarketFacts {
    const { base, quote } = splitSymbol(market.symbol);
    return { symbol: market.symbol, contract: this.marketType === 'spot' ? null : 'linear', contractSize: 1, base, quote, settle: quote, amountStep: null, minAmount: null, priceTick: null };
  }

  async balance(currency: string): Promise<AccountBalance> {
    return { currency, total: this.startingBalance, free: this.startingBalance };
  }

  async maxLeverage(): Promise<number | null> {
    return null;
  }

  /** The simulator holds no account settings: nothing to set. */
  async setLeverage(): Promise<void> {}

  async ensureMarginMode(): Promise<void> {}

  protectionStyle(): ProtectionStyle {
    return 'attached';
  }

  async submit(market: MarketRef, leg: LegToSend): Promise<LegOutcome> {
    const price = leg.type === 'limit' && leg.price !== null ? leg.price : this.referencePrice;
    // Venues.forOrder refuses a Market order it has no price for; only the look-up simulator has none.
    if (price === null) throw new Error('the dry-run simulator for look-ups fills nothing');
    this.positions.applyFill(this.strategy, this.exchange, market.symbol, { clientOrderId: leg.clientOrderId, signedAmount: leg.side === 'buy' ? leg.amount : -leg.amount, price });
    return filledOutcome(leg.clientOrderId, leg.amount, price);
  }

  /** Simulated orders fill as they are sent: a leg is found filled, or it never reached the simulator. */
  async fetchLeg(_market: MarketRef, _exchangeOrderId: string | null, clientOrderId: string): Promise<LegOutcome | null> {
    const fill = this.positions.fillOf(clientOrderId);
    return fill && filledOutcome(clientOrderId, Math.abs(fill.signedAmount), fill.price);
  }

  async cancel(): Promise<LegOutcome> {
    throw new ApiError(409, 'not_open', 'dry-run orders fill at once; there is nothing to cancel');
  }

  /** The simulator takes symbols as written and keeps no market list of its own. */
  async markets(): Promise<TradableMarket[] | null> {
    return null;
  }
}

function filledOutcome(clientOrderId: string, amount: number, price: number): LegOutcome {
  return { exchangeOrderId: `dry-${clientOrderId}`, status: 'filled', filled: amount, averagePrice: price };
}
