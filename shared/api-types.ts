import type { ExchangeName } from './exchange-names.js';
import type { StrategyQtyUnit } from './order-shaping-fields.js';

/** Shapes the engine keeps and the UI API returns: defined once, for the engine and the renderer. */

export interface DryRunPosition {
  strategy: string;
  exchange: string;
  symbol: string;
  qty: number;
  entryPrice: number | null;
  updatedAt: string;
}

/** A simulated position with its mark and PnL (dry run), as a Positions page shows it. Amounts in the settle currency. */
export interface DryRunPositionView {
  strategy: string;
  exchange: string;
  marketType: MarketType;
  symbol: string;
  /** Signed: contracts or coins, positive long; on spot the coins this market bought. */
  qty: number;
  entryPrice: number | null;
  /** The last price the simulator learnt for the market (its ticker); null when none yet. */
  markPrice: number | null;
  /** At the mark; 0 without one, and on spot. */
  unrealizedPnl: number;
  /** Realised on this market so far, before fees. */
  realizedPnl: number;
  /** Paid on this market so far. */
  fees: number;
  /** The initial margin it holds (its value at entry over its leverage); 0 on spot. */
  margin: number;
  leverage: number;
  /** The currency its margin, fees and PnL count in. */
  settle: string;
  updatedAt: string;
}

/** One currency of a simulated account (a dry-run strategy on one exchange), as ccxt's balance reports one. */
export interface DryRunAccountView {
  strategy: string;
  exchange: string;
  currency: string;
  /** What the account started with in this currency (the strategy's dryRunBalance, or its worth in an inverse contract's coin). */
  starting: number;
  /** Starting balance plus realised PnL, less fees, plus spot trades. */
  wallet: number;
  /** The wallet plus the unrealised PnL (ccxt's total). */
  equity: number;
  /** Equity less the margin in use and what resting orders hold (ccxt's free). */
  free: number;
  unrealizedPnl: number;
  positionMargin: number;
  orderMargin: number;
  realizedPnl: number;
  fees: number;
}

export type StrategyMode = 'live' | 'dry-run';
export type MarketType = 'swap' | 'spot';

/**
 * How a strategy shapes its orders when a request does not say, and what it allows (README "Shaping
 * an order"). Every field has a default: a strategy made before these existed trades exactly as it did.
 */
export interface StrategyShaping {
  /** How a request's qty counts when it sends no qty_unit. */
  qtyUnit: StrategyQtyUnit;
  /** Largest value one order may have, in the market's quote currency (USD on inverse); null: no limit. */
  maxNotional: number | null;
  /** Set on the account before an order that opens or grows a position; null: leave the account's. */
  leverage: number | null;
  /** The most a request's leverage may ask; null: a request may ask none. */
  maxLeverage: number | null;
  /** The margin mode entries need; null: leave the account as it is. */
  marginMode: 'cross' | 'isolated' | null;
  /** A stop-loss this far (percent) from the reference price when a request gives none; null: none. */
  stopLossPercent: number | null;
  /** A take-profit this far (percent) from the reference price when a request gives none; null: none. */
  takeProfitPercent: number | null;
  /** Seconds a signal (signal_time) may be old when it is sent, when a request gives no max_lag; null: no limit. */
  maxLag: number | null;
  /** When protection cannot be placed after a fill: keep the position (and say so), or close it at once. */
  onProtectionFailure: 'keep' | 'close';
  /** A dry run's simulated account starts with this much of the settle currency (USDT). */
  dryRunBalance: number;
}

export const DEFAULT_STRATEGY_SHAPING: StrategyShaping = {
  qtyUnit: 'base',
  maxNotional: null,
  leverage: null,
  maxLeverage: null,
  marginMode: null,
  stopLossPercent: null,
  takeProfitPercent: null,
  maxLag: null,
  onProtectionFailure: 'keep',
  dryRunBalance: 10_000,
};

export type StrategyAccounts = Partial<Record<ExchangeName, string[]>>;

export interface Strategy extends StrategyShaping {
  id: number;
  name: string;
  mode: StrategyMode;
  marketType: MarketType;
  /** Largest qty one order may carry (its amount, after sizing); null: no limit. */
  maxQty: number | null;
  /** Empty: every symbol. */
  symbols: string[];
  /** Empty: every exchange. */
  exchanges: ExchangeName[];
  /** The accounts it may use per exchange, the default first; an exchange not named: `default`. */
  accounts: StrategyAccounts;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface StrategyOverview extends Strategy {
  ordersToday: number;
  lastSignalAt: string | null;
  positions: DryRunPosition[];
}

export interface ApiKeyRecord {
  id: number;
  masked: string;
  label: string;
  tradingview: boolean;
  /** Empty: the key may trade every strategy. */
  strategies: string[];
  /** Its signatures also cover the body's SHA-256 (opt-in; README "Signatures that cover the body"). */
  signBody: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The one answer that carries a secret: once, to whoever created the key. */
export interface IssuedApiKey {
  id: number;
  apikey: string;
  secret: string;
  tradingview: boolean;
}

/** Everything a user can set; read on every request so a change (from the UI or the CLI) applies at once. */
export interface Settings {
  host: string;
  port: number;
  /** The tunnel's or reverse proxy's public base URL, e.g. https://abc.trycloudflare.com */
  publicUrl: string | null;
  /**
   * The tunnel's own listener (127.0.0.1 only): the port a tunnel or reverse proxy is pointed at. It
   * serves POST /v1/order and nothing else, never the UI or /api. 0: any free port.
   */
  tunnelPort: number;
  /** Read X-Forwarded-Proto/Host/For on the tunnel's listener (never on the main one, which local programs reach directly). */
  trustProxyHeaders: boolean;
  signatureWindowMs: number;
  /** How long POST /v1/order waits for the exchange before answering 202. */
  orderWaitMs: number;
  /** How long one request to an exchange may take before it counts as lost (then the order is looked up). */
  exchangeTimeoutMs: number;
  /** An unsigned request identical to one accepted this recently is a TradingView resend. */
  duplicateWindowMs: number;
  paused: boolean;
  notifications: boolean;
  /** Limit TradingView keys to TradingView's published webhook addresses on the tunnel's listener (local requests on the main one are not checked). */
  tradingViewAddressCheck: boolean;
  /** Orders per second one API key may send, sustained (0: no limit), and how many at once beyond that. */
  keyRatePerSecond: number;
  keyBurst: number;
  /** Requests per second to /v1/order from one client address (0: no limit), and the burst. */
  addressRatePerSecond: number;
  addressBurst: number;
  /** How the UI shows times: the computer's own zone, or UTC. */
  timeZone: TimeZoneChoice;
  /** How many days the signal log keeps its entries (pruned in the background). */
  signalRetentionDays: number;
}

export type TimeZoneChoice = 'local' | 'utc';
