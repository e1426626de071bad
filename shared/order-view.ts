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

/** What a leg is for: the order itself, or a protective order guarding the position it opened. */
export type LegRole = 'entry' | 'stop_loss' | 'take_profit';

/** How an order was sized from its qty and qty_unit (README "Shaping an order"); amounts as decimal text. */
export interface OrderSizing {
  unit: 'base' | 'quote' | 'equity_percent' | 'available_percent' | 'risk_percent' | 'position_percent';
  /** The request's qty (or target), in its unit. */
  input: string;
  /** What a percent was of; null for base and quote. */
  basis: { kind: 'equity' | 'free' | 'position'; value: string; currency: string } | null;
  referencePrice: string | null;
  /** The amount it came to, on the market's step. */
  amount: string;
  /** Its value in the quote currency (USD on inverse); null without a price. */
  notional: string | null;
}

/** The stop-loss and take-profit an order's position is held with, on the market's tick. */
export interface OrderProtection {
  stopLoss: string | null;
  takeProfit: string | null;
  /** attached: held by the exchange on the position (Bybit); conditional: reduce-only trigger orders, legs of this order (Binance USDⓈ-M). */
  style: 'attached' | 'conditional';
  /** The price the percents and the side checks were taken from. */
  referencePrice: string;
}

/** One order sent (or to be sent) to the exchange; a request plans 0, 1 or 2 of them, plus its protective orders. */
export interface ExchangeOrderView {
  leg: number;
  role: LegRole;
  /** A protective leg's trigger; null for an entry. */
  triggerPrice: string | null;
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
  /** The fee the exchange charged for what filled so far, in feeCurrency; null when it did not say. */
  fee: string | null;
  feeCurrency: string | null;
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
  /** The exchange account it was placed on (`default` unless named). */
  account: string;
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
  /** How its size came from qty and qty_unit; null when it was sent as the market's amount. */
  sizing: OrderSizing | null;
  /** The stop-loss and take-profit its position is held with; null without protection. */
  protection: OrderProtection | null;
  legs: ExchangeOrderView[];
  error: OrderError | null;
  /** The request as received, with apikey masked and the signature removed. */
  request: Record<string, unknown>;
}
