import type { DryRunMarket } from './dry-run-markets.js';
import { guessedMarket } from './dry-run-markets.js';
import type { DryRunSimulator, SimulatedAccount } from './dry-run-simulator.js';
import type { AccountBalance, LegOutcome, LegToSend, MarketFacts, MarketRef, Position, ProtectionStyle, TradableMarket, Venue } from './venue.js';

export { simulatorSymbol } from './dry-run-markets.js';

/**
 * One dry-run order's (or look-up's) view of the simulator (dry-run-simulator.ts): the strategy's
 * simulated account on one exchange. It needs no keys, so TradingView alerts can be rehearsed safely;
 * it asks the exchange only for public data (markets, prices), and works without them offline.
 */
export class DryRunVenue implements Venue {
  readonly dryRun = true;
  /** The markets this venue settled or looked up, by the simulator's name: facts and rounding are synchronous. */
  readonly #markets = new Map<string, DryRunMarket>();
  #lastMarket: DryRunMarket | null = null;

  constructor(
    private readonly simulator: DryRunSimulator,
    private readonly account: SimulatedAccount,
    /** The request's price: what a Market order fills at, and sizes by, when no live price can be had; null for look-ups. */
    private readonly requestPrice: number | null,
  ) {}

  queueKey(market: MarketRef): string {
    return `dry-run|${this.account.strategy}|${this.account.exchange}|${market.symbol}`;
  }

  /** As live where the exchange's markets are known (400 unknown_symbol with close matches); else the symbol as written. */
  async resolveMarket(symbol: string): Promise<MarketRef> {
    return this.#keep(await this.simulator.markets.resolve(this.account.exchange, this.account.marketType, symbol)).ref;
  }

  #keep(market: DryRunMarket): DryRunMarket {
    this.#markets.set(market.ref.symbol, market);
    this.#lastMarket = market;
    return market;
  }

  /** The market as settled here, else as its name says (a venue that never settled it: nothing is rounded by it). */
  #known(market: MarketRef): DryRunMarket {
    return this.#markets.get(market.symbol) ?? guessedMarket(market.symbol, market.type);
  }

  async #loaded(market: MarketRef): Promise<DryRunMarket> {
    return this.#markets.get(market.symbol) ?? this.#keep(await this.simulator.existingMarket(this.account, market));
  }

  async position(market: MarketRef): Promise<Position> {
    return this.simulator.position(this.account, await this.#loaded(market));
  }

  normalize(market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>, valuePrice: number | null = leg.price): Omit<LegToSend, 'clientOrderId'> {
    return this.#known(market).normalize(leg, valuePrice);
  }

  minimumValue(market: MarketRef): number | null {
    return this.#known(market).minimumValue;
  }

  async lastPrice(market: MarketRef): Promise<number | null> {
    return this.currentPrice(market);
  }

  /** The exchange's price now (ticker stream or one read); offline the request's own. */
  async currentPrice(market: MarketRef): Promise<number | null> {
    return (await this.simulator.price(this.account, await this.#loaded(market))) ?? this.requestPrice;
  }

  facts(market: MarketRef): MarketFacts {
    return this.#known(market).facts;
  }

  async balance(currency: string): Promise<AccountBalance> {
    const market = this.#lastMarket;
    const price = market && (await this.currentPrice(market.ref));
    return this.simulator.balance(this.account, currency, market && { market, price });
  }

  async maxLeverage(market: MarketRef): Promise<number | null> {
    return (await this.#loaded(market)).maxLeverage;
  }

  /** Kept per market: the margin of its position and orders counts at it. */
  async setLeverage(market: MarketRef, leverage: number): Promise<void> {
    this.simulator.setLeverage(this.account, market, leverage);
  }

  /** The simulator's margin is cross whatever the mode (as the fake exchanges'): nothing to set, nothing to refuse. */
  async ensureMarginMode(): Promise<void> {}

  /**
   * Protective orders are conditional legs of the entry's order here, on every exchange: the journal
   * then shows the stop or target that closed the position as a fill of its own, and the order
   * pipeline places, follows, cancels and recovers them as it does Binance's.
   */
  protectionStyle(market: MarketRef): ProtectionStyle {
    return market.type === 'spot' ? 'none' : 'conditional';
  }

  async submit(market: MarketRef, leg: LegToSend, ready: Promise<void>): Promise<LegOutcome> {
    const loaded = await this.#loaded(market);
    await ready;
    return this.simulator.submit(this.account, loaded, leg, this.requestPrice);
  }

  async fetchLeg(_market: MarketRef, _exchangeOrderId: string | null, clientOrderId: string): Promise<LegOutcome | null> {
    return this.simulator.legOf(clientOrderId);
  }

  async cancel(_market: MarketRef, exchangeOrderId: string): Promise<LegOutcome> {
    return this.simulator.cancel(exchangeOrderId.replace(/^dry-/, ''));
  }

  /** The manual form reads a dry-run strategy's markets from the exchange's public list (http/ui-markets-api.ts). */
  async markets(): Promise<TradableMarket[] | null> {
    return null;
  }
}
