import { join } from 'node:path';
import type { Exchange, MarketInterface } from 'ccxt';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import type { Logger } from '../../log.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeAccounts } from '../accounts.js';
import { ExchangeHealth } from '../exchange-health.js';
import type { TradableMarket } from '../venue.js';
import type { PublicExchanges } from '../dry-run-markets.js';
import type { LiveVenues } from '../venues.js';
import { RequestSchedulers } from '../scheduling/request-schedulers.js';
import type { AccountStream } from '../venue.js';
import { CcxtAccountStream } from './ccxt-account-stream.js';
import { type AccountSpec, ccxtClassOf, createCcxtExchange } from './ccxt-exchange.js';
import { apiErrorFromCcxt } from './ccxt-errors.js';
import type { OwnedExchange } from './owned-exchange.js';
import { CcxtVenue } from './ccxt-venue.js';
import { MarketsCache } from './markets-cache.js';
import { tradableMarkets } from './tradable-markets.js';

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
  version: string;
  venue: Promise<CcxtVenue>;
}

interface SharedStream {
  version: string;
  stream: CcxtAccountStream;
}

/**
 * Bybit's private stream carries the account's orders and positions of every category (ccxt
 * subscribes to the all-in-one `order` and `position` topics), so an account's spot and contract
 * instances share one: two would each receive, and parse, every push. Binance's spot and USDⓈ-M user
 * data are separate streams.
 */
function streamKeyOf(exchange: ExchangeName, marketType: MarketType): string {
  return exchange.startsWith('bybit') ? exchange : `${exchange}-${marketType}`;
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
  readonly #schedulers = new RequestSchedulers();
  readonly health: ExchangeHealth;

  constructor(private readonly accounts: ExchangeAccounts, private readonly options: CcxtOptions) {
    this.#markets = new MarketsCache(join(options.dataDir, 'markets'));
    this.health = options.health ?? new ExchangeHealth();
  }

  async venueFor(exchange: ExchangeName, marketType: MarketType): Promise<CcxtVenue | null> {
    const account = this.accounts.find(exchange);
    if (!account) return null;
    const key = `${exchange}-${marketType}`;
    const warm = this.#warm.get(key);
    if (warm && warm.version === account.updatedAt) return warm.venue;
    const venue = this.#build(exchange, marketType, account.baseUrl, account.updatedAt);
    this.#warm.set(key, { version: account.updatedAt, venue });
    // A failed warm-up is not cached: the next order tries again.
    venue.catch(() => this.#warm.get(key)?.venue === venue && this.#warm.delete(key));
    return venue;
  }

  async #build(exchange: ExchangeName, marketType: MarketType, baseUrl: string | null, version: string): Promise<CcxtVenue> {
    const credentials = await this.accounts.credentials(exchange);
    const instance = await createCcxtExchange(this.#spec(exchange, marketType, baseUrl, credentials));
    try {
      await this.#prepare(instance, exchange, marketType, baseUrl);
    } catch (error) {
      const failure = apiErrorFromCcxt(error, exchange);
      this.health.record(exchange, failure);
      throw failure;
    }
    this.health.record(exchange, null);
    const venue = new CcxtVenue(instance, exchange, marketType, this.health, this.#streamOf(exchange, marketType, instance, version));
    venue.refreshPrices().catch((error: unknown) => this.options.log.warn('last prices could not be read; the first order of each market reads its own', { exchange, error: (error as Error)?.name ?? 'Error' }));
    return venue;
  }

  /** The account's stream: the first instance built for it hosts it (a changed account gets a new one). */
  #streamOf(exchange: ExchangeName, marketType: MarketType, instance: OwnedExchange, version: string): CcxtAccountStream {
    const key = streamKeyOf(exchange, marketType);
    const shared = this.#streams.get(key);
    if (shared?.version === version) return shared.stream;
    // Bybit's one stream carries positions whatever the hosting instance trades; Binance spot has none
    const stream = new CcxtAccountStream(instance, exchange, marketType !== 'spot' || exchange.startsWith('bybit'));
    this.#streams.set(key, { version, stream });
    if (shared) this.options.onStreamRetired?.(shared.stream);
    return stream;
  }

  async #prepare(instance: Exchange, exchange: ExchangeName, marketType: MarketType, baseUrl: string | null): Promise<void> {
    await this.#markets.load(instance, `${exchange}-${ccxtClassOf(exchange, marketType)}-${marketType}`, baseUrl, (error) =>
      this.options.log.warn('markets refresh failed', { exchange, error: (error as Error)?.name ?? 'Error' }),
    );
    // Signed requests carry a timestamp the exchange checks against its own clock.
    await instance.loadTimeDifference();
  }

  #spec(exchange: ExchangeName, marketType: MarketType, baseUrl: string | null, credentials: AccountSpec['credentials']): AccountSpec {
    const family = ccxtClassOf(exchange, marketType) === 'bybit' ? 'bybit' : 'binance';
    // Per host: the IP's limits are shared by everything sent there; per account: the UID's.
    const budget = this.options.rateLimit === false ? null : this.#schedulers.budgetFor(family, baseUrl ?? exchange, exchange);
    return { exchange, marketType, credentials, baseUrl, timeoutMs: this.options.timeoutMs?.() ?? 8_000, budget };
  }

  /** Proves the stored credentials work with a private call (the balance), on a fresh instance. */
  async test(exchange: ExchangeName): Promise<{ ok: true; currencies: number } | { ok: false; code: string; message: string }> {
    const account = this.accounts.find(exchange);
    const credentials = await this.accounts.credentials(exchange);
    if (!account || !credentials) return { ok: false, code: 'exchange_not_configured', message: `no API credentials for ${exchange}` };
    try {
      const instance = await createCcxtExchange(this.#spec(exchange, 'swap', account.baseUrl, credentials));
      await instance.loadTimeDifference();
      const balance = await instance.fetchBalance();
      this.health.record(exchange, null);
      return { ok: true, currencies: Object.keys((balance as unknown as { total?: Record<string, unknown> }).total ?? {}).length };
    } catch (error) {
      const failure = apiErrorFromCcxt(error, exchange);
      this.health.record(exchange, failure);
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
   * A keyless instance with its markets loaded (from the disk cache when there is one), one per exchange,
   * market type and base URL: the account's base URL applies to public data too, and may change while running.
   */
  #publicInstance(exchange: ExchangeName, marketType: MarketType): Promise<OwnedExchange> {
    const baseUrl = this.accounts.find(exchange)?.baseUrl ?? null;
    const key = `${exchange}-${marketType}-${baseUrl ?? ''}`;
    let instance = this.#public.get(key);
    if (!instance) {
      const target = baseUrl ?? (this.options.publicData === false ? NOWHERE : null);
      instance = createCcxtExchange({ ...this.#spec(exchange, marketType, target, null), timeoutMs: 1_500 }).then(async (created) => {
        await this.#markets.load(created, `${exchange}-${ccxtClassOf(exchange, marketType)}-${marketType}`, baseUrl, () => undefined);
        return created;
      });
      this.#public.set(key, instance);
      instance.catch(() => this.#public.get(key) === instance && this.#public.delete(key));
    }
    return instance;
  }
}
