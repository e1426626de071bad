// The exchange's books, venue-neutral: prices, wallets, positions and orders, plus the
// matching rules. Venue route files translate requests into these calls and Rejections into
// each exchange's error codes. Fees are zero unless the fake was started with some (fees.ts), so
// that tests can compute balances exactly.

import { randomUUID } from 'node:crypto';
import { floorToStep, isMultipleOf, roundTo } from './decimal.js';
import { marketKey, marketsOf, type MarketSpec } from './markets.js';
import { FakeClock } from './clock.js';
import { feeRatesFor, type FeeOption, type FeeRates } from './fees.js';
import { OrderIndex } from './order-index.js';
import { ConditionalBook } from './conditional-orders.js';
import { protectionProblem, triggeredBy, type Protection, type ProtectionTrigger } from './protection.js';
import { Rejection } from './rejection.js';

import type { Account, FakeOrder, FakePosition, MarketKind, OrderStatus, Venue } from './types.js';

export { Rejection, type RejectReason } from './rejection.js';

export type PositionSide = 'both' | 'long' | 'short';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PostOnly';

export interface PlaceOrderInput {
  market: MarketSpec;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  /** Base quantity (contracts for inverse). Absent: close the whole position (reduce-only market orders). */
  qty?: number;
  /** Spot market orders sized in quote currency. */
  quoteQty?: number;
  price?: number;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  positionSide: PositionSide;
  /** '' when the client sent none (Bybit allows that). */
  clientOrderId: string;
  /** Take-profit / stop-loss for the position this order opens (or grows); ignored when it reduces. */
  protection?: Protection;
  /** Set on the market order a triggered take-profit or stop-loss placed. */
  trigger?: ProtectionTrigger;
}

export interface OrderRecord {
  orderId: string;
  clientOrderId: string;
  market: MarketSpec;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  qty: number;
  quoteQty?: number;
  price?: number;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  positionSide: PositionSide;
  status: OrderStatus;
  filledQty: number;
  avgPrice: number;
  /** Quote value filled (base value for inverse: contracts are USD). */
  cumQuote: number;
  createdAt: number;
  updatedAt: number;
  protection?: Protection;
  trigger?: ProtectionTrigger;
  /** Fees paid so far, in `feeCoin` (0 and '' before a fill). */
  fee: number;
  feeCoin: string;
  /** Its fill (the fake fills an order in one trade). */
  trade?: TradeRecord;
}

/** One fill: what traded, at what price, who was the maker, and what it cost and realised. */
export interface TradeRecord {
  id: string;
  order: OrderRecord;
  qty: number;
  price: number;
  maker: boolean;
  fee: number;
  feeRate: number;
  /** The fee's coin: the settle coin of a contract; on spot what the order received. */
  feeCoin: string;
  /** PnL the fill realised on a contract (before fees). */
  realisedPnl: number;
  time: number;
}

export interface PositionRecord {
  market: MarketSpec;
  side: PositionSide;
  qty: number;
  entryPrice: number;
  realisedPnl: number;
  createdAt: number;
  updatedAt: number;
  /** Take-profit and stop-loss held on the position; gone when it closes. */
  protection: Protection;
  /** Trading fees paid on the position's fills (in the settle coin). */
  fees: number;
}

/** A wallet coin whose balance, or the funds held from it, changed. */
export interface WalletCoin {
  account: Account;
  coin: string;
  /** The change of the balance itself when a test set it (a deposit or a withdrawal); absent for fills and holds. */
  delta?: number;
}

/**
 * Why an account changed: a fill (positions, balances, realised PnL), an order that began or
 * stopped holding funds, or a test's setBalance (deposit / withdraw) or setPosition (adjustment).
 */
export type AccountChangeReason = 'fill' | 'order' | 'deposit' | 'withdraw' | 'adjustment' | 'protection';

/** What the websocket side pushes position and balance updates from. */
export interface AccountChange {
  reason: AccountChangeReason;
  /** Position legs that changed (closed ones included, with qty 0). */
  positions: readonly PositionRecord[];
  coins: readonly WalletCoin[];
}

/**
 * One change of a market's price, or one fill, and when: what the market's candles are made of
 * (candles.ts). `price` is the market's last price after it.
 */
export interface TapePrint {
  time: number;
  price: number;
  /** Base quantity traded (contracts for inverse); 0 for a price change alone. */
  qty: number;
  /** Quote value traded (base value for inverse). */
  value: number;
  /** The part of `qty` a buyer took (the taker bought). */
  takerBuyQty: number;
  takerBuyValue: number;
}

/**
 * A market's trading since the fake started, which its tickers report as their "24h" figures:
 * the first price, the extremes, and what traded; and every print, oldest first, for its candles.
 */
export interface MarketTape {
  /** When the fake started (the exchange's clock): the first candle is the one holding it. */
  startedAt: number;
  open: number;
  high: number;
  low: number;
  /** Base quantity traded (contracts for inverse). */
  volume: number;
  /** Quote value traded (base value for inverse). */
  turnover: number;
  trades: number;
  /** Quantity of the last fill, 0 before any. */
  lastQty: number;
  /** How the last price change went, in Bybit's words. */
  tickDirection: 'PlusTick' | 'ZeroPlusTick' | 'MinusTick' | 'ZeroMinusTick';
  /** Oldest first, in time order even when a test moves the clock back. */
  prints: TapePrint[];
}

export interface OrderRef {
  orderId?: string;
  clientOrderId?: string;
}

interface StateRules {
  /**
   * Which earlier orders make a client order id a duplicate. Bybit refuses any reused
   * orderLinkId; Binance only refuses ids of orders that are still open.
   */
  clientIdScope: 'all' | 'open';
  accountFor(kind: MarketKind): Account;
  newOrderId(): string;
}

const DEFAULT_LEVERAGE = 10;

function rulesFor(venue: Venue): StateRules {
  if (venue === 'bybit') {
    return { clientIdScope: 'all', accountFor: () => 'unified', newOrderId: () => randomUUID() };
  }
  // Binance order ids are integers, increasing per exchange.
  let next = 8_389_765_000;
  return {
    clientIdScope: 'open',
    accountFor: (kind) => (kind === 'spot' ? 'spot' : 'futures'),
    newOrderId: () => String(next++),
  };
}

export class VenueState {
  readonly markets: MarketSpec[];
  readonly accounts: Account[];
  hedgeMode = false;
  private readonly rules: StateRules;
  private readonly book = new OrderIndex();
  private readonly prices = new Map<string, number>();
  /** Markets by (kind, id): a request's lookup costs the same with 500 extra markets as with none. */
  private readonly marketIndex = new Map<string, MarketSpec>();
  private readonly tapes = new Map<string, MarketTape>();
  private readonly marketListeners = new Set<(market: MarketSpec) => void>();
  private readonly wallets = new Map<Account, Map<string, number>>();
  private readonly leverages = new Map<string, number>();
  private readonly marginModes = new Map<string, 'cross' | 'isolated'>();
  private readonly positionBook = new Map<string, PositionRecord>();
  private readonly orderListeners = new Set<(order: OrderRecord) => void>();
  private readonly accountListeners = new Set<(change: AccountChange) => void>();
  /** Orders announced as resting: only these held funds that a cancel or an expiry frees. */
  private readonly resting = new WeakSet<OrderRecord>();

  /** The exchange's clock: every timestamp of the books reads it. */
  readonly clock: FakeClock;
  /** Trigger orders waiting beside the books (Binance USDⓈ-M's algo orders). */
  readonly conditionals: ConditionalBook;
  /** Maker and taker rates by market kind. */
  readonly feeRates: Readonly<Record<MarketKind, FeeRates>>;
  private readonly tradeLog: TradeRecord[] = [];
  private nextTradeId = 1;

  constructor(
    readonly venue: Venue,
    opts: { clock?: FakeClock; extraMarkets?: number; fees?: FeeOption } = {},
  ) {
    this.clock = opts.clock ?? new FakeClock();
    this.conditionals = new ConditionalBook(this);
    this.rules = rulesFor(venue);
    this.feeRates = feeRatesFor(venue, opts.fees);
    this.markets = marketsOf(venue, opts.extraMarkets);
    this.accounts = venue === 'bybit' ? ['unified'] : ['spot', 'futures'];
    for (const account of this.accounts) this.wallets.set(account, new Map());
    for (const m of this.markets) {
      this.marketIndex.set(marketKey(m.id, m.kind), m);
      this.prices.set(marketKey(m.id, m.kind), m.initialPrice);
      this.tapes.set(marketKey(m.id, m.kind), { startedAt: this.now(), open: m.initialPrice, high: m.initialPrice, low: m.initialPrice, volume: 0, turnover: 0, trades: 0, lastQty: 0, tickDirection: 'ZeroPlusTick', prints: [] });
    }
  }

  /** The exchange's time (the machine's plus the clock's offset). */
  now(): number {
    return this.clock.now();
  }

  /** Called with an order each time it is created resting or changes state (the websocket side pushes these). */
  onOrderChange(listener: (order: OrderRecord) => void): () => void {
    this.orderListeners.add(listener);
    return () => this.orderListeners.delete(listener);
  }

  /**
   * Called with each change of positions or balances, before the order change that caused it is
   * announced (Binance pushes ACCOUNT_UPDATE before the ORDER_TRADE_UPDATE of the same fill).
   */
  onAccountChange(listener: (change: AccountChange) => void): () => void {
    this.accountListeners.add(listener);
    return () => this.accountListeners.delete(listener);
  }

  /** Every order accepted, oldest first. */
  get orders(): readonly OrderRecord[] {
    return this.book.list;
  }

  // ---- markets and prices -------------------------------------------------------------

  market(id: string, kind: MarketKind): MarketSpec | undefined {
    return this.marketIndex.get(marketKey(id, kind));
  }

  /** Markets with this id, optionally of one kind. */
  marketsById(id: string, kind?: MarketKind): MarketSpec[] {
    return this.markets.filter((m) => m.id === id && (kind === undefined || m.kind === kind));
  }

  price(market: MarketSpec): number {
    const price = this.prices.get(marketKey(market.id, market.kind));
    if (price === undefined) throw new Error(`no price for ${market.kind} ${market.id}`);
    return price;
  }

  setPrice(market: MarketSpec, price: number): void {
    if (!(price > 0)) throw new Error(`price must be positive, got ${price}`);
    const previous = this.price(market);
    this.prices.set(marketKey(market.id, market.kind), price);
    const tape = this.tape(market);
    if (price > previous) tape.tickDirection = 'PlusTick';
    else if (price < previous) tape.tickDirection = 'MinusTick';
    else tape.tickDirection = tape.tickDirection === 'PlusTick' || tape.tickDirection === 'ZeroPlusTick' ? 'ZeroPlusTick' : 'ZeroMinusTick';
    tape.high = Math.max(tape.high, price);
    tape.low = Math.min(tape.low, price);
    this.print(tape, price, 0, 0, false);
    this.announceMarket(market);
    this.fillCrossedLimits(market, price);
    this.triggerProtections(market, price);
    this.conditionals.trigger(market, price);
  }

  /**
   * Sets (a number), clears (0) or keeps (undefined) a position's take-profit and stop-loss, as
   * Bybit's trading-stop does: only for an open position, each on its side of the last price.
   */
  setProtection(market: MarketSpec, side: PositionSide, change: Protection): PositionRecord {
    const position = this.position(market, side);
    if (position === undefined || position.qty === 0) throw new Rejection('no_position', 'can not set tp/sl/ts for zero position');
    const next: Protection = { ...position.protection };
    for (const key of ['takeProfit', 'stopLoss'] as const) {
      const value = change[key];
      if (value === 0) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    const fresh: Protection = {};
    if (change.takeProfit !== undefined && change.takeProfit !== 0) fresh.takeProfit = change.takeProfit;
    if (change.stopLoss !== undefined && change.stopLoss !== 0) fresh.stopLoss = change.stopLoss;
    const problem = protectionProblem(position.qty > 0, this.price(market), fresh);
    if (problem !== undefined) throw new Rejection('protection_invalid', problem);
    position.protection = next;
    position.updatedAt = this.now();
    this.announceAccount({ reason: 'protection', positions: [position], coins: [] });
    return position;
  }

  tape(market: MarketSpec): MarketTape {
    const tape = this.tapes.get(marketKey(market.id, market.kind));
    if (tape === undefined) throw new Error(`no tape for ${market.kind} ${market.id}`);
    return tape;
  }

  /** Adds a print at the exchange's time, never before the last one (a test may set the clock back). */
  private print(tape: MarketTape, price: number, qty: number, value: number, takerBought: boolean): void {
    const last = tape.prints[tape.prints.length - 1];
    const time = Math.max(this.now(), last?.time ?? tape.startedAt);
    tape.prints.push({ time, price, qty, value, takerBuyQty: takerBought ? qty : 0, takerBuyValue: takerBought ? value : 0 });
  }

  /** Called after a market's price changed or a trade printed (the ticker streams push these). */
  onMarketChange(listener: (market: MarketSpec) => void): () => void {
    this.marketListeners.add(listener);
    return () => this.marketListeners.delete(listener);
  }

  accountFor(kind: MarketKind): Account {
    return this.rules.accountFor(kind);
  }

  // ---- wallets ------------------------------------------------------------------------

  wallet(account: Account, coin: string): number {
    return this.walletMap(account).get(coin) ?? 0;
  }

  setWallet(account: Account, coin: string, amount: number): void {
    this.walletMap(account).set(coin, amount);
  }

  /** A balance set from outside the books (a test's deposit or withdrawal): announced as an account change. */
  adjustWallet(account: Account, coin: string, amount: number): void {
    const delta = amount - this.wallet(account, coin);
    this.setWallet(account, coin, amount);
    if (delta === 0) return;
    this.announceAccount({ reason: delta > 0 ? 'deposit' : 'withdraw', positions: [], coins: [{ account, coin, delta }] });
  }

  coinsWithBalance(account: Account): string[] {
    return [...this.walletMap(account).keys()];
  }

  /** Funds held by open orders (spot: the goods offered; contracts: initial margin). */
  orderLocked(account: Account, coin: string, of: 'spot' | 'contract' | 'all' = 'all'): number {
    let locked = 0;
    // the open orders in placement order, as the sum always ran: the same floating-point result
    for (const o of this.book.openOrders()) {
      if (this.accountFor(o.market.kind) !== account) continue;
      if (of !== 'all' && (o.market.kind === 'spot') !== (of === 'spot')) continue;
      const remaining = o.qty - o.filledQty;
      const price = o.price ?? this.price(o.market);
      if (o.market.kind === 'spot') {
        if (o.side === 'buy' && coin === o.market.quote) locked += remaining * price;
        if (o.side === 'sell' && coin === o.market.base) locked += remaining;
      } else if (!this.isReducing(o) && coin === o.market.settle) {
        locked += this.margin(o.market, remaining, price);
      }
    }
    return locked;
  }

  /** Initial margin of open positions settled in `coin`. */
  positionMargin(account: Account, coin: string): number {
    let margin = 0;
    for (const p of this.positionBook.values()) {
      if (p.qty === 0 || p.market.settle !== coin || this.accountFor(p.market.kind) !== account) continue;
      margin += this.margin(p.market, Math.abs(p.qty), p.entryPrice);
    }
    return margin;
  }

  unrealisedPnl(account: Account, coin: string): number {
    let pnl = 0;
    for (const p of this.positionBook.values()) {
      if (p.market.settle === coin && this.accountFor(p.market.kind) === account) pnl += this.positionPnl(p);
    }
    return pnl;
  }

  available(account: Account, coin: string): number {
    return this.wallet(account, coin) - this.orderLocked(account, coin) - this.positionMargin(account, coin);
  }

  // ---- positions ----------------------------------------------------------------------

  leverage(market: MarketSpec): number {
    return this.leverages.get(marketKey(market.id, market.kind)) ?? DEFAULT_LEVERAGE;
  }

  setLeverage(market: MarketSpec, leverage: number): void {
    this.leverages.set(marketKey(market.id, market.kind), leverage);
  }

  /** A contract market's margin mode (cross by default). The fake's margin arithmetic is the same in both. */
  marginMode(market: MarketSpec): 'cross' | 'isolated' {
    return this.marginModes.get(marketKey(market.id, market.kind)) ?? 'cross';
  }

  setMarginMode(market: MarketSpec, mode: 'cross' | 'isolated'): void {
    this.marginModes.set(marketKey(market.id, market.kind), mode);
  }

  position(market: MarketSpec, side: PositionSide): PositionRecord | undefined {
    return this.positionBook.get(this.positionKey(market, side));
  }

  /** Positions with a non-zero size. */
  openPositions(): PositionRecord[] {
    return [...this.positionBook.values()].filter((p) => p.qty !== 0);
  }

  /** A position set from outside the books (a test's setPosition): announced as an account change. */
  setPosition(market: MarketSpec, side: PositionSide, qty: number, entryPrice: number): void {
    const now = this.now();
    const previous = this.position(market, side);
    const record: PositionRecord = {
      market,
      side,
      qty,
      entryPrice: qty === 0 ? 0 : entryPrice,
      realisedPnl: previous?.realisedPnl ?? 0,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      protection: qty === 0 ? {} : (previous?.protection ?? {}),
      fees: previous?.fees ?? 0,
    };
    this.positionBook.set(this.positionKey(market, side), record);
    this.announceAccount({ reason: 'adjustment', positions: [record], coins: [{ account: this.accountFor(market.kind), coin: market.settle }] });
  }

  positionPnl(p: PositionRecord): number {
    if (p.qty === 0) return 0;
    const mark = this.price(p.market);
    return p.market.kind === 'inverse' ? p.qty * (1 / p.entryPrice - 1 / mark) : p.qty * (mark - p.entryPrice);
  }

  /** Initial margin for `qty` at `price`: quote coin for linear, base coin for inverse. */
  margin(market: MarketSpec, qty: number, price: number): number {
    const leverage = this.leverage(market);
    return market.kind === 'inverse' ? qty / price / leverage : (qty * price) / leverage;
  }

  // ---- orders -------------------------------------------------------------------------

  findOrder(ref: OrderRef, market?: MarketSpec): OrderRecord | undefined {
    const inMarket = (o: OrderRecord): boolean => market === undefined || o.market === market;
    if (ref.orderId !== undefined) {
      const o = this.book.byId(ref.orderId);
      if (o === undefined || !inMarket(o)) return undefined;
      return ref.clientOrderId === undefined || o.clientOrderId === ref.clientOrderId ? o : undefined;
    }
    if (ref.clientOrderId === undefined) return undefined;
    // newest first: on Binance a client id can be reused once the older order is done
    const sameClientId = this.book.withClientId(ref.clientOrderId);
    for (let i = sameClientId.length - 1; i >= 0; i--) {
      const o = sameClientId[i];
      if (o !== undefined && inMarket(o)) return o;
    }
    return undefined;
  }

  /** Orders placed with this client order id, oldest first. */
  ordersWithClientId(clientOrderId: string): readonly OrderRecord[] {
    return this.book.withClientId(clientOrderId);
  }

  orderById(orderId: string): OrderRecord | undefined {
    return this.book.byId(orderId);
  }

  /** Open orders, oldest first: of one market, or of every market. A copy: callers may cancel as they go. */
  openOrders(market?: MarketSpec): OrderRecord[] {
    return this.book.openOrders(market);
  }

  /** True when a limit order at `price` would trade at once against the current price. */
  wouldTake(market: MarketSpec, side: 'buy' | 'sell', price: number): boolean {
    const current = this.price(market);
    return side === 'buy' ? price >= current : price <= current;
  }

  placeOrder(input: PlaceOrderInput): OrderRecord {
    const { market } = input;
    this.checkClientId(input.clientOrderId);
    this.checkPositionMode(input);
    const reducing = this.isReducingInput(input);
    const current = this.price(market);
    let qty = input.qty;
    if (qty === undefined && input.quoteQty === undefined) {
      if (!reducing || input.type !== 'market') throw new Rejection('qty_invalid', 'Qty invalid');
      qty = this.closable(market, input.side, input.positionSide);
      if (qty === 0) throw new Rejection('reduce_only_rejected', 'reduce-only order has no position to close');
    }
    if (qty === undefined && input.quoteQty !== undefined) {
      // a spot market order sized in quote buys (or sells) what that amount is worth now
      qty = floorToStep(input.quoteQty / current, market.qtyStep);
    }
    if (input.type === 'limit') this.checkPrice(market, input.price);
    if (qty !== undefined) this.checkQty(market, qty);
    const refPrice = input.type === 'limit' && input.price !== undefined ? input.price : current;
    if (input.protection !== undefined && !reducing) {
      const problem = protectionProblem(input.side === 'buy', refPrice, input.protection);
      if (problem !== undefined) throw new Rejection('protection_invalid', problem);
    }
    if (reducing) {
      if (this.closable(market, input.side, input.positionSide) === 0) {
        throw new Rejection('reduce_only_rejected', 'reduce-only order has no position to close');
      }
    } else {
      const value = input.quoteQty ?? (market.kind === 'inverse' ? (qty ?? 0) : (qty ?? 0) * refPrice);
      if (value < Number(market.minNotional)) {
        throw new Rejection('notional_too_small', `order value ${value} is below the minimum ${market.minNotional}`);
      }
      this.checkFunds(input, qty, refPrice);
    }

    const now = this.now();
    const order: OrderRecord = {
      orderId: this.rules.newOrderId(),
      clientOrderId: input.clientOrderId,
      market,
      side: input.side,
      type: input.type,
      qty: qty ?? 0,
      quoteQty: input.quoteQty,
      price: input.type === 'limit' ? input.price : undefined,
      timeInForce: input.timeInForce,
      reduceOnly: input.reduceOnly,
      closeOnTrigger: input.closeOnTrigger,
      positionSide: input.positionSide,
      status: 'open',
      filledQty: 0,
      avgPrice: 0,
      cumQuote: 0,
      createdAt: now,
      updatedAt: now,
      fee: 0,
      feeCoin: '',
    };
    if (input.protection !== undefined && !reducing) order.protection = { ...input.protection };
    if (input.trigger !== undefined) order.trigger = input.trigger;
    this.book.add(order);

    if (input.type === 'market') {
      this.fill(order, current, false);
    } else if (this.wouldTake(market, input.side, refPrice)) {
      // a marketable limit order trades at the current price, unless it may only make
      if (input.timeInForce === 'PostOnly') this.finish(order, 'expired');
      else this.fill(order, current, false);
    } else if (input.timeInForce === 'IOC' || input.timeInForce === 'FOK') {
      this.finish(order, 'expired');
    }
    // an order that ended at once was announced by finish(); one that rests is announced as new
    if (order.status === 'open') {
      this.resting.add(order);
      this.announceHold(order);
      this.announce(order);
    }
    return order;
  }

  cancelOrder(ref: OrderRef, market: MarketSpec): OrderRecord {
    const order = this.findOrder(ref, market);
    if (order === undefined || order.status !== 'open') {
      throw new Rejection('order_not_found', 'Order does not exist.');
    }
    this.finish(order, 'cancelled');
    return order;
  }

  // ---- internals ----------------------------------------------------------------------

  private walletMap(account: Account): Map<string, number> {
    const wallet = this.wallets.get(account);
    if (wallet === undefined) throw new Error(`${this.venue} has no ${account} account`);
    return wallet;
  }

  private positionKey(market: MarketSpec, side: PositionSide): string {
    return `${marketKey(market.id, market.kind)}:${side}`;
  }

  private checkClientId(clientOrderId: string): void {
    if (clientOrderId === '') return;
    const clash = this.book
      .withClientId(clientOrderId)
      .some((o) => this.rules.clientIdScope === 'all' || o.status === 'open');
    if (clash) throw new Rejection('duplicate_client_id', `duplicate client order id ${clientOrderId}`);
  }

  private checkPositionMode(input: PlaceOrderInput): void {
    if (input.market.kind === 'spot') return;
    const hedged = input.positionSide !== 'both';
    if (hedged !== this.hedgeMode) {
      throw new Rejection('position_mode_mismatch', 'position side does not match the position mode');
    }
  }

  private checkQty(market: MarketSpec, qty: number): void {
    if (!(qty > 0) || !isMultipleOf(qty, market.qtyStep)) {
      throw new Rejection('qty_invalid', `quantity ${qty} is not a multiple of ${market.qtyStep}`);
    }
    if (qty < Number(market.minQty) || qty > Number(market.maxQty)) {
      throw new Rejection('qty_invalid', `quantity ${qty} is outside [${market.minQty}, ${market.maxQty}]`);
    }
  }

  private checkPrice(market: MarketSpec, price: number | undefined): void {
    if (price === undefined || !(price > 0) || !isMultipleOf(price, market.tickSize)) {
      throw new Rejection('price_invalid', `price ${String(price)} is not a multiple of ${market.tickSize}`);
    }
  }

  private checkFunds(input: PlaceOrderInput, qty: number | undefined, refPrice: number): void {
    const { market } = input;
    const account = this.accountFor(market.kind);
    let coin: string;
    let needed: number;
    if (market.kind === 'spot') {
      coin = input.side === 'buy' ? market.quote : market.base;
      if (input.side === 'buy') needed = input.quoteQty ?? (qty ?? 0) * refPrice;
      else needed = qty ?? 0;
    } else {
      // only the part that opens or grows a position needs margin
      const opening = Math.max(0, (qty ?? 0) - this.closable(market, input.side, input.positionSide));
      coin = market.settle;
      needed = this.margin(market, opening, refPrice);
    }
    if (roundTo(needed, 10) > roundTo(this.available(account, coin), 10)) {
      throw new Rejection('insufficient_funds', `${coin} available ${this.available(account, coin)}, needed ${needed}`);
    }
  }

  private isReducingInput(input: Pick<PlaceOrderInput, 'market' | 'side' | 'positionSide' | 'reduceOnly' | 'closeOnTrigger'>): boolean {
    if (input.market.kind === 'spot') return false;
    if (input.reduceOnly || input.closeOnTrigger) return true;
    // in hedge mode, selling the long leg (or buying the short leg) can only close it
    return (input.positionSide === 'long' && input.side === 'sell') || (input.positionSide === 'short' && input.side === 'buy');
  }

  private isReducing(order: OrderRecord): boolean {
    return this.isReducingInput(order);
  }

  /** How much an order on this side can close of the current position. */
  private closable(market: MarketSpec, side: 'buy' | 'sell', positionSide: PositionSide): number {
    if (market.kind === 'spot') return 0;
    const position = this.position(market, positionSide);
    const qty = position?.qty ?? 0;
    if (side === 'sell' && qty > 0) return qty;
    if (side === 'buy' && qty < 0) return -qty;
    return 0;
  }

  /** A position whose take-profit or stop-loss the price reached is closed by a market order. */
  private triggerProtections(market: MarketSpec, price: number): void {
    if (market.kind === 'spot') return;
    for (const side of ['both', 'long', 'short'] as const) {
      const p = this.position(market, side);
      if (p === undefined || p.qty === 0) continue;
      const trigger = triggeredBy(p.qty > 0, price, p.protection);
      if (trigger === undefined) continue;
      p.protection = {};
      this.placeOrder({
        market,
        side: p.qty > 0 ? 'sell' : 'buy',
        type: 'market',
        timeInForce: 'IOC',
        reduceOnly: true,
        closeOnTrigger: true,
        positionSide: side,
        clientOrderId: '',
        trigger,
      });
    }
  }

  private fillCrossedLimits(market: MarketSpec, price: number): void {
    for (const o of this.book.openOrders(market)) {
      if (o.status !== 'open' || o.price === undefined) continue;
      const crossed = o.side === 'buy' ? price <= o.price : price >= o.price;
      // a resting order fills at its own price: it was the maker
      if (crossed) this.fill(o, o.price, true);
    }
  }

  /** An order that ends unfilled (cancelled, expired): told, then what a resting one held is told freed. */
  private finish(order: OrderRecord, status: 'cancelled' | 'expired'): void {
    const held = this.resting.has(order);
    this.settle(order, status);
    this.announce(order);
    if (held) this.announceHold(order);
  }

  private settle(order: OrderRecord, status: Exclude<OrderStatus, 'open'>): void {
    order.status = status;
    this.book.closed(order);
    order.updatedAt = this.now();
    this.resting.delete(order);
  }

  private announce(order: OrderRecord): void {
    for (const listener of this.orderListeners) listener(order);
  }

  private announceMarket(market: MarketSpec): void {
    for (const listener of this.marketListeners) listener(market);
  }

  private announceAccount(change: AccountChange): void {
    for (const listener of this.accountListeners) listener(change);
  }

  /** The coin a resting order holds funds in: the goods offered on spot, the margin of an opening contract order. */
  private announceHold(order: OrderRecord): void {
    const { market } = order;
    let coin: string | undefined;
    if (market.kind === 'spot') coin = order.side === 'buy' ? market.quote : market.base;
    else if (!this.isReducing(order)) coin = market.settle;
    if (coin === undefined) return;
    this.announceAccount({ reason: 'order', positions: [], coins: [{ account: this.accountFor(market.kind), coin }] });
  }

  /** Fills, oldest first: of one market, or of every market. */
  trades(market?: MarketSpec): TradeRecord[] {
    return market === undefined ? [...this.tradeLog] : this.tradeLog.filter((t) => t.order.market === market);
  }

  private fill(order: OrderRecord, price: number, maker: boolean): void {
    const { market } = order;
    let qty = order.qty - order.filledQty;
    if (this.isReducing(order)) {
      // reduce-only orders shrink to the position; with nothing left to close they are cancelled
      qty = Math.min(qty, this.closable(market, order.side, order.positionSide));
      if (qty <= 0) {
        this.finish(order, 'cancelled');
        return;
      }
    }
    const account = this.accountFor(market.kind);
    const feeRate = maker ? this.feeRates[market.kind].maker : this.feeRates[market.kind].taker;
    let change: AccountChange;
    let fee: number;
    let feeCoin: string;
    let realisedPnl = 0;
    if (market.kind === 'spot') {
      // the fee comes out of what the order receives
      feeCoin = order.side === 'buy' ? market.base : market.quote;
      fee = roundTo((order.side === 'buy' ? qty : qty * price) * feeRate, 12);
      this.settleSpot(order, qty, price, fee);
      change = { reason: 'fill', positions: [], coins: [{ account, coin: market.base }, { account, coin: market.quote }] };
    } else {
      feeCoin = market.settle;
      fee = roundTo((market.kind === 'inverse' ? qty / price : qty * price) * feeRate, 12);
      const before = this.position(market, order.positionSide)?.realisedPnl ?? 0;
      const position = this.applyToPosition(market, order.positionSide, order.side === 'buy' ? qty : -qty, price);
      realisedPnl = position.realisedPnl - before;
      if (fee > 0) {
        this.setWallet(account, market.settle, roundTo(this.wallet(account, market.settle) - fee, 12));
        position.fees = roundTo(position.fees + fee, 12);
      }
      // an opening order's take-profit and stop-loss become the position's ("Full": the whole of it)
      if (order.protection !== undefined && position.qty !== 0) position.protection = { ...position.protection, ...order.protection };
      change = { reason: 'fill', positions: [position], coins: [{ account, coin: market.settle }] };
    }
    order.fee = roundTo(order.fee + fee, 12);
    order.feeCoin = feeCoin;
    const trade: TradeRecord = { id: String(this.nextTradeId++), order, qty, price, maker, fee, feeRate, feeCoin, realisedPnl, time: this.now() };
    order.trade = trade;
    this.tradeLog.push(trade);
    const filledBefore = order.filledQty;
    order.filledQty = roundTo(filledBefore + qty, 12);
    order.avgPrice = (order.avgPrice * filledBefore + price * qty) / order.filledQty;
    order.cumQuote += market.kind === 'inverse' ? qty / price : qty * price;
    if (order.filledQty < order.qty) order.qty = order.filledQty; // capped reduce-only: done at what it could close
    // the books are settled (the order no longer holds funds) before either change is told, and the
    // account's change is told first, as Binance pushes ACCOUNT_UPDATE before the fill's ORDER_TRADE_UPDATE
    this.settle(order, 'filled');
    const tape = this.tape(market);
    tape.volume = roundTo(tape.volume + qty, 12);
    const value = market.kind === 'inverse' ? qty / price : qty * price;
    tape.turnover += value;
    tape.trades += 1;
    tape.lastQty = qty;
    // the taker bought when a buy took liquidity or a resting sell was taken
    this.print(tape, this.price(market), qty, value, maker ? order.side === 'sell' : order.side === 'buy');
    this.announceAccount(change);
    this.announce(order);
    this.announceMarket(market);
  }

  /** Moves both coins of a spot fill; `fee` comes out of the coin the order receives. */
  private settleSpot(order: OrderRecord, qty: number, price: number, fee: number): void {
    const { market } = order;
    const account = this.accountFor('spot');
    const buy = order.side === 'buy';
    this.setWallet(account, market.base, roundTo(this.wallet(account, market.base) + (buy ? qty - fee : -qty), 12));
    this.setWallet(account, market.quote, roundTo(this.wallet(account, market.quote) + (buy ? -qty * price : qty * price - fee), 12));
  }

  /** Adds a signed fill to a position, realising PnL on the part that closes. */
  private applyToPosition(market: MarketSpec, side: PositionSide, delta: number, price: number): PositionRecord {
    const now = this.now();
    const account = this.accountFor(market.kind);
    const existing = this.position(market, side);
    const p: PositionRecord = existing ?? { market, side, qty: 0, entryPrice: 0, realisedPnl: 0, createdAt: now, updatedAt: now, protection: {}, fees: 0 };
    let remaining = delta;
    if (p.qty !== 0 && Math.sign(p.qty) !== Math.sign(delta)) {
      const closing = Math.min(Math.abs(p.qty), Math.abs(delta)) * Math.sign(p.qty);
      const pnl =
        market.kind === 'inverse' ? closing * (1 / p.entryPrice - 1 / price) : closing * (price - p.entryPrice);
      p.realisedPnl += pnl;
      this.setWallet(account, market.settle, roundTo(this.wallet(account, market.settle) + pnl, 12));
      p.qty = roundTo(p.qty - closing, 12);
      remaining = roundTo(delta + closing, 12);
      if (p.qty === 0) {
        p.entryPrice = 0;
        p.protection = {};
      }
    }
    if (remaining !== 0) {
      const oldSize = Math.abs(p.qty);
      const addSize = Math.abs(remaining);
      if (oldSize === 0) p.entryPrice = price;
      else if (market.kind === 'inverse') p.entryPrice = (oldSize + addSize) / (oldSize / p.entryPrice + addSize / price);
      else p.entryPrice = (oldSize * p.entryPrice + addSize * price) / (oldSize + addSize);
      p.qty = roundTo(p.qty + remaining, 12);
    }
    p.updatedAt = now;
    this.positionBook.set(this.positionKey(market, side), p);
    return p;
  }
}

// ---- views for the test API -------------------------------------------------------------

export function toFakeOrder(o: OrderRecord): FakeOrder {
  const view: FakeOrder = {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.market.id,
    marketKind: o.market.kind,
    side: o.side,
    type: o.type,
    qty: o.qty,
    reduceOnly: o.reduceOnly,
    closeOnTrigger: o.closeOnTrigger,
    positionSide: o.positionSide,
    timeInForce: o.timeInForce,
    status: o.status,
    filledQty: o.filledQty,
    avgPrice: o.avgPrice,
    fee: o.fee,
    feeCoin: o.feeCoin,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
  if (o.quoteQty !== undefined) view.quoteQty = o.quoteQty;
  if (o.price !== undefined) view.price = o.price;
  return view;
}

export function toFakePosition(state: VenueState, p: PositionRecord): FakePosition {
  const kind = p.market.kind === 'inverse' ? 'inverse' : 'linear';
  return { symbol: p.market.id, marketKind: kind, positionSide: p.side, qty: p.qty, entryPrice: p.entryPrice, leverage: state.leverage(p.market) };
}
