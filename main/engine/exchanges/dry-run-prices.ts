import type { Ticker } from 'ccxt';
import type { Logger } from '../log.js';
import type { MarketType } from '../store/strategies.js';
import type { DryRunMarkets, PublicExchanges } from './dry-run-markets.js';

/** A REST price this recent stands for "the price now" (an order's decision, then its fill, read it once). */
const REST_FRESH_MS = 1_000;
/** After a failed read, orders go on without a live price for this long before it is asked for again. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** A ticker stream that failed is opened again after this, doubling up to RETRY_STREAM_MAX_MS. */
const RETRY_STREAM_FIRST_MS = 2_000;
const RETRY_STREAM_MAX_MS = 60_000;

/** Where a price is of: an exchange's market of a type, by the simulator's name and by ccxt's unified symbol. */
export interface PricedMarket {
  exchange: string;
  marketType: MarketType;
  /** The simulator's name (BTCUSDT). */
  symbol: string;
  /** ccxt's unified symbol (BTC/USDT:USDT). */
  marketSymbol: string;
}

interface Known {
  price: number;
  /** performance.now() of the read or push. */
  at: number;
  streamed: boolean;
}

export type PriceListener = (market: PricedMarket, price: number) => void;

function lastOf(ticker: Ticker | undefined): number | null {
  const price = ticker?.last ?? ticker?.close;
  return typeof price === 'number' && Number.isFinite(price) && price > 0 ? price : null;
}

function instanceKeyOf(market: Pick<PricedMarket, 'exchange' | 'marketType'>): string {
  return `${market.exchange}|${market.marketType}`;
}

function keyOf(market: Pick<PricedMarket, 'exchange' | 'marketType' | 'symbol'>): string {
  return `${instanceKeyOf(market)}|${market.symbol}`;
}

/**
 * The simulator's prices, from the exchange's public data through the public instance: a ticker
 * stream for each market where a simulated order rests (so a Limit fills, a stop triggers, as the
 * price moves, with nobody polling), and one REST read at each order otherwise. Every price learnt,
 * read or pushed, goes to the listeners (which fill what it crossed). Nothing is watched for nobody:
 * a market's stream ends once nothing rests there.
 */
export class DryRunPrices {
  readonly #known = new Map<string, Known>();
  readonly #watching = new Map<string, { wanted: () => boolean }>();
  readonly #failedAt = new Map<string, number>();
  readonly #listeners = new Set<PriceListener>();
  readonly #sleeping = new Set<() => void>();
  /** An exchange's public websockets being closed (none of its markets watched): a new watch waits for it. */
  readonly #closing = new Map<string, Promise<void>>();
  #stopped = false;

  constructor(
    private readonly markets: DryRunMarkets,
    private readonly exchanges: PublicExchanges,
    private readonly log: Logger,
  ) {}

  onPrice(listener: PriceListener): void {
    this.#listeners.add(listener);
  }

  /** The last price learnt for a market (for marks), however old; null when none was. */
  latest(market: Pick<PricedMarket, 'exchange' | 'marketType' | 'symbol'>): number | null {
    return this.#known.get(keyOf(market))?.price ?? null;
  }

  /** Whether a market's ticker stream is delivering. */
  streaming(market: Pick<PricedMarket, 'exchange' | 'marketType' | 'symbol'>): boolean {
    return this.#known.get(keyOf(market))?.streamed === true;
  }

  /** The price now: the market's live stream, else a REST read (one a second at most); null where none can be had. */
  async current(market: PricedMarket): Promise<number | null> {
    const key = keyOf(market);
    const known = this.#known.get(key);
    if (known && (known.streamed || performance.now() - known.at < REST_FRESH_MS)) return known.price;
    const failedAt = this.#failedAt.get(key);
    if (failedAt !== undefined && Date.now() - failedAt < RETRY_AFTER_FAILURE_MS) return null;
    const instance = await this.markets.instance(market.exchange, market.marketType);
    if (!instance) return null;
    let price: number | null;
    try {
      price = lastOf(await instance.fetchTicker(market.marketSymbol));
    } catch (error) {
      this.#failedAt.set(key, Date.now());
      this.log.warn('dry run: the price could not be read; orders fill at their own price meanwhile', { exchange: market.exchange, symbol: market.marketSymbol, error: (error as Error)?.name ?? 'Error' });
      return null;
    }
    this.#failedAt.delete(key);
    if (price !== null) this.#learnt(market, price, false);
    return price;
  }

  /** Watches a market's ticker while `wanted()` says so (checked after each push and each failure). Idempotent. */
  watch(market: PricedMarket, wanted: () => boolean): void {
    const key = keyOf(market);
    const watching = this.#watching.get(key);
    if (watching) {
      watching.wanted = wanted;
      return;
    }
    const state = { wanted };
    this.#watching.set(key, state);
    void this.#watchLoop(market, state).finally(() => {
      if (this.#watching.get(key) === state) this.#watching.delete(key);
      const known = this.#known.get(key);
      if (known?.streamed) this.#known.set(key, { ...known, streamed: false });
      void this.#closeIdle(market);
    });
  }

  async #watchLoop(market: PricedMarket, state: { wanted: () => boolean }): Promise<void> {
    let retryMs = RETRY_STREAM_FIRST_MS;
    while (!this.#stopped && state.wanted()) {
      await this.#closing.get(instanceKeyOf(market));
      const instance = await this.markets.instance(market.exchange, market.marketType);
      try {
        if (!instance) throw new Error('no markets');
        await instance.watchTicker(market.marketSymbol);
        // ccxt keeps the newest in its table: of several pushes read at once, the call got the first
        const price = lastOf(instance.tickers?.[market.marketSymbol]);
        if (price !== null && !this.#stopped) this.#learnt(market, price, true);
        retryMs = RETRY_STREAM_FIRST_MS;
      } catch {
        const known = this.#known.get(keyOf(market));
        if (known?.streamed) this.#known.set(keyOf(market), { ...known, streamed: false });
        // offline, refused or dropped: resting orders wait, and the stream is tried again
        await this.#sleep(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_STREAM_MAX_MS);
      }
    }
  }

  #learnt(market: PricedMarket, price: number, streamed: boolean): void {
    this.#known.set(keyOf(market), { price, at: performance.now(), streamed });
    for (const listener of this.#listeners) {
      try {
        listener(market, price);
      } catch (error) {
        this.log.error('dry run: a price could not be applied to the resting orders', { exchange: market.exchange, symbol: market.symbol, error: (error as Error)?.name ?? 'Error' });
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.#sleeping.add(wake);
    });
  }

  /** An exchange's public websockets close once none of its markets is watched. */
  async #closeIdle(market: PricedMarket): Promise<void> {
    const instanceKey = instanceKeyOf(market);
    const idle = () => ![...this.#watching.keys()].some((key) => key.startsWith(`${instanceKey}|`));
    if (!idle() || this.#closing.has(instanceKey)) return;
    const closing = (async () => {
      const instance = await this.markets.instance(market.exchange, market.marketType);
      // a watch that began meanwhile keeps the sockets; a later one may open them again
      if (!instance || !idle()) return;
      await instance.close();
      instance.reopenSockets();
    })().catch(() => undefined);
    this.#closing.set(instanceKey, closing);
    await closing;
    this.#closing.delete(instanceKey);
  }

  /** Ends every stream; resolves once their sockets are closed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of [...this.#sleeping]) wake();
    await this.exchanges.closePublicStreams();
  }
}
