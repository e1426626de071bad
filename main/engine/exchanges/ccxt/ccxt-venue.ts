import type { MarketInterface, Order } from 'ccxt';
import { formatAmount } from '../../../../shared/decimal.js';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import { ApiError } from '../../http/api-error.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeHealth } from '../exchange-health.js';
import type { AccountStream, LegOutcome, LegToSend, MarketRef, Position, PositionRow, TradableMarket, Venue } from '../venue.js';
import { CcxtAccountStream } from './ccxt-account-stream.js';
import { apiErrorFromCcxt, errorClasses, refusedByExchange } from './ccxt-errors.js';
import { positionRowOf } from './ccxt-positions.js';
import { CcxtPrices } from './ccxt-prices.js';
import { limitPriceOnTick, stepOf } from './market-precision.js';
import { outcomeOf } from './order-outcome.js';
import type { OwnedExchange } from './owned-exchange.js';
import { resolveSymbol } from './symbols.js';
import { tradableMarkets } from './tradable-markets.js';

/** How often, and how long apart, an order whose answer was lost is looked up by its client order id. */
const LOOKUP_ATTEMPTS = 4;
const LOOKUP_DELAY_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What looking an order up by its client order id told: found, certainly not there, or nothing certain. */
type Search = { found: Order } | { found: null; certain: boolean };

/**
 * Binance's answers that say the account's position mode is not what apisify read (-4061: the order's
 * position side does not match the setting; -1106: reduceOnly sent, which hedge mode refuses): the
 * mode is read again for the next order.
 */
const POSITION_MODE_CHANGED = /"code"\s*:\s*-(4061|1106)\b/;

/** A create whose outcome nobody could tell: the follower finds out (order-follower.ts), nothing is resent. */
const UNKNOWN_OUTCOME: LegOutcome = { exchangeOrderId: null, status: 'submitted', filled: 0, averagePrice: null };

/** A live exchange account for one market type, through ccxt's unified API. */
export class CcxtVenue implements Venue {
  readonly dryRun = false;

  readonly #prices: CcxtPrices;
  /** Binance's position mode, read once per account (its endpoint weighs 30): true for hedge mode. */
  #hedgeMode: Promise<boolean> | null = null;

  /** `stream`: the account's private stream, which may be another instance's (CcxtAccounts shares Bybit's). */
  constructor(
    private readonly exchange: OwnedExchange,
    private readonly name: ExchangeName,
    private readonly marketType: MarketType,
    private readonly health: ExchangeHealth,
    private readonly stream: CcxtAccountStream = new CcxtAccountStream(exchange, name, marketType !== 'spot' || name.startsWith('bybit')),
  ) {
    this.#prices = new CcxtPrices(exchange);
  }

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
    if (market.type !== 'spot') {
      const [rows, mode] = await Promise.all([this.positionRows(market), this.positionMode()]);
      const hedged = mode === 'hedge' || rows.some((row) => row.side !== 'both');
      return { qty: rows.reduce((sum, row) => sum + row.qty, 0), mode: hedged ? 'hedge' : 'one-way' };
    }
    try {
      const balance = await this.#ask(() => this.exchange.fetchBalance());
      const base = this.exchange.market(market.symbol).base;
      const free = (balance as unknown as Record<string, { free?: number } | undefined>)[base]?.free ?? 0;
      return { qty: free, mode: 'one-way' };
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async positionRows(market: MarketRef): Promise<PositionRow[]> {
    try {
      const positions = await this.#ask(() => this.exchange.fetchPositions([market.symbol]));
      return positions.filter((position) => position.symbol === market.symbol).map(positionRowOf);
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  /** Binance says its mode outright, once per account; Bybit has no such call: its rows carry the mode. */
  async positionMode(_market?: MarketRef, reread = false): Promise<Position['mode']> {
    if (!this.exchange.has['fetchPositionMode'] || this.exchange.id === 'bybit') return 'one-way';
    if (reread) this.#hedgeMode = null;
    this.#hedgeMode ??= this.#ask(() => this.exchange.fetchPositionMode()).then((mode) => (mode as { hedged?: boolean }).hedged === true);
    const asked = this.#hedgeMode;
    try {
      return (await asked) ? 'hedge' : 'one-way';
    } catch (error) {
      // a failed read is not kept: the next order asks again
      if (this.#hedgeMode === asked) this.#hedgeMode = null;
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  normalize(market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>, valuePrice: number | null = leg.price): Omit<LegToSend, 'clientOrderId'> {
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
    const tick = stepOf(info.precision?.price, this.exchange.precisionMode);
    const price = leg.price === null ? null : tick === null ? Number(this.exchange.priceToPrecision(market.symbol, leg.price)) : limitPriceOnTick(leg.price, tick, leg.side);
    const checkedAt = price ?? valuePrice;
    const minCost = this.minimumValue(market);
    // Reduce-only orders are exempt from the minimum value on both exchanges: a small position can always be closed.
    if (checkedAt !== null && minCost !== null && !leg.reduceOnly && amount * checkedAt * (info.contractSize ?? 1) < minCost) {
      const at = price !== null ? `at ${formatAmount(checkedAt)}` : `at the last price ${formatAmount(checkedAt)}`;
      throw new ApiError(422, 'below_minimum', `qty: an order of ${formatAmount(amount)} ${at} is below ${market.symbol}'s minimum order value of ${formatAmount(minCost)} ${info.quote}`, 'qty');
    }
    return { ...leg, amount, price };
  }

  /** The smallest order value the market takes, in its quote currency; null where there is none (inverse contracts count in USD already). */
  minimumValue(market: MarketRef): number | null {
    const info = this.exchange.market(market.symbol);
    const minCost = info.limits?.cost?.min;
    return typeof minCost === 'number' && minCost > 0 && !info.inverse ? minCost : null;
  }

  /**
   * The market's last price, for checks that need one where the request gave none (a Market order's
   * minimum value): from the symbol's ticker stream or a recent snapshot where there is one (ccxt-prices.ts).
   */
  async lastPrice(market: MarketRef): Promise<number | null> {
    try {
      return await this.#ask(() => this.#prices.forMinimum(market.symbol));
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  /** Every market's last price in one request, in the background, so that first orders need no read. */
  refreshPrices(): Promise<void> {
    return this.#prices.snapshot();
  }

  async submit(market: MarketRef, leg: LegToSend): Promise<LegOutcome> {
    const params: Record<string, unknown> = { clientOrderId: leg.clientOrderId };
    if (leg.reduceOnly) params['reduceOnly'] = true;
    try {
      // Bybit answers with ids only ('submitted'): the follower learns the state (OrderFollower.learn).
      return outcomeOf(await this.#ask(() => this.exchange.createOrder(market.symbol, leg.type, leg.side, leg.amount, leg.price ?? undefined, params)));
    } catch (error) {
      if (POSITION_MODE_CHANGED.test(error instanceof Error ? error.message : '')) this.#hedgeMode = null;
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

  /** One stream per account whatever the number of orders; it connects when the account is first used. */
  accountStream(): AccountStream {
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
