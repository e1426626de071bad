// Real ccxt exchange objects pointed at a fake exchange. The redirect happens at the fetch
// layer, so ccxt keeps building its real URLs (and picks its per-URL error maps from them);
// only the host is swapped. Websocket URLs are rewritten to the fake's host the way the app does
// it. The exchange classes (ccxt pro's, which extend the REST ones) are loaded by file path: the
// package exports only '.', and loading one class is much cheaper than loading all of ccxt.

import { Agent } from 'node:http';
import { handleSocketFutures } from '../../main/engine/exchanges/ccxt/socket-futures.js';
import { redirectWebsockets } from '../../main/engine/exchanges/ccxt/websocket-urls.js';
import binance from '../../node_modules/ccxt/js/src/pro/binance.js';
import binanceusdm from '../../node_modules/ccxt/js/src/pro/binanceusdm.js';
import bybit from '../../node_modules/ccxt/js/src/pro/bybit.js';
import type { FakeExchange } from './types.js';

export const API_KEY = 'fake-api-key-0123456789';
export const SECRET = 'fake-secret-abcdefghijklmnopqrstuvwxyz';

/** What ccxt hands its fetchImplementation (it adds `timeout` and maybe `agent`, which fetch ignores). */
interface CcxtFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A fetch that sends ccxt's request to `base`, keeping path and query. The abort signal must
 * be passed on: ccxt enforces its `timeout` by aborting it, and without it a held response
 * would never surface as RequestTimeout.
 */
export function redirectFetch(
  base: string,
  onRequest?: (url: string) => void,
): (url: string, init: CcxtFetchInit) => Promise<Response> {
  return (url, init) => {
    onRequest?.(url);
    const target = new URL(url);
    return fetch(base + target.pathname + target.search, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
  };
}

export type Environment = 'live' | 'testnet' | 'demo';

export interface ClientOptions {
  env?: Environment;
  /** ccxt request timeout in ms (ccxt's default is 10 000). */
  timeout?: number;
  apiKey?: string;
  secret?: string;
  /** Merged into ccxt's `options`. */
  options?: Record<string, unknown>;
  /** Sees every URL ccxt requests, before the host is swapped. */
  onRequest?: (url: string) => void;
}

function common(fake: FakeExchange, opts: ClientOptions): Record<string, unknown> {
  return {
    apiKey: opts.apiKey ?? API_KEY,
    secret: opts.secret ?? SECRET,
    enableRateLimit: false,
    timeout: opts.timeout ?? 10_000,
    fetchImplementation: redirectFetch(fake.url, opts.onRequest),
    // ccxt opens a plain ws:// socket only through an http agent it was given
    httpAgent: new Agent(),
  };
}

/**
 * The test environment, then the websockets to the fake (after the switch: it replaces the URLs),
 * with ccxt's unawaited socket futures handled as the app handles them.
 */
function aimed<T extends bybit | binance>(exchange: T, fake: FakeExchange, env: Environment | undefined): T {
  if (env === 'testnet') exchange.setSandboxMode(true);
  if (env === 'demo') exchange.enableDemoTrading(true);
  redirectWebsockets(exchange, fake.url);
  handleSocketFutures(exchange);
  return exchange;
}

/**
 * Bybit. `types` leaves out options (six extra instrument requests the app does not need).
 * testnet = setSandboxMode(true) (api-testnet.bybit.com); demo = enableDemoTrading(true)
 * (api-demo.bybit.com, where ccxt skips the account-type and currency calls).
 */
export function bybitClient(fake: FakeExchange, opts: ClientOptions = {}): bybit {
  const exchange = new bybit({
    ...common(fake, opts),
    options: { fetchMarkets: { types: ['spot', 'linear', 'inverse'] }, ...opts.options },
  });
  return aimed(exchange, fake, opts.env);
}

/**
 * Binance spot. No currencies or margin pairs (signed /sapi calls); markets of spot only.
 * testnet = setSandboxMode(true) (testnet.binance.vision); demo = enableDemoTrading(true).
 */
export function binanceClient(fake: FakeExchange, opts: ClientOptions = {}): binance {
  const exchange = new binance({
    ...common(fake, opts),
    options: { fetchCurrencies: false, fetchMargins: false, fetchMarkets: { types: ['spot'] }, ...opts.options },
  });
  return aimed(exchange, fake, opts.env);
}

/**
 * Binance USDⓈ-M futures (binanceusdm: defaultType swap, markets of linear only).
 * Its sandbox refuses private calls in this ccxt; the test environment is demo trading
 * (enableDemoTrading(true), demo-fapi.binance.com).
 */
export function binanceUsdmClient(fake: FakeExchange, opts: ClientOptions = {}): binanceusdm {
  const exchange = new binanceusdm({
    ...common(fake, opts),
    options: { fetchCurrencies: false, fetchMargins: false, ...opts.options },
  });
  return aimed(exchange, fake, opts.env);
}

/** ccxt types order ids as optional; every order the fake returns has one. */
export function idOf(order: { id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('order without an id');
  return order.id;
}
