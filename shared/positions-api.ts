/**
 * What GET /api/positions and GET /api/balances answer (and `apisify positions|balance --json`), and
 * the events that keep the Positions page live. Amounts are decimal strings; null where the exchange
 * (or the simulator) did not say.
 */

/** Where a row comes from: a live exchange account, or a dry-run strategy's simulated account. */
export interface AccountOf {
  exchange: string;
  /** The exchange account's name; for a dry run, `default` (a simulated account is its strategy's). */
  account: string;
  dryRun: boolean;
  /** A dry run's strategy; null on a live account (shared by the strategies allowed on it). */
  strategy: string | null;
}

/** A protective order held for the position: a journaled stop-loss or take-profit leg, or one attached to the position on the exchange. */
export interface ProtectiveOrderView {
  role: 'stop_loss' | 'take_profit';
  triggerPrice: string;
  /** The journal order it belongs to; null for one the exchange holds on the position that apisify did not place. */
  orderId: number | null;
  status: string;
}

/** A strategy whose own fills make up (part of) a position, and how much. */
export interface PositionShare {
  strategy: string;
  /** Signed, as the position. */
  qty: string;
}

export interface PositionView extends AccountOf {
  /** ccxt's unified symbol (live) or the simulator's name (dry run). */
  symbol: string;
  marketType: 'swap' | 'spot';
  side: 'long' | 'short';
  /** Unsigned size in the market's amount (contracts). */
  size: string;
  entryPrice: string | null;
  markPrice: string | null;
  unrealizedPnl: string | null;
  leverage: string | null;
  marginMode: 'cross' | 'isolated' | null;
  liquidationPrice: string | null;
  protection: ProtectiveOrderView[];
  /** The strategies whose orders built it, from their own fills; empty when none did (opened elsewhere). */
  strategies: PositionShare[];
  /** When the exchange last changed it (ISO); null when it did not say. */
  updatedAt: string | null;
}

export interface BalanceView extends AccountOf {
  /** Which of the account's wallets: Bybit's unified account, Binance's USDⓈ-M or spot; null for a dry run. */
  wallet: 'unified' | 'futures' | 'spot' | null;
  currency: string;
  total: string | null;
  free: string | null;
  /** In orders and positions' margin. */
  used: string | null;
}

/** How an account's figures were had: from a read just now, pushed by its stream, or not at all. */
export interface AccountReadState extends AccountOf {
  state: 'ok' | 'failing' | 'not_set';
  /** Whether its private stream is connected: its figures then move as the exchange pushes them. */
  live: boolean;
  message: string | null;
  readAt: string | null;
}

export interface PositionsAnswer {
  positions: PositionView[];
  accounts: AccountReadState[];
}

export interface BalancesAnswer {
  balances: BalanceView[];
  accounts: AccountReadState[];
}
