import type { MarketInterface, Order } from 'ccxt';
import { formatAmount } from '../../../../shared/decimal.js';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import { ApiError } from '../../http/api-error.js';
import type { MarketType } from '../../store/strategies.js';
import { type AccountRef, accountKey } from '../../../../shared/account-names.js';
import type { ExchangeHealth } from '../exchange-health.js';
import type { AccountBalance, AccountStream, BalanceRow, LegOutcome, LegToSend, MarketFacts, MarketRef, OrderTrade, Position, PositionRow, ProtectionStyle, TradableMarket, Venue } from '../venue.js';
import { NotSent, sendAfter } from '../send-gate.js';
import { CcxtAccountStream } from './ccxt-account-stream.js';
import { apiErrorFromCcxt, errorClasses, isDuplicateClientId, refusedByExchange } from './ccxt-errors.js';
import { positionRowOf } from './ccxt-positions.js';
import { CcxtPrices } from './ccxt-prices.js';
import { limitPriceOnTick, stepOf } from './market-precision.js';
import { algoOutcomeWithActual, algoStateOf, outcomeOf } from './order-outcome.js';
import { orderTradeOf } from './order-trade.js';
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
  /** What apisify set (or found set) per market, so an order sets it only when it changes. */
  readonly #leverage = new Map<string, number>();
  readonly #marginModes = new Map<string, 'cross' | 'isolated'>();
  readonly #leverageTiers = new Map<string, Promise<number | null>>();
  /** Bybit's unified account margin mode, read once and again after a mismatch. */
  #accountMarginMode: Promise<string> | null = null;
  /** Binance's position mode, read once per account (its endpoint weighs 30): true for hedge mode. */
  #hedgeMode: Promise<boolean> | null = null;

  private readonly name: ExchangeName;

  /** `stream`: the account's private stream, which may be another instance's (CcxtAccounts shares Bybit's). */
  constructor(
    private readonly exchange: OwnedExchange,
    private readonly account: AccountRef,
    private readonly marketType: MarketType,
    private readonly health: ExchangeHealth,
    private readonly stream: CcxtAccountStream = new CcxtAccountStream(exchange, accountKey(account), marketType !== 'spot' || account.exchange.startsWith('bybit')),
  ) {
    this.name = account.exchange;
    this.#prices = new CcxtPrices(exchange);
  }

  #retired = false;

  get retired(): boolean {
    return this.#retired;
  }

  /** The account's credentials changed or went (CcxtAccounts): nothing more is sent with these, and its sockets close. */
  retire(): void {
    this.#retired = true;
    void this.close();
  }

  /** Closes the instance's websockets (its ticker streams; the account stream too where it hosts it). */
  async close(): Promise<void> {
    this.#prices.close();
    await this.exchange.close().catch(() => undefined);
  }

  #refuseIfRetired(): void {
    if (this.#retired) {
      throw new ApiError(409, 'account_changed', `exchange: the ${accountKey(this.account)} account was changed or removed meanwhile; nothing was sent with its old credentials`, 'exchange');
    }
  }

  /** One request to the exchange, noting whether the account could be reached; ccxt's own error goes on to the caller. */
  async #ask<T>(request: () => Promise<T>): Promise<T> {
    this.#refuseIfRetired();
    try {
      const answer = await request();
      this.health.record(this.account, null);
      return answer;
    } catch (error) {
      // held back on apisify's side (send-gate.ts): it says nothing of the exchange
      if (!(error instanceof NotSent)) this.health.record(this.account, apiErrorFromCcxt(error, this.name));
      throw error;
    }
  }

  /** Per account: two accounts' orders on one symbol do not wait for each other. */
  queueKey(market: MarketRef): string {
    return `${accountKey(this.account)}|${market.symbol}`;
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

  /**
   * Bybit lists positions per settle coin and category (ccxt asks USDT-settled linear without a
   * symbol): USDT and USDC linear, and inverse, as ccxt's own watchPositions snapshot reads them.
   * ccxt picks Bybit's category from `subType`; a `type` of linear or inverse is dropped, and would
   * read the USDT linear list again. Binance USDⓈ-M lists them all at once. Flat rows are left out.
   */
  async allPositionRows(): Promise<PositionRow[]> {
    try {
      const reads =
        this.exchange.id === 'bybit'
          ? [{ subType: 'linear', settleCoin: 'USDT' }, { subType: 'linear', settleCoin: 'USDC' }, { subType: 'inverse' }].map((params) => this.#ask(() => this.exchange.fetchPositions(undefined, params)))
          : [this.#ask(() => this.exchange.fetchPositions())];
      const rows = (await Promise.all(reads)).flat().map(positionRowOf);
      return rows.filter((row) => row.qty !== 0);
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async balanceRows(): Promise<BalanceRow[]> {
    try {
      const balance = (await this.#ask(() => this.exchange.fetchBalance())) as unknown as { total?: Record<string, number | undefined>; free?: Record<string, number | undefined>; used?: Record<string, number | undefined> };
      const number = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
      return Object.keys(balance.total ?? {})
        .sort()
        .map((currency) => ({ currency, total: number(balance.total?.[currency]), free: number(balance.free?.[currency]), used: number(balance.used?.[currency]) }))
        .filter((row) => (row.total ?? 0) !== 0 || (row.used ?? 0) !== 0);
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

  async submit(market: MarketRef, leg: LegToSend, ready: Promise<void>): Promise<LegOutcome> {
    const params: Record<string, unknown> = { clientOrderId: leg.clientOrderId };
    if (leg.reduceOnly) params['reduceOnly'] = true;
    // Bybit: held on the position the create opens (ccxt's createOrderWithTakeProfitAndStopLoss params)
    if (leg.attached?.stopLoss != null) params['stopLoss'] = leg.attached.stopLoss;
    if (leg.attached?.takeProfit != null) params['takeProfit'] = leg.attached.takeProfit;
    // Binance USDⓈ-M: a conditional order, which ccxt 4.5.84 sends to the algo-order endpoint
    if (leg.role === 'stop_loss') params['stopLossPrice'] = leg.triggerPrice;
    if (leg.role === 'take_profit') params['takeProfitPrice'] = leg.triggerPrice;
    const conditional = leg.role === 'stop_loss' || leg.role === 'take_profit';
    this.#refuseIfRetired();
    try {
      // Bybit answers with ids only ('submitted'): the follower learns the state (OrderFollower.learn).
      return outcomeOf(await sendAfter(ready, () => this.#ask(() => this.exchange.createOrder(market.symbol, leg.type, leg.side, leg.amount, leg.price ?? undefined, params))));
    } catch (error) {
      if (error instanceof NotSent) throw error.reason;
      if (POSITION_MODE_CHANGED.test(error instanceof Error ? error.message : '')) this.#hedgeMode = null;
      // a client id already taken is this order already there: found below like a lost answer's
      if (refusedByExchange(error) && !isDuplicateClientId(error)) throw apiErrorFromCcxt(error, this.name);
      // The answer was lost or says nothing certain, not necessarily the order: find it by its client
      // order id. Never resend.
      const search = await this.#lookUp(market.symbol, leg.clientOrderId, conditional);
      // It exists: a failed read of what it did (a fired stop's placed order) leaves it to the follower, never a refusal.
      if (search.found) return await this.#outcomeOf(market.symbol, search.found).catch(() => UNKNOWN_OUTCOME);
      if (!search.certain) return UNKNOWN_OUTCOME;
      const cause = apiErrorFromCcxt(error, this.name);
      throw new ApiError(cause.status, cause.code, `${cause.message}; no order with client id ${leg.clientOrderId} exists there, so it was not placed (apisify does not resend)`);
    }
  }

  /** fetchMyTrades by order id (Bybit execution/list, Binance myTrades / userTrades): ccxt's fetchOrderTrades refuses Binance's contracts. */
  async orderTrades(market: MarketRef, exchangeOrderId: string): Promise<OrderTrade[]> {
    try {
      const trades = await this.#ask(() => this.exchange.fetchMyTrades(market.symbol, undefined, undefined, { orderId: exchangeOrderId }));
      return trades.filter((trade) => trade.order === undefined || trade.order === exchangeOrderId).flatMap((trade) => orderTradeOf(trade) ?? []);
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async fetchLeg(market: MarketRef, exchangeOrderId: string | null, clientOrderId: string, conditional = false): Promise<LegOutcome | null> {
    try {
      // a conditional leg by its client id: once triggered, its exchange id is its placed order's (outcomeOf)
      const order = exchangeOrderId && !conditional ? await this.#fetchById(market.symbol, exchangeOrderId) : await this.#findByClientId(market.symbol, clientOrderId, conditional);
      return order ? await this.#outcomeOf(market.symbol, order) : null;
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async cancel(market: MarketRef, exchangeOrderId: string, conditional = false): Promise<LegOutcome> {
    try {
      await this.#ask(() => this.exchange.cancelOrder(exchangeOrderId, market.symbol, conditional ? { trigger: true } : {}));
      const order = await this.#fetchById(market.symbol, exchangeOrderId, conditional);
      return order ? await this.#outcomeOf(market.symbol, order) : { exchangeOrderId, status: 'cancelled', filled: 0, averagePrice: null };
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  facts(market: MarketRef): MarketFacts {
    const info = this.exchange.market(market.symbol);
    const contract = info.spot ? null : info.inverse ? 'inverse' : 'linear';
    return {
      symbol: market.symbol,
      contract,
      contractSize: typeof info.contractSize === 'number' && info.contractSize > 0 ? info.contractSize : 1,
      base: info.base,
      quote: info.quote,
      settle: info.settle ?? (contract === 'inverse' ? info.base : info.quote),
      amountStep: stepOf(info.precision?.amount, this.exchange.precisionMode),
      minAmount: typeof info.limits?.amount?.min === 'number' && info.limits.amount.min > 0 ? info.limits.amount.min : null,
      priceTick: stepOf(info.precision?.price, this.exchange.precisionMode),
    };
  }

  async currentPrice(market: MarketRef): Promise<number | null> {
    try {
      return await this.#ask(() => this.#prices.current(market.symbol));
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async balance(currency: string): Promise<AccountBalance> {
    try {
      const balance = (await this.#ask(() => this.exchange.fetchBalance())) as unknown as { total?: Record<string, number | undefined>; free?: Record<string, number | undefined> };
      return { currency, total: balance.total?.[currency] ?? 0, free: balance.free?.[currency] ?? 0 };
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async maxLeverage(market: MarketRef): Promise<number | null> {
    const listed = this.exchange.market(market.symbol).limits?.leverage?.max;
    if (typeof listed === 'number' && listed > 0) return listed;
    if (!this.exchange.has['fetchLeverageTiers']) return null;
    let tiers = this.#leverageTiers.get(market.symbol);
    if (!tiers) {
      tiers = this.#ask(() => this.exchange.fetchLeverageTiers([market.symbol])).then((all) => {
        const ofSymbol = (all as Record<string, { maxLeverage?: number }[] | undefined>)[market.symbol] ?? [];
        const most = Math.max(...ofSymbol.map((tier) => tier.maxLeverage ?? 0));
        return most > 0 ? most : null;
      });
      this.#leverageTiers.set(market.symbol, tiers);
      tiers.catch(() => this.#leverageTiers.delete(market.symbol));
    }
    try {
      return await tiers;
    } catch (error) {
      throw apiErrorFromCcxt(error, this.name);
    }
  }

  async setLeverage(market: MarketRef, leverage: number): Promise<void> {
    if (this.#leverage.get(market.symbol) === leverage) return;
    try {
      await this.#ask(() => this.exchange.setLeverage(leverage, market.symbol));
    } catch (error) {
      // Bybit 110043 "leverage not modified": it already is
      if (!/\b110043\b/.test(error instanceof Error ? error.message : '')) throw apiErrorFromCcxt(error, this.name);
    }
    this.#leverage.set(market.symbol, leverage);
  }

  async ensureMarginMode(market: MarketRef, mode: 'cross' | 'isolated'): Promise<void> {
    if (this.exchange.id === 'bybit') {
      // the unified account holds one margin mode for every market: read it, never change it
      this.#accountMarginMode ??= this.#ask(() => this.exchange.fetchMarginMode(market.symbol)).then((answer) => String((answer as { marginMode?: unknown }).marginMode));
      const held = this.#accountMarginMode;
      let accountMode: string;
      try {
        accountMode = await held;
      } catch (error) {
        if (this.#accountMarginMode === held) this.#accountMarginMode = null;
        throw apiErrorFromCcxt(error, this.name);
      }
      if (accountMode !== mode) {
        // asked again next time: the trader may change it on the website meanwhile
        this.#accountMarginMode = null;
        throw new ApiError(
          409,
          'margin_mode_mismatch',
          `this strategy trades ${mode} margin, but this Bybit unified account is in ${accountMode} margin mode, which Bybit holds for the whole account: change it in Bybit's unified trading account settings, or the strategy's marginMode; apisify does not change an account-wide setting`,
          'strategy',
        );
      }
      return;
    }
    if (this.#marginModes.get(market.symbol) === mode) return;
    try {
      await this.#ask(() => this.exchange.setMarginMode(mode, market.symbol, { throwMarginModeAlreadySet: false }));
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/-404[78]\b/.test(message)) {
        throw new ApiError(409, 'margin_mode_mismatch', `${this.name} will not switch ${market.symbol} to ${mode} margin while it has open orders or a position there: close them, or change the strategy's marginMode (${message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 200)})`, 'strategy');
      }
      if (!/-4046\b/.test(message)) throw apiErrorFromCcxt(error, this.name);
    }
    this.#marginModes.set(market.symbol, mode);
  }

  protectionStyle(market: MarketRef): ProtectionStyle {
    if (market.type === 'spot') return 'none';
    return this.exchange.id === 'bybit' ? 'attached' : 'conditional';
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
  async #lookUp(symbol: string, clientOrderId: string, conditional: boolean): Promise<Search> {
    let answered = false;
    for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt++) {
      try {
        const order = await this.#findByClientId(symbol, clientOrderId, conditional);
        if (order) return { found: order };
        answered = true;
      } catch {
        answered = false;
      }
      if (attempt < LOOKUP_ATTEMPTS) await sleep(LOOKUP_DELAY_MS * attempt);
    }
    return { found: null, certain: answered };
  }

  /**
   * A triggered Binance algo order's REST answer tells no fill: the order it placed in the books
   * does, asked for by its id.
   */
  async #outcomeOf(symbol: string, order: Order): Promise<LegOutcome> {
    const algo = algoStateOf(order);
    if (!algo || algo.filled !== null || algo.actualOrderId === null) return outcomeOf(order);
    const actual = await this.#fetchById(symbol, algo.actualOrderId);
    // not there yet (recorded a moment later): what filled is unknown, so asked again later rather than taken as nothing
    if (!actual) throw new Error(`the order ${algo.actualOrderId} placed by a triggered conditional order is not found yet`);
    return algoOutcomeWithActual(algo, actual);
  }

  async #findByClientId(symbol: string, clientOrderId: string, conditional = false): Promise<Order | null> {
    try {
      if (this.exchange.id === 'bybit') {
        // Bybit's realtime endpoint answers by orderLinkId, for open and recently finished orders alike.
        const [found] = await this.#ask(() => this.exchange.fetchOpenOrders(symbol, undefined, undefined, { orderLinkId: clientOrderId }));
        return found ?? null;
      }
      return await this.#ask(() => this.exchange.fetchOrder('', symbol, { clientOrderId, ...(conditional ? { trigger: true } : {}) }));
    } catch (error) {
      if (errorClasses(error).includes('OrderNotFound')) return null;
      throw error;
    }
  }

  async #fetchById(symbol: string, id: string, conditional = false): Promise<Order | null> {
    try {
      return await this.#ask(() => this.exchange.fetchOrder(id, symbol, this.exchange.id === 'bybit' ? { acknowledged: true } : conditional ? { trigger: true } : {}));
    } catch (error) {
      if (errorClasses(error).includes('OrderNotFound')) return null;
      throw error;
    }
  }
}
