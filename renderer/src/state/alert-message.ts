import type { MarketType } from '../../../shared/api-types.js';
import { parseOrderRequest } from '../../../shared/order-request.js';
import type { QtyUnit } from '../../../shared/order-shaping-fields.js';
import { QTY_UNIT_LABELS } from './qty-units.js';

/**
 * TradingView's alert message for a strategy: JSON that TradingView fills in with its placeholders
 * and posts (as text/plain) to the webhook URL. No timestamp or sign: a TradingView key is accepted alone.
 */

/**
 * Where the order's side and size come from.
 * - `orders`: the Pine strategy's own order, side and size ({{strategy.order.action}}, {{strategy.order.contracts}}).
 * - `position`: the Pine strategy's position after the order ({{strategy.position_size}}), reached as a target.
 * - `fixed`: one signal with a side and size of its own, as an indicator's alert has (one alert per signal).
 */
export type AlertSizing = { kind: 'orders' } | { kind: 'position' } | { kind: 'fixed'; side: FixedSide; qty: string; unit: QtyUnit };

export const FIXED_SIDES = ['Buy', 'Sell', 'Close', 'Sarbuy', 'Sarsell'] as const;
export type FixedSide = (typeof FIXED_SIDES)[number];

/** A stop-loss or take-profit in the message: none, a percent from the price, or a price from a plot of the script. */
export type AlertProtection = { kind: 'none' } | { kind: 'percent'; value: string } | { kind: 'plot'; plot: string };

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
  /** Default: the strategy's orders, as the message has always been. */
  sizing?: AlertSizing;
  /** The strategy's own qty unit: a message that counts in the market's amount says so when the strategy counts otherwise. */
  strategyQtyUnit?: QtyUnit;
  stopLoss?: AlertProtection;
  takeProfit?: AlertProtection;
  leverage?: string;
  /** Seconds: sends signal_time {{timenow}} and this max_lag, so a late alert is skipped rather than traded. */
  maxLag?: string;
  /** A fixed Buy or Sell that may only shrink the position. */
  reduceOnly?: boolean;
  /** The strategy's own max request leverage, for the advice on leverage. */
  strategyMaxLeverage?: number | null;
  /** The strategy's own max lag: it applies only to a signal that says when it was made, so the message then sends signal_time. */
  strategyMaxLag?: number | null;
}

export const PLACEHOLDERS = {
  action: '{{strategy.order.action}}',
  contracts: '{{strategy.order.contracts}}',
  positionSize: '{{strategy.position_size}}',
  ticker: '{{ticker}}',
  close: '{{close}}',
  orderId: '{{strategy.order.id}}',
  timenow: '{{timenow}}',
} as const;

/**
 * TradingView's placeholder for a plot's value when the alert fires: by its number, counted from 0
 * (`{{plot_0}}`, the first 20), or by its title (`{{plot("Stop")}}`).
 */
export function plotPlaceholder(plot: string): string {
  const text = plot.trim();
  return /^\d+$/.test(text) ? `{{plot_${Number(text)}}}` : `{{plot("${text.replace(/["\\]/g, '')}")}}`;
}

export const APIKEY_PLACEHOLDER = '<paste your TradingView API key>';

/**
 * Protection goes on orders that open or grow a position. An alert whose side comes from Pine also
 * fires for exits, which a stop in the message would make refused (protection_not_allowed); so only a
 * fixed entry carries one, and a strategy's alerts take the strategy's own percents.
 */
export function protectionAllowed(sizing: AlertSizing, reduceOnly: boolean, marketType: MarketType): boolean {
  return marketType !== 'spot' && sizing.kind === 'fixed' && sizing.side !== 'Close' && !(reduceOnly && (sizing.side === 'Buy' || sizing.side === 'Sell'));
}

/** reduce_only is for a fixed Buy or Sell on a derivative. */
export function reduceOnlyAllowed(sizing: AlertSizing, marketType: MarketType): boolean {
  return marketType !== 'spot' && sizing.kind === 'fixed' && (sizing.side === 'Buy' || sizing.side === 'Sell');
}

function protectionFields(field: 'stop_loss' | 'take_profit', protection: AlertProtection | undefined): Record<string, string> {
  if (!protection || protection.kind === 'none') return {};
  if (protection.kind === 'percent') return { [`${field}_percent`]: protection.value.trim() };
  return { [field]: plotPlaceholder(protection.plot) };
}

/**
 * The message's fields, in the order it writes them. Placeholders are quoted: the message stays valid
 * JSON whatever TradingView substitutes, and the order API takes numeric strings for every number.
 */
export function alertFields(options: AlertOptions): Record<string, string | boolean> {
  const sizing = options.sizing ?? { kind: 'orders' };
  const strategyUnit = options.strategyQtyUnit ?? 'base';
  const message: Record<string, string | boolean> = {
    strategy: options.strategy,
    exchange: options.exchange,
    order_type: options.orderType,
    side: sizing.kind === 'fixed' ? sizing.side : PLACEHOLDERS.action,
  };
  if (sizing.kind === 'orders') message['qty'] = PLACEHOLDERS.contracts;
  if (sizing.kind === 'position') message['target_position'] = PLACEHOLDERS.positionSize;
  if (sizing.kind === 'fixed' && (sizing.side !== 'Close' || sizing.unit === 'position_percent') && sizing.qty.trim() !== '') message['qty'] = sizing.qty.trim();
  // Pine counts in the market's amount; a strategy that counts otherwise would read its figures as percents.
  const unit = sizing.kind === 'fixed' ? sizing.unit : 'base';
  const closesWhole = sizing.kind === 'fixed' && sizing.side === 'Close' && unit !== 'position_percent';
  if (!closesWhole && (unit !== 'base' || strategyUnit !== 'base')) message['qty_unit'] = unit;
  message['symbol'] = options.symbol?.trim() || PLACEHOLDERS.ticker;
  if (options.includePrice || options.orderType === 'Limit') message['price'] = PLACEHOLDERS.close;
  if (options.leverage?.trim()) message['leverage'] = options.leverage.trim();
  Object.assign(message, protectionFields('stop_loss', options.stopLoss), protectionFields('take_profit', options.takeProfit));
  if (options.reduceOnly) message['reduce_only'] = true;
  const maxLag = options.maxLag?.trim() ?? '';
  if (maxLag !== '' || (options.strategyMaxLag !== null && options.strategyMaxLag !== undefined)) message['signal_time'] = PLACEHOLDERS.timenow;
  if (maxLag !== '') message['max_lag'] = maxLag;
  // The engine answers a body it saw in the last 30 s as TradingView's resend of it. Two real orders on
  // one bar (a close, then an entry the other way) can have the same side, size and price: the Pine
  // order's id tells them apart, while a resend keeps it. An indicator's alert has no order id; the
  // time it fired does the same.
  const tellsApart = sizing.kind === 'fixed' ? PLACEHOLDERS.timenow : PLACEHOLDERS.orderId;
  message['memo'] = options.memo?.trim() ? `${options.memo.trim()} (${tellsApart})` : tellsApart;
  message['apikey'] = options.apikey.trim() || APIKEY_PLACEHOLDER;
  return message;
}

/**
 * The message as it goes into TradingView's alert. A plot named by its title keeps TradingView's own
 * quotes (`{{plot("Stop")}}`), so that message is JSON once TradingView has filled it in.
 */
export function alertMessage(options: AlertOptions): string {
  return JSON.stringify(alertFields(options), null, 2).replace(/\{\{plot\(\\"([^"\\]*)\\"\)\}\}/g, '{{plot("$1")}}');
}

/** What TradingView might put in each placeholder, to check a message as the engine would read it once filled in. */
const SAMPLE_VALUES: readonly [RegExp, string][] = [
  [/\{\{strategy\.order\.action\}\}/g, 'buy'],
  [/\{\{strategy\.order\.contracts\}\}/g, '1'],
  [/\{\{strategy\.position_size\}\}/g, '1'],
  [/\{\{strategy\.order\.id\}\}/g, 'Long'],
  [/\{\{ticker\}\}/g, 'BTCUSDT.P'],
  [/\{\{close\}\}/g, '60000'],
  [/\{\{plot(?:_\d+|\("[^"]*"\))\}\}/g, '59000'],
];

/** The message's first problem as the order schema would answer it once TradingView filled it in; null when it parses. */
export function alertProblem(message: string, now = new Date()): string | null {
  let filled = message;
  for (const [placeholder, value] of SAMPLE_VALUES) filled = filled.replace(placeholder, value);
  filled = filled.replace(/\{\{timenow\}\}/g, now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  let body: unknown;
  try {
    body = JSON.parse(filled);
  } catch {
    return 'the message is not JSON';
  }
  const parsed = parseOrderRequest(body);
  return parsed.ok ? null : parsed.error.message;
}

/** What each field of the message does, in the order the message has them (README "TradingView templates"). */
export function explainAlert(options: AlertOptions): { field: string; text: string }[] {
  const sizing = options.sizing ?? { kind: 'orders' };
  const message = alertFields(options);
  const lines: { field: string; text: string }[] = [];
  const add = (field: string, text: string) => {
    if (field in message) lines.push({ field, text });
  };
  add('side', sizing.kind === 'fixed' ? `${sizing.side} on every alert: make one alert per signal (an entry, an exit)` : `${PLACEHOLDERS.action}: buy or sell, as the Pine strategy's order, exits included`);
  if (sizing.kind === 'orders') add('qty', `${PLACEHOLDERS.contracts}: the Pine order's size, in the market's amount (coins; contracts on inverse): set the strategy's order size in those units`);
  add(
    'target_position',
    `${PLACEHOLDERS.positionSize}: the Pine strategy's position after the order, signed (negative: short, 0: flat), in the market's amount. apisify sends the difference from the exchange's position, so exits and reversals end at Pine's position, and a missed alert is made up by the next one`,
  );
  if (sizing.kind === 'fixed') {
    const unit = sizing.unit;
    const what = unit === 'base' ? "in the market's amount (coins; contracts on inverse)" : `in percent or value: ${QTY_UNIT_LABELS[unit]}`;
    add('qty', `${sizing.qty.trim()}: the size ${what}. A placeholder such as ${PLACEHOLDERS.contracts} is an amount, not a percent: it does not belong in a percent unit`);
  }
  add('qty_unit', `${String(message['qty_unit'])}: how qty${sizing.kind === 'position' ? ' (and target_position)' : ''} counts${String(message['qty_unit']) === 'base' ? `, said because strategy ${options.strategy} counts in ${options.strategyQtyUnit ?? 'base'} otherwise` : ''}`);
  add('price', `${PLACEHOLDERS.close}: the bar's close: a Limit's price, a dry run's simulated fill, and the reference for sizing and protection`);
  const maxLeverage = options.strategyMaxLeverage;
  add(
    'leverage',
    `${String(message['leverage'])}: set on the account before an order that opens or grows a position (ignored on a reducing one); strategy ${options.strategy} must allow it (max request leverage ${maxLeverage === null || maxLeverage === undefined ? 'empty: none allowed, so this is refused' : `${maxLeverage}x`})`,
  );
  for (const [field, name] of [
    ['stop_loss', 'stop-loss'],
    ['take_profit', 'take-profit'],
  ] as const) {
    add(`${field}_percent`, `${String(message[`${field}_percent`])}: a ${name} that many percent from the price, held by the exchange (Bybit: on the position, with the order; Binance: a reduce-only conditional order once the entry fills)`);
    add(
      field,
      `${String(message[field])}: the value of that plot of your script when the alert fires, as the ${name} price, held by the exchange. Give it a value on every bar an alert can fire: a value that is not a price is refused (invalid_field), and an empty one sends no ${name} from the message (the strategy's own % then applies, if it has one)`,
    );
  }
  add('reduce_only', 'true: the order may only shrink the position (nothing is sent when there is none on the other side)');
  add('signal_time', `${PLACEHOLDERS.timenow}: when the alert fired (UTC, whole seconds)${'max_lag' in message ? '' : `, which the strategy's max lag of ${String(options.strategyMaxLag)} s is checked against`}`);
  add(
    'max_lag',
    `${String(message['max_lag'])}: an alert older than ${String(message['max_lag'])} s when its order is about to be sent (its wait in the symbol's queue included) is skipped, not sent (stale_signal). Allow for TradingView's delivery (usually seconds) and ${PLACEHOLDERS.timenow}'s whole seconds`,
  );
  add('memo', `${String(message['memo'])}: tells two real orders of one bar apart, while TradingView's resend of the same alert keeps it (an identical body within 30 s is answered as a duplicate)`);
  return lines;
}

/** Advice the message itself cannot carry: what the engine would refuse, or what would surprise. */
export function alertWarnings(options: AlertOptions): string[] {
  const sizing = options.sizing ?? { kind: 'orders' };
  const warnings: string[] = [];
  const leverage = Number(options.leverage?.trim());
  if (options.leverage?.trim()) {
    if (options.strategyMaxLeverage === null || options.strategyMaxLeverage === undefined) {
      warnings.push(`Strategy ${options.strategy} takes no leverage from an order (its max request leverage is empty): the engine refuses these alerts (403 leverage_above_limit). Set its max request leverage, or its own leverage instead.`);
    } else if (leverage > options.strategyMaxLeverage) {
      warnings.push(`Strategy ${options.strategy} allows at most ${options.strategyMaxLeverage}x from an order: ${options.leverage.trim()}x is refused (403 leverage_above_limit).`);
    }
  }
  if (sizing.kind === 'fixed' && sizing.unit === 'risk_percent' && options.stopLoss?.kind !== 'percent' && options.stopLoss?.kind !== 'plot') {
    warnings.push("risk_percent sizes the order by what its stop-loss may lose: give a stop-loss here, or the strategy's stop-loss % must be set (else 400 missing_field).");
  }
  if (sizing.kind !== 'fixed' && options.strategyQtyUnit !== undefined && options.strategyQtyUnit !== 'base') {
    warnings.push(`Strategy ${options.strategy} counts qty in ${options.strategyQtyUnit}; Pine's figures are amounts, so this message says qty_unit base.`);
  }
  return warnings;
}

/** Does a pasted key fit the masked form the engine shows ("ak_Ab1…Xy9z")? */
export function keyMatchesMasked(apikey: string, masked: string): boolean {
  const key = apikey.trim();
  const [prefix = '', suffix = ''] = masked.split('…');
  if (key === '' || prefix === '') return false;
  return key.startsWith(prefix) && key.endsWith(suffix) && key.length > prefix.length + suffix.length;
}
