import type { OrderStatus } from '../../../shared/order-view.js';
import type { TradeFill } from '../store/fills.js';
import type { MarketType } from '../store/strategies.js';

/**
 * Where orders go: a live exchange account through ccxt, or the dry-run simulator. The order
 * service speaks only this interface, so both take the one pipeline.
 */
export interface MarketRef {
  /** The key positions and queues use: ccxt's unified symbol live, the normalised request symbol in dry run. */
  symbol: string;
  type: MarketType;
}

export interface Position {
  /** Signed contracts/coins on a derivative; the free base balance on spot. */
  qty: number;
  mode: 'one-way' | 'hedge';
}

/** What a leg is for: the order itself, or a protective order guarding the position it opened. */
export type LegRole = 'entry' | 'stop_loss' | 'take_profit';

export interface LegToSend {
  clientOrderId: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: number;
  price: number | null;
  reduceOnly: boolean;
  /** Absent: an entry. A protective leg is a conditional order that triggers at `triggerPrice`. */
  role?: LegRole;
  triggerPrice?: number | null;
  /** A stop-loss and take-profit attached to the create itself, held by the exchange on the position (venues whose style is `attached`). */
  attached?: { stopLoss: number | null; takeProfit: number | null } | null;
}

/**
 * What shaping needs to know of a market (sizing, tick, minimum), in the venue's own terms: the
 * amount an order counts is coins on spot and linear, contracts on inverse.
 */
export interface MarketFacts {
  symbol: string;
  /** null on spot. */
  contract: 'linear' | 'inverse' | null;
  contractSize: number;
  base: string;
  quote: string;
  /** The currency margin and PnL are counted in: the quote on linear and spot, the base on inverse. */
  settle: string;
  amountStep: number | null;
  minAmount: number | null;
  priceTick: number | null;
}

/** An account's figures in one currency, as the exchange reports them (ccxt's unified total and free). */
export interface AccountBalance {
  currency: string;
  total: number;
  free: number;
}

/**
 * How the venue holds a stop-loss and a take-profit: attached to the entry's create (Bybit's
 * contracts: held on the position), as reduce-only conditional orders placed once the entry filled
 * (Binance USDⓈ-M), or not at all (spot).
 */
export type ProtectionStyle = 'attached' | 'conditional' | 'none';

export interface LegOutcome {
  exchangeOrderId: string | null;
  status: Extract<OrderStatus, 'submitted' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected'>;
  filled: number;
  averagePrice: number | null;
  /** When the exchange last changed the order (its own clock, ms); null when it did not say. */
  updatedAt?: number | null;
  /** The fee charged for what filled so far; null or absent when the exchange did not say (Binance USDⓈ-M orders never do: their trades tell it). */
  fee?: { cost: number; currency: string } | null;
  /** A conditional order whose trigger was reached: its order went to the books (Binance's algo orders). */
  triggered?: boolean;
  /** Why the exchange ended it, when it said (a triggered order the books refused). */
  reason?: string | null;
}

/** One of an order's trades as the exchange lists them: its own id, amount, price and fee, its time (ms). */
export type OrderTrade = TradeFill;

/** A market an order can be placed on, as a trader picks it (the manual form's symbol suggestions). */
export interface TradableMarket {
  /** The exchange's own id, e.g. BTCUSDT. */
  id: string;
  /** ccxt's unified symbol, e.g. BTC/USDT:USDT. */
  symbol: string;
  base: string;
  quote: string;
  type: MarketType;
  /** How a perpetual is margined and sized; null on spot. */
  contract: 'linear' | 'inverse' | null;
  /** The smallest order size, in the amount the order's qty counts; null when the exchange gives none. */
  minAmount: number | null;
  /** The size an order's qty is rounded to; null when the exchange gives none. */
  amountStep: number | null;
}

/** An order change the exchange pushed, with both ids, so the follower can tell which leg it is. */
export interface StreamedOrder extends LegOutcome {
  clientOrderId: string | null;
  /** ccxt's unified symbol of the order's market. */
  symbol: string | null;
}

/** One of an order's trades as the account's stream pushed it (Bybit's `execution`, Binance's ORDER_TRADE_UPDATE). */
export interface StreamedTrade extends OrderTrade {
  exchangeOrderId: string;
}

/**
 * One side of a derivatives position as the exchange reports it (REST or push): `side` is the
 * position's slot, `both` in one-way mode, `long`/`short` in hedge mode.
 */
export interface PositionRow {
  /** ccxt's unified symbol. */
  symbol: string;
  side: 'both' | 'long' | 'short';
  /** Signed contracts: positive long, negative short, 0 flat. */
  qty: number;
  entryPrice: number | null;
  markPrice: number | null;
  unrealizedPnl: number | null;
  leverage: number | null;
  marginMode: 'cross' | 'isolated' | null;
  liquidationPrice: number | null;
  /** A stop-loss and take-profit the exchange holds on the position itself (Bybit's), null where none. */
  stopLoss?: number | null;
  takeProfit?: number | null;
  /** When the exchange last changed it (its clock, ms); null when it did not say. */
  updatedAt: number | null;
}

/** One currency of an account as ccxt's fetchBalance reads it (total, free, and used in orders and margin). */
export interface BalanceRow {
  currency: string;
  total: number | null;
  free: number | null;
  used: number | null;
}

/**
 * What an account's private stream pushed: an order's change, a position's, or word that its balance
 * changed (its figures are read again: ccxt's pushed balances count otherwise than its fetchBalance).
 */
export type AccountPush = { kind: 'order'; order: StreamedOrder } | { kind: 'trade'; trade: StreamedTrade } | { kind: 'position'; position: PositionRow } | { kind: 'balance' };

/**
 * One exchange account's private stream (orders and their trades, and positions on derivatives) as the exchange
 * pushes it over a websocket. next() resolves with the changes since the previous call; it rejects
 * when the stream cannot connect, is refused or drops, and the next call connects again.
 */
export interface AccountStream {
  /** The exchange's name, for logs. */
  readonly exchange: string;
  next(): Promise<AccountPush[]>;
  /** Connected and subscribed: a change from now on will be pushed. */
  live(): boolean;
  /** Closes the connection and what keeps it alive; a later next() opens it again. */
  close(): Promise<void>;
}

export interface Venue {
  readonly dryRun: boolean;
  /** A key for the per-symbol queue: orders with the same key run one after another. */
  queueKey(market: MarketRef): string;
  /** Settles the request's symbol to one market, or throws a 400 ApiError naming it. Runs before journaling. */
  resolveMarket(symbol: string): Promise<MarketRef>;
  /** The position (spot: the free base balance) read from the exchange itself: a round trip on a live venue. */
  position(market: MarketRef): Promise<Position>;
  /** Derivatives only: the position's rows read from the exchange (REST), for the account's live state. */
  positionRows?(market: MarketRef): Promise<PositionRow[]>;
  /** Derivatives only: every open position of the account (REST), for the Positions page. */
  allPositionRows?(): Promise<PositionRow[]>;
  /** Every currency the account holds (REST), for the Positions page. */
  balanceRows?(): Promise<BalanceRow[]>;
  /**
   * Derivatives only: the account's position mode (read once and kept where the exchange has to be
   * asked); `reread` asks again, for a decision that would refuse on the kept answer.
   */
  positionMode?(market: MarketRef, reread?: boolean): Promise<Position['mode']>;
  /**
   * Rounds to the market's precision (a limit price to the tick on the trader's side: a buy's down, a
   * sell's up), or throws a 422 ApiError below its minimum size or value. `valuePrice` is the price
   * the minimum value is checked at when the leg has none (a Market order).
   */
  normalize(market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>, valuePrice?: number | null): Omit<LegToSend, 'clientOrderId'>;
  /** The smallest order value the market takes (quote currency); null where there is none. */
  minimumValue(market: MarketRef): number | null;
  /** The market's last price, good enough for a minimum check (a recent snapshot will do), or null where none can be had. */
  lastPrice(market: MarketRef): Promise<number | null>;
  /** The market's price now, for sizing and protection (a live stream, else one read), or null where none can be had. */
  currentPrice(market: MarketRef): Promise<number | null>;
  facts(market: MarketRef): MarketFacts;
  /** The account's figures in `currency` when the order runs. */
  balance(currency: string): Promise<AccountBalance>;
  /** The most leverage the market allows; null when the venue does not say. */
  maxLeverage(market: MarketRef): Promise<number | null>;
  /** Sets the market's leverage if it is not already that (kept per market; "not modified" is success). */
  setLeverage(market: MarketRef, leverage: number): Promise<void>;
  /**
   * Makes sure entries on the market trade in `mode`: set per market where the exchange holds it so
   * (Binance), refused with 409 margin_mode_mismatch where it is the whole account's (Bybit's unified
   * account), never changed there behind the trader's back.
   */
  ensureMarginMode(market: MarketRef, mode: 'cross' | 'isolated'): Promise<void>;
  protectionStyle(market: MarketRef): ProtectionStyle;
  /**
   * Sends one order once `ready` resolves (its journal rows may leave: Journal.sendable): the request may be prepared
   * meanwhile, but nothing reaches the exchange before, and nothing at all if `ready` fails (its
   * failure is thrown). Throws only when the exchange certainly does not have the order.
   */
  submit(market: MarketRef, leg: LegToSend, ready: Promise<void>): Promise<LegOutcome>;
  /**
   * The order's state now, by exchange id (or by client id when the id was never learned); null: not
   * found. `conditional`: a protective leg, which some exchanges keep apart (Binance's algo orders).
   */
  fetchLeg(market: MarketRef, exchangeOrderId: string | null, clientOrderId: string, conditional?: boolean): Promise<LegOutcome | null>;
  cancel(market: MarketRef, exchangeOrderId: string, conditional?: boolean): Promise<LegOutcome>;
  /** The order's trades, where the exchange lists them (its exact prices and fees); absent where it does not (dry run). */
  orderTrades?(market: MarketRef, exchangeOrderId: string): Promise<OrderTrade[]>;
  /** The markets of this venue's market type that are open for trading; null: the venue has no market data (dry run). */
  markets(): Promise<TradableMarket[] | null>;
  /** The account's private stream, shared by the account's venues where the exchange has one stream; absent where nothing is pushed (dry run). */
  accountStream?(): AccountStream;
  /**
   * True once the live account it trades was changed or removed (its credentials may be revoked): it
   * sends nothing more, and whoever holds it asks for the account's venue again.
   */
  readonly retired?: boolean;
}
