import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Exchange } from 'ccxt';
import type { ExchangeName } from '../../../../shared/exchange-names.js';
import type { MarketType } from '../../store/strategies.js';
import type { ExchangeCredentials } from '../accounts.js';

/**
 * Builds one ccxt instance for an exchange account and market type. Decisions, from what current
 * ccxt does (see docs/exchanges.md):
 * - bybit_testnet is Bybit's testnet (sandbox mode); binance_testnet is Binance's spot testnet for spot,
 *   and Binance demo trading for USDⓈ-M futures, since ccxt no longer supports the futures sandbox.
 * - A base URL override redirects at the fetch layer, so ccxt keeps building the exchange's real URLs
 *   and keeps its per-URL error maps (rewriting urls.api loses Binance's -2019/-4116 mapping).
 * - Only the one class in use is loaded, by file path: all of ccxt costs ~0.5 s and ~100 MB.
 */
export type CcxtClass = 'bybit' | 'binance' | 'binanceusdm';

export interface AccountSpec {
  exchange: ExchangeName;
  marketType: MarketType;
  credentials: ExchangeCredentials | null;
  baseUrl: string | null;
  /** ccxt's request timeout. */
  timeoutMs: number;
  /** Off only against a local fake exchange (benchmarks); real exchanges ban clients that ignore limits. */
  rateLimit: boolean;
}

type ExchangeConstructor = new (config: Record<string, unknown>) => Exchange;

const require = createRequire(import.meta.url);
const CCXT_SOURCES = join(dirname(require.resolve('ccxt')), '..', 'js', 'src');
const loaded = new Map<CcxtClass, Promise<ExchangeConstructor>>();

export function ccxtClassOf(exchange: ExchangeName, marketType: MarketType): CcxtClass {
  if (exchange.startsWith('bybit')) return 'bybit';
  return marketType === 'spot' ? 'binance' : 'binanceusdm';
}

async function loadClass(name: CcxtClass): Promise<ExchangeConstructor> {
  let promise = loaded.get(name);
  if (!promise) {
    promise = import(pathToFileURL(join(CCXT_SOURCES, `${name}.js`)).href).then((module: { default: ExchangeConstructor }) => module.default);
    loaded.set(name, promise);
  }
  return promise;
}

interface CcxtFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Sends ccxt's request to `base`, keeping the exchange's own path and query, method, headers, body and abort signal. */
export function redirectedFetch(base: string): (url: string, init: CcxtFetchInit) => Promise<Response> {
  const root = base.replace(/\/+$/, '');
  return (url, init) => {
    const target = new URL(url);
    return fetch(root + target.pathname + target.search, { method: init.method, headers: init.headers, body: init.body, signal: init.signal, redirect: 'error' });
  };
}

function optionsFor(name: CcxtClass, marketType: MarketType): Record<string, unknown> {
  if (name === 'bybit') {
    return {
      // Only the categories this instance trades: Bybit's default adds options (six extra requests).
      fetchMarkets: { types: marketType === 'spot' ? ['spot'] : ['linear', 'inverse'] },
      // Skips the account-type probes ccxt makes before the first trade.
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      defaultType: marketType === 'spot' ? 'spot' : 'swap',
    };
  }
  // No signed /sapi calls for currencies or margin pairs: an order key needs no wallet permission.
  return { fetchCurrencies: false, fetchMargins: false, ...(name === 'binance' ? { fetchMarkets: { types: ['spot'] } } : {}) };
}

export async function createCcxtExchange(spec: AccountSpec): Promise<Exchange> {
  const name = ccxtClassOf(spec.exchange, spec.marketType);
  const Class = await loadClass(name);
  const exchange = new Class({
    ...(spec.credentials ? { apiKey: spec.credentials.apiKey, secret: spec.credentials.secret } : {}),
    enableRateLimit: spec.rateLimit,
    timeout: spec.timeoutMs,
    options: optionsFor(name, spec.marketType),
    ...(spec.baseUrl ? { fetchImplementation: redirectedFetch(spec.baseUrl) } : {}),
  });
  if (spec.exchange.endsWith('_testnet')) {
    if (name === 'binanceusdm') exchange.enableDemoTrading(true);
    else exchange.setSandboxMode(true);
  }
  return exchange;
}
