import type { OrderStatus } from '../../../shared/order-view.js';
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

export interface LegToSend {
  clientOrderId: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: number;
  price: number | null;
  reduceOnly: boolean;
}

export interface LegOutcome {
  exchangeOrderId: string | null;
  status: Extract<OrderStatus, 'submitted' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected'>;
  filled: number;
  averagePrice: number | null;
}

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
}

/**
 * One exchange account's order changes as the exchange pushes them over a websocket. next() resolves
 * with the changes since the previous call; it rejects when the stream cannot connect, is refused or
 * drops, and the next call connects again.
 */
export interface OrderStream {
  /** The exchange's name, for logs. */
  readonly exchange: string;
  next(): Promise<StreamedOrder[]>;
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
  position(market: MarketRef): Promise<Position>;
  /** Rounds to the market's precision, or throws a 422 ApiError below its minimum. */
  normalize(market: MarketRef, leg: Omit<LegToSend, 'clientOrderId'>): Omit<LegToSend, 'clientOrderId'>;
  /** Sends one order. Throws only when the exchange certainly does not have it. */
  submit(market: MarketRef, leg: LegToSend): Promise<LegOutcome>;
  /** The order's state now, by exchange id (or by client id when the id was never learned); null: not found. */
  fetchLeg(market: MarketRef, exchangeOrderId: string | null, clientOrderId: string): Promise<LegOutcome | null>;
  cancel(market: MarketRef, exchangeOrderId: string): Promise<LegOutcome>;
  /** The markets of this venue's market type that are open for trading; null: the venue has no market data (dry run). */
  markets(): Promise<TradableMarket[] | null>;
  /** The account's order stream, one per venue instance; absent where nothing is pushed (dry run). */
  orderStream?(): OrderStream;
}
