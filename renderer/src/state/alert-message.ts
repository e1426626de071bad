/**
 * TradingView's alert message for a strategy: JSON that TradingView fills in with its placeholders
 * and posts (as text/plain) to the webhook URL. No timestamp or sign: a TradingView key is accepted alone.
 */
export interface AlertOptions {
  strategy: string;
  exchange: string;
  orderType: 'Market' | 'Limit';
  /** The plain API key the user pasted; the placeholder text when empty. */
  apikey: string;
  /** "{{ticker}}" by default; a fixed symbol when the chart's ticker is not the exchange's symbol. */
  symbol?: string;
  /** Send {{close}} as the price: required for Limit, the simulated fill for dry-run Market orders. */
  includePrice: boolean;
  memo?: string;
}

export const PLACEHOLDERS = {
  action: '{{strategy.order.action}}',
  contracts: '{{strategy.order.contracts}}',
  ticker: '{{ticker}}',
  close: '{{close}}',
  orderId: '{{strategy.order.id}}',
} as const;

export const APIKEY_PLACEHOLDER = '<paste your TradingView API key>';

/**
 * Placeholders are quoted: the message stays valid JSON whatever TradingView substitutes, and the
 * order API takes numeric strings for qty and price.
 */
export function alertMessage(options: AlertOptions): string {
  const message: Record<string, string> = {
    strategy: options.strategy,
    exchange: options.exchange,
    order_type: options.orderType,
    side: PLACEHOLDERS.action,
    qty: PLACEHOLDERS.contracts,
    symbol: options.symbol?.trim() || PLACEHOLDERS.ticker,
  };
  if (options.includePrice || options.orderType === 'Limit') message['price'] = PLACEHOLDERS.close;
  // The engine answers a body it saw in the last 30 s as TradingView's resend of it. Two real orders on
  // one bar (a close, then an entry the other way) can have the same side, size and price: the Pine
  // order's id tells them apart, while a resend keeps it.
  message['memo'] = options.memo?.trim() ? `${options.memo.trim()} (${PLACEHOLDERS.orderId})` : PLACEHOLDERS.orderId;
  message['apikey'] = options.apikey.trim() || APIKEY_PLACEHOLDER;
  return JSON.stringify(message, null, 2);
}

/** Does a pasted key fit the masked form the engine shows ("ak_Ab1…Xy9z")? */
export function keyMatchesMasked(apikey: string, masked: string): boolean {
  const key = apikey.trim();
  const [prefix = '', suffix = ''] = masked.split('…');
  if (key === '' || prefix === '') return false;
  return key.startsWith(prefix) && key.endsWith(suffix) && key.length > prefix.length + suffix.length;
}
