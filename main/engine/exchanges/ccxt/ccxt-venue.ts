import type { MarketInterface, Order } from 'ccxt';
import { formatAmount } from '../../../../shared/decimal.js';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import { ApiError } from '../../http/api-error.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeHealth } from '../exchange-health.js';
import type { LegOutcome, LegToSend, MarketRef, OrderStream, Position, TradableMarket, Venue } from '../venue.js';
import { apiErrorFromCcxt, errorClasses, refusedByExchange } from './ccxt-errors.js';
import type { OwnedExchange } from './ccxt-exchange.js';
import { CcxtOrderStream } from './ccxt-order-stream.js';
import { outcomeOf } from './order-outcome.js';
import { resolveSymbol } from './symbols.js';
import { tradableMarkets } from './tradable-markets.js';

/** How often, and how long apart, an order whose answer was lost is looked up by its client order id. */
const LOOKUP_ATTEMPTS = 4;
const LOOKUP_DELAY_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What looking an order up by its client order id told: found, certainly not there, or nothing certain. */
type Search = { found: Order } | { found: null; certain: boolean };

/** A create whose outcome nobody could tell: the follower finds out (order-follower.ts), nothing is resent. */
const UNKNOWN_OUTCOME: LegOutcome = { exchangeOrderId: null, status: 'submitted', filled: 0, averagePrice: null };

/** A live exchange account for one market type, through ccxt's unified API. */
export class CcxtVenue implements Venue {
  readonly dryRun = false;

  /** `stream`: the account's order stream, which may be another instance's (CcxtAccounts shares Bybit's). */
  constructor(
    private readonly exchange: OwnedExchange,
    private readonly name: ExchangeName,
    private readonly marketType: MarketType,
    private readonly health: ExchangeHealth,
    private readonly stream: CcxtOrderStream = new CcxtOrderStream(exchange, name),
  ) {}

  /** One request to the exchange, noting whether the account could be reached; ccxt's own error goes on to the caller. */
  async #ask<T>(request: () => Promise<T>): Promise<T> {
    try {
      const answer = await request();
      this.health.record(this.name, null);
      return answer;
    } catch (error) {
      this.health.record(this.name, apiErrorFromCcxt(error, this.name));
      throw error;
    }
  }

  queueKey(market: MarketRef): string {
    return `${this.name}|${market.symbol}`;
  }

  async resolveMarket(symbol: string): Promise<MarketRef> {
    const market = resolveSymbol(Object.values(this.exchange.markets ?? {}) as MarketInterface[], symbol, this.marketType);
    return { symbol: market.symbol, type: this.marketType };
  }

  async position(market: MarketRef): Promise<Position> {
    try {
      if (market.type === 'spot') {
        const balance = await this.#ask(() => this.exchange.fetchBalance());
        const base = this.exchange.market(market.symbol).base;
        const free = (balance as unknown as Record<string, { free?: number } | undefined>)[base]?.free ?? 0;
        return { qty: free, mode: 'one-way' };
      }
      const hedged = await this.#hedgeMode(market.symbol);
      const positions = await this.#ask(() => this.exchange.fetchPositions([market.symbol]));
      let qty = 0;
      let hedgedSeen = hedged;
      for (const position of positions) {
        if (position.symbol !== market.symbol) continue;
        const info = position.info as Record<string, unknown> | undefined;
        if (position.hedged === true || (info?.['positionIdx'] !== undefined && String(info['positionIdx']) !== '0')) hedgedSeen = true;
        const contracts = position.contracts ?? 0;
        qty += position.side === 'short' ? -Math.abs(contracts) : Math.abs(contracts);
      }
      return { qty, mode: hedgedSeen ? 'hedge' : 'one-way' };
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  /** Binance says its mode outright; Bybit has no such call, so its mode is read from the positions. */
  async #hedgeMode(symbol: string): Promise<boolean> {
    if (!this.exchange.has['fetchPositionMode'] || this.exchange.id === 'bybit') return false;
    const mode = (await this.#ask(() => this.exchange.fetchPositionMode(symbol))) as { hedged?: boolean };
    return mode.hedged === true;
  }

  normalize(market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>): Omit<LegToSend, 'clientOrderId'> {
    const info = this.exchange.market(market.symbol);
    let amount: number;
    try {
      amount = Number(this.exchange.amountToPrecision(market.symbol, leg.amount));
    } catch {
      amount = 0;
    }
    const minAmount = info.limits?.amount?.min;
    if (!(amount > 0) || (minAmount !== undefined && minAmount !== null && amount < minAmount)) {
      throw new ApiError(
        422,
        'below_minimum',
        `qty: ${formatAmount(leg.amount)} is below ${market.symbol}'s minimum order size of ${formatAmount(minAmount ?? Number(info.precision?.amount ?? 0))}`,
        'qty',
      );
    }
    const price = leg.price === null ? null : Number(this.exchange.priceToPrecision(market.symbol, leg.price));
    const minCost = info.limits?.cost?.min;
    if (price !== null && minCost && !info.inverse && amount * price * (info.contractSize ?? 1) < minCost) {
      throw new ApiError(422, 'below_minimum', `qty: an order of ${formatAmount(amount)} at ${formatAmount(price)} is below ${market.symbol}'s minimum order value of ${formatAmount(minCost)}`, 'qty');
    }
    return { ...leg, amount, price };
  }

  async submit(market: MarketRef, leg: LegToSend): Promise<LegOutcome> {
    const params: Record<string, unknown> = { clientOrderId: leg.clientOrderId };
    if (leg.reduceOnly) params['reduceOnly'] = true;
    try {
      // Bybit answers with ids only ('submitted'): the follower learns the state (OrderFollower.learn).
      return outcomeOf(await this.#ask(() => this.exchange.createOrder(market.symbol, leg.type, leg.side, leg.amount, leg.price ?? undefined, params)));
    } catch (error) {
      if (refusedByExchange(error)) throw apiErrorFromCcxt(error, this.name);
      // The answer was lost or says nothing certain, not necessarily the order: find it by its client
      // order id. Never resend.
      const search = await this.#lookUp(market.symbol, leg.clientOrderId);
      if (search.found) return outcomeOf(search.found);
      if (!search.certain) return UNKNOWN_OUTCOME;
      const cause = apiErrorFromCcxt(error, this.name);
      throw new ApiError(cause.status, cause.code, `${cause.message}; no order with client id ${leg.clientOrderId} exists there, so it was not placed (apisify does not resend)`);
    }
  }

  async fetchLeg(market: MarketRef, exchangeOrderId: string | null, clientOrderId: string): Promise<LegOutcome | null> {
    try {
      const order = exchangeOrderId ? await this.#fetchById(market.symbol, exchangeOrderId) : await this.#findByClientId(market.symbol, clientOrderId);
      return order ? outcomeOf(order) : null;
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async cancel(market: MarketRef, exchangeOrderId: string): Promise<LegOutcome> {
    try {
      await this.#ask(() => this.exchange.cancelOrder(exchangeOrderId, market.symbol));
      const order = await this.#fetchById(market.symbol, exchangeOrderId);
      return order ? outcomeOf(order) : { exchangeOrderId, status: 'cancelled', filled: 0, averagePrice: null };
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  /** From the markets this instance already holds (loaded at warm-up, refreshed hourly): no request. */
  async markets(): Promise<TradableMarket[]> {
    return tradableMarkets(Object.values(this.exchange.markets ?? {}) as MarketInterface[], this.marketType, this.exchange.precisionMode);
  }

  /** One stream whatever the number of orders it follows; it connects on the follower's first next(). */
  orderStream(): OrderStream {
    return this.stream;
  }

  /**
   * A few tries, spaced out: an exchange may record an order a moment after the connection broke.
   * "Not there" is certain only when the last try was answered: a try that failed (unreachable, rate
   * limited, refused) tells nothing, and an earlier "not there" may predate the order's recording.
   */
  async #lookUp(symbol: string, clientOrderId: string): Promise<Search> {
    let answered = false;
    for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt++) {
      try {
        const order = await this.#findByClientId(symbol, clientOrderId);
        if (order) return { found: order };
        answered = true;
      } catch {
        answered = false;
      }
      if (attempt < LOOKUP_ATTEMPTS) await sleep(LOOKUP_DELAY_MS * attempt);
    }
    return { found: null, certain: answered };
  }

  async #findByClientId(symbol: string, clientOrderId: string): Promise<Order | null> {
    try {
      if (this.exchange.id === 'bybit') {
        // Bybit's realtime endpoint answers by orderLinkId, for open and recently finished orders alike.
        const [found] = await this.#ask(() => this.exchange.fetchOpenOrders(symbol, undefined, undefined, { orderLinkId: clientOrderId }));
        return found ?? null;
      }
      return await this.#ask(() => this.exchange.fetchOrder('', symbol, { clientOrderId }));
    } catch (error) {
      if (errorClasses(error).includes('OrderNotFound')) return null;
      throw error;
    }
  }

  async #fetchById(symbol: string, id: string): Promise<Order | null> {
    try {
      return await this.#ask(() => this.exchange.fetchOrder(id, symbol, this.exchange.id === 'bybit' ? { acknowledged: true } : {}));
    } catch (error) {
      if (errorClasses(error).includes('OrderNotFound')) return null;
      throw error;
    }
  }
}
