import { type AccountRef, DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { OrderResponse } from '../../../shared/api-response.js';
import type { CandlesAnswer } from '../../../shared/candles-api.js';
import type { EngineStatus } from '../../../shared/engine-status.js';
import type { MarketType } from '../../../shared/api-types.js';
import type { MarketsAnswer } from '../../../shared/manual-order-api.js';
import type { OrderView } from '../../../shared/order-view.js';
import type { PnlAnswer, PnlCurve } from '../../../shared/pnl-api.js';
import type { FlattenAnswer, FlattenRequest } from '../../../shared/flatten-api.js';
import type { BalancesAnswer, PositionsAnswer } from '../../../shared/positions-api.js';
import type { SignalView } from '../../../shared/signal-view.js';
import type { SettingsChanges, StrategyInputBody } from '../../../shared/ui-schemas.js';
import type { ApiKeyRecord, IssuedApiKey, Settings, StrategyOverview } from '../state/api-types.js';
import { type CandleRequest, candlesQuery } from '../state/chart-window.js';
import { NO_FILTER, orderCsvQuery, orderQuery, type OrderFilter } from '../state/order-filter.js';
import { signalCsvQuery, signalQuery, type SignalFilter } from '../state/signal-filter.js';
import { api, ApiFailure, requestJson } from './client.js';

/** Every call the renderer makes, one function each. */
export const getStatus = () => api<EngineStatus>('GET', '/api/status');
export const setPaused = (paused: boolean) => api<EngineStatus>('POST', '/api/pause', { paused });

export const listOrders = (filter: OrderFilter, page: { limit: number; before?: number }) => api<OrderView[]>('GET', `/api/orders${orderQuery(filter, page)}`);
/** The CSV export of the orders a filter shows (GET /api/orders.csv), for a download. */
export const ordersCsvPath = (filter: OrderFilter) => `/api/orders.csv${orderCsvQuery(filter)}`;
export const getOrder = (id: number) => api<OrderView>('GET', `/api/orders/${id}`);
/** Comes with the exchange work; answers 404 (not available) before that. */
export const cancelOrder = (id: number) => api<unknown>('POST', `/api/orders/${id}/cancel`, {});

/**
 * The manual order: answered like POST /v1/order, an OrderResponse with its HTTP status. It repeats
 * what its preview showed, so the engine refuses it if the strategy changed since (409 preview_outdated).
 */
export async function placeOrder(body: Record<string, unknown>, previewed: { dry_run: boolean; market_type: MarketType; account: string }): Promise<{ status: number; response: OrderResponse }> {
  const shown = new URLSearchParams({ dry_run: String(previewed.dry_run), market_type: previewed.market_type, account: previewed.account });
  const { status, json } = await requestJson('POST', `/api/orders?${shown}`, body);
  if (!json || typeof json !== 'object' || typeof (json as { ok?: unknown }).ok !== 'boolean') {
    throw new ApiFailure(status, 'http_error', `POST /api/orders answered HTTP ${status}`);
  }
  return { status, response: json as OrderResponse };
}

/** The manual form's preview: the engine's own decision (plan, legs, position), nothing journaled or sent. Answered raw, for the flow to read. */
export const previewOrder = (body: Record<string, unknown>) => requestJson('POST', '/api/orders/preview', body);

/** Symbol suggestions for a strategy on an exchange, from the markets the engine holds. */
export const listMarkets = (strategy: string, exchange: string) =>
  api<MarketsAnswer>('GET', `/api/markets?strategy=${encodeURIComponent(strategy)}&exchange=${encodeURIComponent(exchange)}`);

/** A market's public candles for a price chart; answered offline (with what the engine holds) when the exchange cannot be read. */
export const getCandles = (request: CandleRequest) => api<CandlesAnswer>('GET', `/api/candles${candlesQuery(request)}`);

/** The signal log, newest first; new entries arrive on the event stream. */
export const listSignals = (filter: SignalFilter, page: { limit: number; before?: number }) => api<SignalView[]>('GET', `/api/signals${signalQuery(filter, page)}`);
export const signalsCsvPath = (filter: SignalFilter) => `/api/signals.csv${signalCsvQuery(filter)}`;

export const listStrategies = () => api<StrategyOverview[]>('GET', '/api/strategies');
export const createStrategy = (input: StrategyInputBody) => api<StrategyOverview>('POST', '/api/strategies', input);
export const updateStrategy = (name: string, changes: Partial<StrategyInputBody>) => api<StrategyOverview>('PATCH', `/api/strategies/${encodeURIComponent(name)}`, changes);
/** Refused (409 orders_under_way) while any of its orders may still change; its journal rows stay. */
export const removeStrategy = (name: string) => api<StrategyOverview>('DELETE', `/api/strategies/${encodeURIComponent(name)}`);

/** PnL per strategy (every strategy, or one), net of fees per currency and period; it moves with the orders' fills. */
export const getPnl = (strategy?: string) => api<PnlAnswer>('GET', `/api/pnl${strategy === undefined ? '' : `?strategy=${encodeURIComponent(strategy)}`}`);
/** A strategy's cumulative net PnL, per currency, as an equity curve's points. */
export const getStrategyPnlCurve = (strategy: string) => api<{ curves: PnlCurve[] }>('GET', `/api/pnl/curve?strategy=${encodeURIComponent(strategy)}`);
/** Every strategy's live fills on one exchange account, as one curve per currency. */
export const getAccountPnlCurve = (ref: { exchange: string; account: string }) => api<{ curves: PnlCurve[] }>('GET', `/api/pnl/curve?exchange=${encodeURIComponent(ref.exchange)}&account=${encodeURIComponent(ref.account)}`);

export const listKeys = () => api<ApiKeyRecord[]>('GET', '/api/keys');
export const createKey = (input: { label: string; tradingview: boolean; strategies: string[]; allStrategies: boolean; signBody: boolean }) => api<IssuedApiKey>('POST', '/api/keys', input);
export const revokeKey = (id: number) => api<ApiKeyRecord>('DELETE', `/api/keys/${id}`);

export const getSettings = () => api<Settings>('GET', '/api/settings');
export const patchSettings = (changes: SettingsChanges) => api<Settings>('PATCH', '/api/settings', changes);

export const listExchanges = () => api<unknown>('GET', '/api/exchanges');
/** One exchange account in an /api/exchanges path: the exchange, and the account unless it is the default. */
const accountPath = (ref: AccountRef, suffix = '') =>
  `/api/exchanges/${encodeURIComponent(ref.exchange)}${suffix}${ref.account === DEFAULT_ACCOUNT ? '' : `?account=${encodeURIComponent(ref.account)}`}`;
export const saveExchange = (ref: AccountRef, body: { apiKey: string; secret: string; baseUrl?: string }) => api<unknown>('PUT', accountPath(ref), body);
export const removeExchange = (ref: AccountRef) => api<unknown>('DELETE', accountPath(ref));
export const testExchange = (ref: AccountRef) => api<unknown>('POST', accountPath(ref, '/test'), {});

// The Positions page: every account's positions and balances (then pushed as events), flatten.
/** `dryRuns`: the dry runs' simulated accounts alone, read from what apisify holds (after a dry-run order). */
export const getPositions = (dryRuns = false) => api<PositionsAnswer>('GET', `/api/positions${dryRuns ? '?dry_run=only' : ''}`);
export const getBalances = (dryRuns = false) => api<BalancesAnswer>('GET', `/api/balances${dryRuns ? '?dry_run=only' : ''}`);
/** Closes what is open (README "Flatten and kill switch"): one Close per position through the order pipeline, open orders cancelled. */
export const flatten = (request: FlattenRequest) => api<FlattenAnswer>('POST', '/api/flatten', request);
/** The journal's orders resting on an exchange (or in a dry run's book): what a flatten would cancel. */
export const listRestingOrders = async (): Promise<OrderView[]> => {
  const [open, partly] = await Promise.all([listOrders({ ...NO_FILTER, status: 'open' }, { limit: 1000 }), listOrders({ ...NO_FILTER, status: 'partially_filled' }, { limit: 1000 })]);
  return [...open, ...partly];
};
