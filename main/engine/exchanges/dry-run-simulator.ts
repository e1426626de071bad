import { formatAmount } from '../../../shared/decimal.js';
import { ApiError } from '../http/api-error.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/database.js';
import { DryRunBalances } from '../store/dry-run-balances.js';
import { DryRunLedger, type LedgerFill } from '../store/dry-run-ledger.js';
import { DryRunOrders, type SimulatedAccountKey, type SimulatedOrder, type SimulatedOrderKind } from '../store/dry-run-orders.js';
import { type DryRunFill, DryRunPositions, type SimulatedPosition } from '../store/dry-run-positions.js';
import type { MarketType } from '../store/strategies.js';
import { applyFill, requiredFor } from './dry-run-accounting.js';
import { SimulatedAccounts, type StartingHint } from './dry-run-accounts.js';
import { DryRunMarkets, type DryRunMarket, guessedMarket, type PublicExchanges } from './dry-run-markets.js';
import { fillAt, limitCrossed, triggerReached } from './dry-run-matching.js';
import { DryRunPrices, type PricedMarket } from './dry-run-prices.js';
import type { AccountBalance, LegOutcome, LegToSend, MarketRef, Position } from './venue.js';

/** A simulated account as an order sees it: a dry-run strategy on one exchange, trading one market type. */
export interface SimulatedAccount extends SimulatedAccountKey {
  marketType: MarketType;
}

/** Resting offline (placed without the market list): asked again this often whether the market can be watched now. */
const UNWATCHED_RETRY_MS = 60_000;

export interface SimulatorOptions {
  db: Database;
  exchanges: PublicExchanges;
  /** A strategy's dryRunBalance now; null: it is gone (its orders are looked up, never sized). */
  startingBalanceOf: (strategy: string) => number | null;
  log: Logger;
}

/** What the simulator answers about one of its orders, in the venue contract's terms, with the fee its fill paid. */
function outcomeOf(order: SimulatedOrder, fill: Pick<DryRunFill, 'fee' | 'feeCurrency'> | null): LegOutcome {
  const fee = fill?.fee != null && fill.feeCurrency !== null ? { cost: fill.fee, currency: fill.feeCurrency } : null;
  return { exchangeOrderId: `dry-${order.clientOrderId}`, status: order.status, filled: order.filled, averagePrice: order.averagePrice, updatedAt: Date.parse(order.updatedAt), fee };
}

/**
 * The dry-run simulator: one simulated account per strategy and exchange that behaves like the
 * exchange's (README "Dry run"). Its markets are the exchange's (symbols, steps, ticks, minimums and
 * fee rates, from the disk cache or the public API), its prices the exchange's public ticker. Market
 * orders fill at the price now; Limits rest until the price crosses them; stop-loss and take-profit
 * orders wait for their trigger; every fill pays the market's fee and realises PnL on what it
 * reduced. Margin, equity and free balance follow, so sizing from the account works as live. All of
 * it is in SQLite, each fill in one transaction by its client order id (store/dry-run-ledger.ts).
 * Offline without a markets cache it takes symbols as written, with no minimums and no fees, and
 * fills Market orders at the request's price; Limits rest until a price can be had.
 */
export class DryRunSimulator {
  readonly positions: DryRunPositions;
  readonly orders: DryRunOrders;
  readonly balances: DryRunBalances;
  readonly markets: DryRunMarkets;
  readonly prices: DryRunPrices;
  /** The accounts' figures, and the views a Positions page reads (positionViews, accountViews). */
  readonly accounts: SimulatedAccounts;
  readonly #ledger: DryRunLedger;
  readonly #retries = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(private readonly options: SimulatorOptions) {
    this.positions = new DryRunPositions(options.db);
    this.orders = new DryRunOrders(options.db);
    this.balances = new DryRunBalances(options.db);
    this.#ledger = new DryRunLedger(options.db);
    this.markets = new DryRunMarkets(options.exchanges, options.log);
    this.prices = new DryRunPrices(this.markets, options.exchanges, options.log);
    this.accounts = new SimulatedAccounts({ positions: this.positions, orders: this.orders, balances: this.balances }, this.prices, options.startingBalanceOf);
    this.prices.onPrice((market, price) => this.#priced(market, price));
  }

  /** After a restart: the markets with resting orders are watched again. */
  start(): void {
    for (const market of this.orders.openMarkets()) this.#watch(market.exchange, market.marketType, market.symbol, market.marketSymbol);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    await this.prices.stop();
  }

  /** A market already traded (a recovered order's, a protective leg's): as known now, else as its name says. */
  async existingMarket(account: SimulatedAccount, market: MarketRef): Promise<DryRunMarket> {
    try {
      return await this.markets.resolve(account.exchange, market.type, market.symbol);
    } catch {
      return guessedMarket(market.symbol, market.type);
    }
  }

  /** The market's price now (its ticker stream, else one REST read); null where none can be had. */
  async price(account: SimulatedAccount, market: DryRunMarket): Promise<number | null> {
    return market.marketSymbol === null ? null : this.prices.current(this.#pricedMarket(account.exchange, market));
  }

  #pricedMarket(exchange: string, market: DryRunMarket): PricedMarket {
    return { exchange, marketType: market.ref.type, symbol: market.ref.symbol, marketSymbol: market.marketSymbol as string };
  }

  /** On a contract the simulated position; on spot the free balance of the market's coin, as on the exchange. */
  position(account: SimulatedAccount, market: DryRunMarket): Position {
    if (market.ref.type === 'spot') return { qty: this.accounts.figures(account, market.terms.base, null).free, mode: 'one-way' };
    return { qty: this.positions.get(account.strategy, account.exchange, market.ref.symbol, market.ref.type)?.qty ?? 0, mode: 'one-way' };
  }

  /** ccxt's unified total (equity) and free of one currency. `hint`: the order's market and price, which fix an inverse coin's starting amount. */
  balance(account: SimulatedAccount, currency: string, hint: StartingHint | null): AccountBalance {
    const figures = this.accounts.figures(account, currency, hint);
    return { currency, total: figures.total, free: figures.free };
  }

  setLeverage(account: SimulatedAccount, market: MarketRef, leverage: number): void {
    this.#ledger.setLeverage({ strategy: account.strategy, exchange: account.exchange, marketType: market.type, symbol: market.symbol }, leverage);
  }

  /**
   * Takes one leg as the exchange would: a Market order fills at the price now (offline: the
   * request's); a Limit fills at once where the price already crosses it, else rests; a stop-loss or
   * take-profit rests until its trigger (refused where the price has already reached it). An order
   * the account cannot pay for is refused (422 insufficient_funds), a reduce-only one with nothing to
   * reduce too; neither leaves a trace.
   */
  async submit(account: SimulatedAccount, market: DryRunMarket, leg: LegToSend, requestPrice: number | null): Promise<LegOutcome> {
    const protective = leg.role === 'stop_loss' || leg.role === 'take_profit';
    const kind: SimulatedOrderKind = leg.role === 'stop_loss' || leg.role === 'take_profit' ? leg.role : leg.type;
    const live = await this.price(account, market);
    const position = this.positions.get(account.strategy, account.exchange, market.ref.symbol, market.ref.type);
    const order: Omit<SimulatedOrder, 'createdAt' | 'updatedAt'> = {
      clientOrderId: leg.clientOrderId,
      strategy: account.strategy,
      exchange: account.exchange,
      marketType: market.ref.type,
      symbol: market.ref.symbol,
      marketSymbol: market.marketSymbol,
      side: leg.side,
      kind,
      amount: leg.amount,
      price: kind === 'limit' ? leg.price : null,
      triggerPrice: protective ? (leg.triggerPrice ?? null) : null,
      reduceOnly: leg.reduceOnly || protective,
      leverage: position?.leverage ?? 1,
      terms: market.terms,
      status: 'open',
      filled: 0,
      averagePrice: null,
    };
    if (order.reduceOnly && market.ref.type !== 'spot' && this.#reducible(order, position?.qty ?? 0) === 0 && !protective) {
      throw new ApiError(422, 'invalid_order', `${account.exchange} (dry run) refused the order: it is reduce-only and there is no ${order.side === 'buy' ? 'short' : 'long'} position on ${market.ref.symbol} to reduce`);
    }
    if (protective) {
      const trigger = order.triggerPrice;
      if (trigger === null) throw new ApiError(400, 'invalid_field', `a ${kind} order needs a trigger price`);
      if (live !== null && triggerReached(kind as 'stop_loss' | 'take_profit', order.side, trigger, live)) {
        throw new ApiError(422, 'invalid_order', `${account.exchange} (dry run) refused the ${kind === 'stop_loss' ? 'stop-loss' : 'take-profit'} at ${formatAmount(trigger)}: the price ${formatAmount(live)} has already reached it, so it would trigger at once`);
      }
      return this.#rest(account, market, order);
    }
    if (kind === 'limit' && order.price !== null && (live === null || !limitCrossed(order.side, order.price, live))) {
      this.#refuseUnaffordable(account, market, order, order.price, position?.qty ?? 0);
      return this.#rest(account, market, order);
    }
    const price = live ?? requestPrice;
    if (price === null) throw new ApiError(502, 'exchange_unavailable', `${account.exchange} (dry run): no price can be had for ${market.ref.symbol} to fill a Market order at; send a price`);
    this.#refuseUnaffordable(account, market, order, price, position?.qty ?? 0);
    return this.#outcome(this.#ledger.fill(order, (found) => this.#fillOf(order, found, price, 'taker')));
  }

  /** What a reduce-only order can still reduce of `held`. */
  #reducible(order: Pick<SimulatedOrder, 'side' | 'amount'>, held: number): number {
    const opposite = held !== 0 && held > 0 === (order.side === 'sell');
    return opposite ? Math.min(order.amount, Math.abs(held)) : 0;
  }

  /**
   * Refuses an order the account cannot pay for, where the market is known: on a market guessed from
   * its name (offline, no markets cache) its cost would be guessed too (Bybit's BTCUSD is an inverse
   * contract of 1 USD, not 1 BTC), and nothing is refused on a guess, as no minimum is.
   */
  #refuseUnaffordable(account: SimulatedAccount, market: DryRunMarket, order: Omit<SimulatedOrder, 'createdAt' | 'updatedAt'>, price: number, held: number): void {
    if (market.marketSymbol === null) return;
    const needed = requiredFor(held, { side: order.side, amount: order.amount, price, reduceOnly: order.reduceOnly }, market.terms, order.leverage);
    if (needed.amount <= 0) return;
    const { free } = this.accounts.figures(account, needed.currency, { market, price });
    if (needed.amount > free + 1e-9 * Math.max(1, free)) {
      const why = market.terms.contract === null ? (order.side === 'buy' ? 'to pay for it' : 'to sell') : `(margin at ${formatAmount(order.leverage)}x and the taker fee)`;
      throw new ApiError(
        422,
        'insufficient_funds',
        `${account.exchange} (dry run) refused the order: not enough balance or margin (the simulated account has ${formatAmount(free)} ${needed.currency} free; this order needs ${formatAmount(needed.amount)} ${needed.currency} ${why})`,
      );
    }
  }

  /** The fill of `order` at `price` on the position it meets; null: a reduce-only order with nothing left to reduce. */
  #fillOf(order: Pick<SimulatedOrder, 'side' | 'amount' | 'reduceOnly' | 'terms'>, position: SimulatedPosition | null, price: number, liquidity: 'maker' | 'taker'): LedgerFill | null {
    const held = position?.qty ?? 0;
    const amount = order.reduceOnly && order.terms.contract !== null ? this.#reducible(order, held) : order.amount;
    if (!(amount > 0)) return null;
    const effect = applyFill({ qty: held, entryPrice: position?.entryPrice ?? null }, { side: order.side, amount, price, liquidity }, order.terms);
    return { amount, price, liquidity, ...effect };
  }

  #rest(account: SimulatedAccount, market: DryRunMarket, order: Omit<SimulatedOrder, 'createdAt' | 'updatedAt'>): LegOutcome {
    const rested = this.#ledger.rest(order);
    this.#watch(account.exchange, market.ref.type, market.ref.symbol, market.marketSymbol);
    return this.#outcome(rested);
  }

  /** Watches a market's ticker while something rests on it; one placed without the market list is asked about again later. */
  #watch(exchange: string, marketType: MarketType, symbol: string, marketSymbol: string | null): void {
    if (this.#stopped) return;
    const resting = () => this.orders.openOn(exchange, marketType, symbol).length > 0;
    if (marketSymbol !== null) {
      this.prices.watch({ exchange, marketType, symbol, marketSymbol }, resting);
      return;
    }
    void this.markets.resolve(exchange, marketType, symbol).then(
      (known) => {
        if (known.marketSymbol !== null) this.#watch(exchange, marketType, symbol, known.marketSymbol);
        else if (resting() && !this.#stopped) {
          const timer = setTimeout(() => {
            this.#retries.delete(timer);
            this.#watch(exchange, marketType, symbol, null);
          }, UNWATCHED_RETRY_MS);
          timer.unref();
          this.#retries.add(timer);
        }
      },
      () => undefined,
    );
  }

  /** A price learnt (pushed or read): every order resting on that market that it reaches fills now. */
  #priced(market: PricedMarket, price: number): void {
    if (this.#stopped) return;
    for (const order of this.orders.openOn(market.exchange, market.marketType, market.symbol)) {
      const fill = fillAt(order, price);
      if (!fill) continue;
      const done = this.#ledger.fill(order, (found) => this.#fillOf(order, found, fill.price, fill.liquidity));
      this.options.log.info('dry run: a resting order reached by the price', { exchange: market.exchange, symbol: market.symbol, kind: order.kind, status: done.status });
    }
  }

  /** A leg by its client order id; null: the simulator never took it. */
  legOf(clientOrderId: string): LegOutcome | null {
    const order = this.orders.get(clientOrderId);
    if (order) return this.#outcome(order);
    // filled before the simulator kept its orders: its fill is the record
    const fill = this.positions.fillOf(clientOrderId);
    return fill && { exchangeOrderId: `dry-${clientOrderId}`, status: 'filled', filled: Math.abs(fill.signedAmount), averagePrice: fill.price, fee: fill.fee !== null && fill.feeCurrency !== null ? { cost: fill.fee, currency: fill.feeCurrency } : null };
  }

  #outcome(order: SimulatedOrder): LegOutcome {
    return outcomeOf(order, order.filled > 0 ? this.positions.fillOf(order.clientOrderId) : null);
  }

  /** Cancels a resting order; one that already filled (or was cancelled) is answered as it is. */
  cancel(clientOrderId: string): LegOutcome {
    const order = this.#ledger.cancel(clientOrderId);
    if (order) return this.#outcome(order);
    const known = this.legOf(clientOrderId);
    if (known) return known;
    throw new ApiError(404, 'not_found', `the dry-run simulator has no order ${clientOrderId}`);
  }
}
