import { join } from 'node:path';
import type { Exchange, MarketInterface, OHLCV } from 'ccxt';
import { type AccountRef, accountKey } from '../../../../shared/account-names.js';
import { type Candle, type CandlesAnswer, type CandleTimeframe, TIMEFRAME_SECONDS } from '../../../../shared/candles-api.js';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import type { Logger } from '../../log.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeAccounts } from '../accounts.js';
import { ExchangeHealth } from '../exchange-health.js';
import type { TradableMarket } from '../venue.js';
import type { PublicExchanges } from '../dry-run-markets.js';
import type { LiveVenues } from '../venues.js';
import { inBackground } from '../scheduling/request-priority.js';
import { RequestSchedulers } from '../scheduling/request-schedulers.js';
import type { AccountStream } from '../venue.js';
import { CcxtAccountStream } from './ccxt-account-stream.js';
import { CandleCache, DeadlinePassed, windowOf } from './candle-cache.js';
import { type AccountSpec, ccxtClassOf, createCcxtExchange } from './ccxt-exchange.js';
import { apiErrorFromCcxt } from './ccxt-errors.js';
import type { OwnedExchange } from './owned-exchange.js';
import { CcxtVenue } from './ccxt-venue.js';
import { MarketsCache } from './markets-cache.js';
import { tradableMarkets } from './tradable-markets.js';
import { resolveSymbol } from './symbols.js';

export interface CcxtOptions {
  dataDir: string;
  log: Logger;
  /** Where each account's connectivity is noted, for the status bar (the CLI needs none). */
  health?: ExchangeHealth;
  /** Read when an instance is built; the user's setting. */
  timeoutMs?: () => number;
  /**
   * Off only against a local fake exchange (APISIFY_EXCHANGE_RATE_LIMIT=off): requests then go out
   * without waiting for the exchange's published limits.
   */
  rateLimit?: boolean;
  /**
   * Off (APISIFY_PUBLIC_EXCHANGE_DATA=off, the test suite's setting): an exchange without an account
   * base URL is never asked for public data; its markets come from the disk cache alone, and its
   * prices and streams go nowhere but a closed local port, so nothing leaves the machine.
   */
  publicData?: boolean;
  /** A stream of an account that changed or went: whoever keeps it connected lets it go. */
  onStreamRetired?: (stream: AccountStream) => void;
}

/** Where public requests go while public data is off: a port nothing listens on, on this machine. */
const NOWHERE = 'http://127.0.0.1:9';

interface Warm {
  ref: AccountRef;
  version: string;
  venue: Promise<CcxtVenue>;
  /** Once built: retired at once (a change must stop it before anyone's next request). */
  built?: CcxtVenue;
}

interface SharedStream {
  ref: AccountRef;
  version: string;
  stream: CcxtAccountStream;
}

/**
 * Bybit's private stream carries the account's orders and positions of every category (ccxt
 * subscribes to the all-in-one `order` and `position` topics), so an account's spot and contract
 * instances share one: two would each receive, and parse, every push. Binance's spot and USDⓈ-M user
 * data are separate streams.
 */
function streamKeyOf(ref: AccountRef, marketType: MarketType): string {
  return ref.exchange.startsWith('bybit') ? accountKey(ref) : `${accountKey(ref)}-${marketType}`;
}

/** Public data (last prices, markets for suggestions, candles) gives up quickly: the UI and dry runs wait for it. */
const PUBLIC_TIMEOUT_MS = 1_500;

/** ccxt's rows ([ms, open, high, low, close, volume]) as the charts take them; a row missing a price is dropped. */
function candlesOf(rows: readonly OHLCV[]): Candle[] {
  const candles: Candle[] = [];
  for (const [time, open, high, low, close, volume] of rows) {
    if (time === undefined || open === undefined || high === undefined || low === undefined || close === undefined) continue;
    candles.push({ time: Math.floor(time / 1000), open, high, low, close, volume: volume ?? 0 });
  }
  return candles;
}

function retire(warm: Warm): void {
  if (warm.built) warm.built.retire();
  else warm.venue.then((venue) => venue.retire(), () => undefined);
}

/**
 * One warm ccxt instance per exchange account and market type, built on first use: markets from the
 * disk cache, the clock difference synced. Rebuilt when the account changes (the CLI may change it
 * while the server runs: `updatedAt` is compared on every use).
 */
export class CcxtAccounts implements LiveVenues, PublicExchanges {
  readonly #warm = new Map<string, Warm>();
  readonly #streams = new Map<string, SharedStream>();
  readonly #markets: MarketsCache;
  readonly #public = new Map<string, Promise<OwnedExchange>>();
  readonly #candles = new CandleCache({ deadlineMs: PUBLIC_TIMEOUT_MS });
  readonly #schedulers = new RequestSchedulers();
  readonly health: ExchangeHealth;

  constructor(private readonly accounts: ExchangeAccounts, private readonly options: CcxtOptions) {
    this.#markets = new MarketsCache(join(options.dataDir, 'markets'));
    this.health = options.health ?? new ExchangeHealth();
  }

  async venueFor(ref: AccountRef, marketType: MarketType): Promise<CcxtVenue | null> {
    const account = this.accounts.find(ref);
    if (!account) return null;
    const key = `${accountKey(ref)}-${marketType}`;
    const warm = this.#warm.get(key);
    if (warm && warm.version === account.updatedAt) return warm.venue;
    if (warm) retire(warm);
    const venue = this.#build(ref, marketType, account.baseUrl, account.updatedAt);
    const entry: Warm = { ref, version: account.updatedAt, venue };
    this.#warm.set(key, entry);
    venue.then((built) => (entry.built = built), () => undefined);
    // A failed warm-up is not cached: the next order tries again.
    venue.catch(() => this.#warm.get(key)?.venue === venue && this.#warm.delete(key));
    return venue;
  }

  async #build(ref: AccountRef, marketType: MarketType, baseUrl: string | null, version: string): Promise<CcxtVenue> {
    const { exchange } = ref;
    const credentials = await this.accounts.credentials(ref);
    const instance = await createCcxtExchange(this.#spec(ref, marketType, baseUrl, credentials));
    try {
      await this.#prepare(instance, exchange, marketType, baseUrl);
    } catch (error) {
      const failure = apiErrorFromCcxt(error, exchange);
      this.health.record(ref, failure);
      throw failure;
    }
    this.health.record(ref, null);
    const venue = new CcxtVenue(instance, ref, marketType, this.health, this.#streamOf(ref, marketType, instance, version));
    venue.refreshPrices().catch((error: unknown) => this.options.log.warn('last prices could not be read; the first order of each market reads its own', { account: accountKey(ref), error: (error as Error)?.name ?? 'Error' }));
    return venue;
  }

  /** The account's stream: the first instance built for it hosts it (a changed account gets a new one). */
  #streamOf(ref: AccountRef, marketType: MarketType, instance: OwnedExchange, version: string): CcxtAccountStream {
    const key = streamKeyOf(ref, marketType);
    const shared = this.#streams.get(key);
    if (shared?.version === version) return shared.stream;
    // Bybit's one stream carries positions whatever the hosting instance trades; Binance spot has none
    const stream = new CcxtAccountStream(instance, accountKey(ref), marketType !== 'spot' || ref.exchange.startsWith('bybit'));
    this.#streams.set(key, { ref, version, stream });
    if (shared) this.options.onStreamRetired?.(shared.stream);
    return stream;
  }

  /**
   * Lets go of every venue and stream of an account changed or removed since it was built: they send
   * nothing more (CcxtVenue.retire), the streams close, and the next use builds them on the new
   * credentials. Called when apisify changes an account and when it sees the data dir changed (the CLI).
   */
  retireChanged(): void {
    const changed = (entry: { ref: AccountRef; version: string }) => this.accounts.find(entry.ref)?.updatedAt !== entry.version;
    for (const [key, warm] of this.#warm) {
      if (!changed(warm)) continue;
      this.#warm.delete(key);
      retire(warm);
    }
    for (const [key, shared] of this.#streams) {
      if (!changed(shared)) continue;
      this.#streams.delete(key);
      this.options.onStreamRetired?.(shared.stream);
    }
  }

  async #prepare(instance: Exchange, exchange: ExchangeName, marketType: MarketType, baseUrl: string | null): Promise<void> {
    await this.#markets.load(instance, `${exchange}-${ccxtClassOf(exchange, marketType)}-${marketType}`, baseUrl, (error) =>
      this.options.log.warn('markets refresh failed', { exchange, error: (error as Error)?.name ?? 'Error' }),
    );
    // Signed requests carry a timestamp the exchange checks against its own clock.
    await instance.loadTimeDifference();
  }

  #spec(ref: AccountRef, marketType: MarketType, baseUrl: string | null, credentials: AccountSpec['credentials']): AccountSpec {
    const { exchange } = ref;
    const family = ccxtClassOf(exchange, marketType) === 'bybit' ? 'bybit' : 'binance';
    // Per host: the IP's limits are shared by everything sent there; per account: the UID's.
    const budget = this.options.rateLimit === false ? null : this.#schedulers.budgetFor(family, baseUrl ?? exchange, accountKey(ref));
    return { exchange, marketType, credentials, baseUrl, timeoutMs: this.options.timeoutMs?.() ?? 8_000, budget };
  }

  /** Proves the stored credentials work with a private call (the balance), on a fresh instance. */
  async test(ref: AccountRef): Promise<{ ok: true; currencies: number } | { ok: false; code: string; message: string }> {
    const account = this.accounts.find(ref);
    const credentials = await this.accounts.credentials(ref);
    if (!account || !credentials) return { ok: false, code: 'exchange_not_configured', message: `no API credentials for ${ref.exchange} account ${ref.account}` };
    try {
      const instance = await createCcxtExchange(this.#spec(ref, 'swap', account.baseUrl, credentials));
      await instance.loadTimeDifference();
      const balance = await instance.fetchBalance();
      this.health.record(ref, null);
      return { ok: true, currencies: Object.keys((balance as unknown as { total?: Record<string, unknown> }).total ?? {}).length };
    } catch (error) {
      const failure = apiErrorFromCcxt(error, ref.exchange);
      this.health.record(ref, failure);
      return { ok: false, code: failure.code, message: failure.message };
    }
  }

  /**
   * The keyless instance with its markets (the disk cache, else the exchange's public API), for the
   * dry-run simulator: its symbols, rules and fee rates, and its public tickers (REST and streams).
   */
  publicExchange(exchange: ExchangeName, marketType: MarketType): Promise<OwnedExchange> {
    return this.#publicInstance(exchange, marketType);
  }

  /**
   * Closes every instance's websockets, for the engine's stop: an account's ticker streams may be on an
   * instance that does not host its private stream (Bybit's spot and contracts share one), and would
   * keep the process alive.
   */
  async close(): Promise<void> {
    const built = await Promise.allSettled([...this.#warm.values()].map((warm) => warm.venue));
    await Promise.allSettled(built.map((venue) => (venue.status === 'fulfilled' ? venue.value.close() : undefined)));
    await this.closePublicStreams();
  }

  /** Closes the public instances' websockets (the dry-run simulator's ticker streams); their REST side stays usable. */
  async closePublicStreams(): Promise<void> {
    const instances = await Promise.allSettled([...this.#public.values()]);
    await Promise.allSettled(instances.map((instance) => (instance.status === 'fulfilled' ? instance.value.close() : undefined)));
  }

  /** The exchange's markets from public data (no keys needed), for a dry-run strategy's symbol suggestions. */
  async publicMarkets(exchange: ExchangeName, marketType: MarketType): Promise<TradableMarket[]> {
    try {
      const ready = await this.#publicInstance(exchange, marketType);
      return tradableMarkets(Object.values(ready.markets ?? {}) as MarketInterface[], marketType, ready.precisionMode);
    } catch (error) {
      throw apiErrorFromCcxt(error, exchange);
    }
  }

  /**
   * A market's public candles for the charts (`since`: Unix ms, the candle holding it first; without
   * it the newest `limit`), through the candle cache: background requests, never ahead of an order.
   * A symbol the exchange does not list is refused as an order's would be (400 unknown_symbol);
   * an exchange that cannot be read gives what the cache holds, source `offline`, with a note.
   */
  async candles(request: { exchange: ExchangeName; marketType: MarketType; symbol: string; timeframe: CandleTimeframe; since: number | null; limit: number }): Promise<CandlesAnswer> {
    const { exchange, marketType, timeframe } = request;
    const answer = (symbol: string, read: Pick<CandlesAnswer, 'source' | 'note' | 'candles'>): CandlesAnswer => ({ exchange, symbol, marketType, timeframe, ...read });
    let ready: Exchange;
    try {
      ready = await this.#publicInstance(exchange, marketType);
    } catch (error) {
      return answer(request.symbol, { source: 'offline', note: `${exchange}'s markets could not be read (${apiErrorFromCcxt(error, exchange).message}), so there are no candles to show`, candles: [] });
    }
    const market = resolveSymbol(Object.values(ready.markets ?? {}) as MarketInterface[], request.symbol, marketType);
    const stepMs = TIMEFRAME_SECONDS[timeframe] * 1000;
    const key = [exchange, this.#publicBaseUrl(exchange) ?? '', marketType, market.symbol, timeframe].join('|');
    const read = await this.#candles.read(key, stepMs, windowOf(request.since, request.limit, stepMs, Date.now()), ({ from, to }) =>
      inBackground(() => ready.fetchOHLCV(market.symbol, timeframe, from, (to - from) / stepMs + 1, { until: to + stepMs - 1 })).then(candlesOf),
    );
    if (read.source !== 'offline') return answer(market.symbol, { source: read.source, note: null, candles: read.candles });
    const why = read.failure instanceof DeadlinePassed ? `${exchange} did not answer within ${read.failure.deadlineMs / 1000} s` : apiErrorFromCcxt(read.failure, exchange).message;
    const shown = read.candles.length > 0 ? 'these are the candles read before, and the last one may be out of date' : 'no candles of this time were read before';
    return answer(market.symbol, { source: 'offline', note: `${why}: ${shown}`, candles: read.candles });
  }

  /** Where the exchange's public data comes from: its accounts' base URL (the default one first), else the exchange. */
  #publicBaseUrl(exchange: ExchangeName): string | null {
    return this.accounts.ofExchange(exchange)[0]?.baseUrl ?? null;
  }

  /**
   * A keyless instance with its markets loaded (from the disk cache when there is one), one per exchange,
   * market type and base URL: the account's base URL applies to public data too, and may change while running.
   */
  #publicInstance(exchange: ExchangeName, marketType: MarketType): Promise<OwnedExchange> {
    const baseUrl = this.#publicBaseUrl(exchange);
    const key = `${exchange}-${marketType}-${baseUrl ?? ''}`;
    let instance = this.#public.get(key);
    if (!instance) {
      const target = baseUrl ?? (this.options.publicData === false ? NOWHERE : null);
      instance = createCcxtExchange({ ...this.#spec({ exchange, account: 'public' }, marketType, target, null), timeoutMs: PUBLIC_TIMEOUT_MS }).then(async (created) => {
        await this.#markets.load(created, `${exchange}-${ccxtClassOf(exchange, marketType)}-${marketType}`, baseUrl, () => undefined);
        return created;
      });
      this.#public.set(key, instance);
      instance.catch(() => this.#public.get(key) === instance && this.#public.delete(key));
    }
    return instance;
  }
}
