import type { Ticker } from 'ccxt';
import { inBackground } from '../scheduling/request-priority.js';
import type { OwnedExchange } from './owned-exchange.js';

/** How old a price from the instance's snapshot of every ticker may be for a minimum-value check. */
const SNAPSHOT_FRESH_MS = 5 * 60_000;
/** A symbol's ticker stream ends after this long without a reader: nothing is watched for nobody. */
const WATCH_IDLE_MS = 10 * 60_000;
/**
 * How long after an order asked its symbol's stream is started, when a fresh snapshot already gave
 * the order its price. Starting a stream is work on this thread (on Binance, ccxt opens a websocket
 * per new subscription up to its stream limit): done at once it would sit between the order and its
 * create, and in a burst over many symbols between every order and its create.
 */
export const DEFERRED_WATCH_MS = 1_000;

interface Known {
  price: number;
  /** performance.now() of the read or push. */
  at: number;
  /** From the symbol's own ticker stream, which is live: current as long as it is. */
  streamed: boolean;
}

function lastOf(ticker: Ticker | undefined): number | null {
  const price = ticker?.last ?? ticker?.close;
  return typeof price === 'number' && Number.isFinite(price) && price > 0 ? price : null;
}

/**
 * Last prices for one instance's markets, without a round trip on an order's path where it can be
 * helped: one snapshot of every ticker when the account is readied (Binance's last prices weigh 2,
 * Bybit's linear tickers are one public request), and the ticker stream of each symbol an order asked
 * about, kept while orders keep asking. A price the stream or a fresh snapshot does not have is read
 * once by REST.
 */
export class CcxtPrices {
  readonly #known = new Map<string, Known>();
  readonly #watching = new Map<string, { lastAskedAt: number }>();
  readonly #deferred = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly exchange: Pick<OwnedExchange, 'has' | 'fetchLastPrices' | 'fetchTickers' | 'fetchTicker' | 'watchTicker' | 'tickers'>,
    private readonly deferredWatchMs = DEFERRED_WATCH_MS,
  ) {}

  /** Every market's last price in one request, as background work (refreshes the snapshot). */
  async snapshot(): Promise<void> {
    const prices = await inBackground(async () => {
      if (this.exchange.has['fetchLastPrices'] === true) {
        const last = await this.exchange.fetchLastPrices();
        return Object.values(last).map((entry) => [entry.symbol, entry.price] as const);
      }
      const tickers = await this.exchange.fetchTickers();
      return Object.values(tickers).map((ticker) => [ticker.symbol, lastOf(ticker)] as const);
    });
    const at = performance.now();
    for (const [symbol, price] of prices) {
      if (typeof symbol !== 'string' || typeof price !== 'number' || !(price > 0)) continue;
      if (this.#known.get(symbol)?.streamed) continue;
      this.#known.set(symbol, { price, at, streamed: false });
    }
  }

  /**
   * A price good enough for a minimum-value check (a minimum is far from any one trade's move): the
   * symbol's live stream, else a snapshot at most SNAPSHOT_FRESH_MS old, else one REST read.
   */
  async forMinimum(symbol: string): Promise<number | null> {
    const known = this.#known.get(symbol);
    if (known && (known.streamed || performance.now() - known.at < SNAPSHOT_FRESH_MS)) {
      this.#watchSoon(symbol);
      return known.price;
    }
    return this.current(symbol);
  }

  /** The price now: the symbol's live stream, else one REST read (then the stream, for the next order). */
  async current(symbol: string): Promise<number | null> {
    this.#watch(symbol);
    const known = this.#known.get(symbol);
    if (known?.streamed) return known.price;
    const price = lastOf(await this.exchange.fetchTicker(symbol));
    if (price !== null && !this.#known.get(symbol)?.streamed) this.#known.set(symbol, { price, at: performance.now(), streamed: false });
    return price;
  }

  /** The instance is closing: no stream starts from now on, deferred ones included. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#deferred.values()) clearTimeout(timer);
    this.#deferred.clear();
  }

  /** #watch once the order that asked is under way (DEFERRED_WATCH_MS); at once if it already runs. */
  #watchSoon(symbol: string): void {
    if (this.#closed || this.#askedWhileWatching(symbol) || this.#deferred.has(symbol)) return;
    const timer = setTimeout(() => {
      this.#deferred.delete(symbol);
      this.#watch(symbol);
    }, this.deferredWatchMs);
    timer.unref();
    this.#deferred.set(symbol, timer);
  }

  /** Keeps a running stream alive for another WATCH_IDLE_MS; false when none runs. */
  #askedWhileWatching(symbol: string): boolean {
    const watching = this.#watching.get(symbol);
    if (watching) watching.lastAskedAt = performance.now();
    return watching !== undefined;
  }

  /** Starts the symbol's ticker stream if it is not running; it ends on a failure or after WATCH_IDLE_MS unasked. */
  #watch(symbol: string): void {
    const deferred = this.#deferred.get(symbol);
    if (deferred) {
      clearTimeout(deferred);
      this.#deferred.delete(symbol);
    }
    if (this.#closed || this.#askedWhileWatching(symbol)) return;
    const state = { lastAskedAt: performance.now() };
    this.#watching.set(symbol, state);
    void (async () => {
      try {
        while (performance.now() - state.lastAskedAt < WATCH_IDLE_MS) {
          await this.exchange.watchTicker(symbol);
          // ccxt keeps the newest in its table: of several pushes read at once, the call got the first
          const price = lastOf(this.exchange.tickers?.[symbol]);
          if (price !== null) this.#known.set(symbol, { price, at: performance.now(), streamed: true });
        }
      } catch {
        // closed, refused or dropped: prices come from snapshots and reads until an order asks again
      } finally {
        this.#watching.delete(symbol);
        const known = this.#known.get(symbol);
        if (known?.streamed) this.#known.set(symbol, { ...known, streamed: false });
      }
    })();
  }
}
