/** An order as the journal holds it, as every reader (API, UI, tray, CLI) sees it. Never carries a secret. */
export const ORDER_STATUSES = [
  'received', // journaled, nothing sent yet
  'submitted', // sent to the exchange, no answer yet (or answer pending past the wait bound)
  'open', // resting on the exchange (Limit)
  'partially_filled',
  'filled',
  'cancelled',
  'skipped', // nothing to do: Close when flat, SAR already at target
  'rejected', // the exchange refused it
  'error', // failed before or while sending; see error
  'not_sent', // found unfinished after a crash and never reached the exchange; not resent
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which nothing more will happen to an order. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['filled', 'cancelled', 'skipped', 'rejected', 'error', 'not_sent'];

export type OrderSource = 'api' | 'tradingview' | 'manual';

/** One order sent (or to be sent) to the exchange; a request plans 0, 1 or 2 of them. */
export interface ExchangeOrderView {
  leg: number;
  clientOrderId: string;
  exchangeOrderId: string | null;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: string;
  price: string | null;
  reduceOnly: boolean;
  status: OrderStatus;
  filled: string;
  averagePrice: string | null;
  sentAt: string | null;
  answeredAt: string | null;
  error: string | null;
}

/** Why an order failed: an API error code, its message, and the request field it is about, if any. */
export interface OrderError {
  code: string;
  message: string;
  field?: string;
}

export interface OrderView {
  id: number;
  receivedAt: string;
  updatedAt: string;
  source: OrderSource;
  apiKeyLabel: string | null;
  strategy: string;
  exchange: string;
  symbol: string;
  /** The side exactly as the request said it. */
  side: string;
  orderType: 'market' | 'limit';
  qty: string | null;
  price: string | null;
  memo: string | null;
  dryRun: boolean;
  /** The market it was placed on (ccxt's unified symbol and its type); null for orders journaled before apisify kept it. */
  market: { symbol: string; type: 'swap' | 'spot' } | null;
  status: OrderStatus;
  /** What the planner decided, in words, e.g. "SAR: buy 3 to go from -1 to +2". */
  plan: string | null;
  legs: ExchangeOrderView[];
  error: OrderError | null;
  /** The request as received, with apikey masked and the signature removed. */
  request: Record<string, unknown>;
}
