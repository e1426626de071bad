import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeCredentials } from '../accounts.js';
import type { RequestBudget } from '../scheduling/request-schedulers.js';
import { type AnyExchangeConstructor, owned, type OwnedExchange, type OwnedExchangeConstructor } from './owned-exchange.js';
import { exchangeFetch } from './exchange-fetch.js';
import { handleSocketFutures } from './socket-futures.js';
import { nativeHmac } from './native-hmac.js';
import { loginOnExchangeClock } from './stream-login-clock.js';
import { redirectWebsockets } from './websocket-urls.js';

/**
 * Builds one ccxt instance for an exchange account and market type. Decisions, from what current
 * ccxt does (see docs/exchanges.md):
 * - bybit_testnet is Bybit's testnet (sandbox mode); binance_testnet is Binance's spot testnet for spot,
 *   and Binance demo trading for USDⓈ-M futures, since ccxt no longer supports the futures sandbox.
 * - Every REST request goes through apisify's own transport (exchange-fetch.ts). A base URL override
 *   redirects there, so ccxt keeps building the exchange's real URLs and keeps its per-URL error maps
 *   (rewriting urls.api loses Binance's -2019/-4116 mapping). The websocket URLs, which carry no
 *   error maps, are rewritten to the same host.
 * - Only the one class in use is loaded, by file path: all of ccxt costs ~0.5 s and ~100 MB. It is
 *   ccxt's pro (websocket) class, which extends the REST class: one warm instance per account serves
 *   REST calls and the order stream alike (same markets, clock offset and keys), for ~10 ms more.
 */
export type CcxtClass = 'bybit' | 'binance' | 'binanceusdm';

export interface AccountSpec {
  exchange: ExchangeName;
  marketType: MarketType;
  credentials: ExchangeCredentials | null;
  baseUrl: string | null;
  /** ccxt's request timeout. */
  timeoutMs: number;
  /**
   * The scheduler and published limits its requests are admitted by; null sends them unscheduled (only
   * against a local fake exchange: real exchanges ban clients that ignore their limits).
   */
  budget: RequestBudget | null;
}

const require = createRequire(import.meta.url);
const CCXT_SOURCES = join(dirname(require.resolve('ccxt')), '..', 'js', 'src');
const loaded = new Map<CcxtClass, Promise<OwnedExchangeConstructor>>();

export function ccxtClassOf(exchange: ExchangeName, marketType: MarketType): CcxtClass {
  if (exchange.startsWith('bybit')) return 'bybit';
  return marketType === 'spot' ? 'binance' : 'binanceusdm';
}

async function loadClass(name: CcxtClass): Promise<OwnedExchangeConstructor> {
  let promise = loaded.get(name);
  if (!promise) {
    promise = import(pathToFileURL(join(CCXT_SOURCES, 'pro', `${name}.js`)).href).then((module: { default: AnyExchangeConstructor }) => owned(module.default));
    loaded.set(name, promise);
  }
  return promise;
}

/** Reconnecting is the order follower's job, with its own backoff: ccxt's own would stack on top of it. */
const WEBSOCKET_OPTIONS = { backoff: { base: 0 } };

/**
 * How many pushed orders (and trades) ccxt keeps per instance. The follower takes each push as it comes and keeps
 * its own recent ones, so ccxt's history is read by nobody; every push beyond it slides the whole
 * array down (1,000 by default, a sixth of the engine's CPU per order under load). 200 still covers
 * every push one network read can bring before the follower's next watchOrders() (~80 at most).
 */
const ORDERS_KEPT_BY_CCXT = 200;

function optionsFor(name: CcxtClass, marketType: MarketType): Record<string, unknown> {
  if (name === 'bybit') {
    return {
      // Only the categories this instance trades: Bybit's default adds options (six extra requests).
      fetchMarkets: { types: marketType === 'spot' ? ['spot'] : ['linear', 'inverse'] },
      // Skips the account-type probes ccxt makes before the first trade.
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      defaultType: marketType === 'spot' ? 'spot' : 'swap',
      // The account's live state reads the positions it needs itself (accounts/live-account.ts):
      // ccxt's own snapshot would read every linear and inverse position by REST at each connect.
      watchPositions: { fetchPositionsSnapshot: false },
      ordersLimit: ORDERS_KEPT_BY_CCXT,
      tradesLimit: ORDERS_KEPT_BY_CCXT,
      ws: WEBSOCKET_OPTIONS,
    };
  }
  return {
    // No signed /sapi calls for currencies or margin pairs: an order key needs no wallet permission.
    fetchCurrencies: false,
    fetchMargins: false,
    ...(name === 'binance' ? { fetchMarkets: { types: ['spot'] } } : {}),
    // The account's live state reads the positions it needs itself (accounts/live-account.ts).
    watchPositions: { fetchPositionsSnapshot: false },
    ordersLimit: ORDERS_KEPT_BY_CCXT,
    tradesLimit: ORDERS_KEPT_BY_CCXT,
    ws: WEBSOCKET_OPTIONS,
  };
}

export async function createCcxtExchange(spec: AccountSpec): Promise<OwnedExchange> {
  const name = ccxtClassOf(spec.exchange, spec.marketType);
  const Class = await loadClass(name);
  const exchange = new Class({
    ...(spec.credentials ? { apiKey: spec.credentials.apiKey, secret: spec.credentials.secret } : {}),
    // apisify's own scheduler admits every request (owned-exchange.ts): ccxt's limiter would only add waits
    enableRateLimit: false,
    timeout: spec.timeoutMs,
    options: optionsFor(name, spec.marketType),
    fetchImplementation: exchangeFetch(spec.baseUrl, spec.timeoutMs),
  });
  // every signed request, REST and websocket login alike, signs through the instance's hmac
  exchange.hmac = nativeHmac(exchange.hmac);
  handleSocketFutures(exchange);
  if (name === 'bybit') loginOnExchangeClock(exchange);
  if (spec.budget) exchange.useBudget(spec.budget);
  if (spec.exchange.endsWith('_testnet')) {
    if (name === 'binanceusdm') exchange.enableDemoTrading(true);
    else exchange.setSandboxMode(true);
  }
  if (spec.baseUrl) {
    redirectWebsockets(exchange, spec.baseUrl);
    // ccxt opens a plain ws:// socket only through an http agent it was given (a proxy or fake on http)
    if (spec.baseUrl.startsWith('http://')) await exchange.loadHttpProxyAgent();
  }
  return exchange;
}
