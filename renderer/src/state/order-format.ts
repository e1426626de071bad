import type { TimeZoneChoice } from '../../../shared/api-types.js';
import type { OrderStatus, OrderView } from '../../../shared/order-view.js';
import { type SideIntent, sideIntentOf } from '../../../shared/sides.js';
import { datePartsOf } from './date-parts.js';

/**
 * How orders read on screen. Statuses and error messages are shown as the API gives them; a side by
 * what it means (the request's own spelling stays in the detail); computed prices rounded for reading;
 * times in the zone the settings ask for.
 */

/** The Intl zone for the setting: undefined is the computer's own. */
export function intlZone(choice: TimeZoneChoice): string | undefined {
  return choice === 'utc' ? 'UTC' : undefined;
}

function parts(date: Date, timeZone: string | undefined): Record<string, string> {
  return datePartsOf(date, '2-digit', timeZone);
}

/** "14:03:07" for today, "2025-03-02 14:03:07" before, in the local zone (or `timeZone`, for tests). */
export function formatTime(iso: string | null, now: Date = new Date(), timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = parts(date, timeZone);
  const today = parts(now, timeZone);
  const time = `${p['hour']}:${p['minute']}:${p['second']}`;
  const sameDay = p['year'] === today['year'] && p['month'] === today['month'] && p['day'] === today['day'];
  return sameDay ? time : `${p['year']}-${p['month']}-${p['day']} ${time}`;
}

/** "2025-03-02 14:03:07.123", always with the date and milliseconds, in the local zone. */
export function formatFullTime(iso: string | null, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = parts(date, timeZone);
  const ms = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}.${ms}`;
}

/** The zone's name, to say which zone the times are in. */
export function localZoneName(timeZone?: string): string {
  if (timeZone) return timeZone;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

/** "42 ms", "1.35 s", "2 min 5 s"; null when either end is missing. */
export function formatDuration(fromIso: string | null, toIso: string | null): string | null {
  if (!fromIso || !toIso) return null;
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export type Tone = 'good' | 'working' | 'bad' | 'muted';

export function statusTone(status: OrderStatus): Tone {
  switch (status) {
    case 'filled':
      return 'good';
    case 'received':
    case 'submitted':
    case 'open':
    case 'partially_filled':
      return 'working';
    case 'rejected':
    case 'error':
    case 'not_sent':
      return 'bad';
    case 'cancelled':
    case 'skipped':
      return 'muted';
  }
}

const SIDE_LABELS: Readonly<Record<SideIntent, string>> = { buy: 'Buy', sell: 'Sell', close: 'Close', sarbuy: 'SAR buy', sarsell: 'SAR sell' };

/**
 * One spelling per meaning ("long", "buy", "1" and "Buy" all read Buy), so a column of sides can be
 * read at a glance; a side the engine would not take is shown as it came.
 */
export function sideLabel(side: string): string {
  const intent = sideIntentOf(side);
  return intent ? SIDE_LABELS[intent] : side;
}

/**
 * A price apisify computed (an average fill, a simulated entry) for reading: "61333.33" rather than
 * "61333.333333333336". Orders carry no tick size, so the places follow the price's size, finer than
 * any exchange's tick at that size (0.01 from 1000 up, 0.0001 from 1, else six significant digits).
 */
export function formatPrice(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  const size = Math.abs(number);
  const text = size >= 1000 ? number.toFixed(2) : size >= 1 ? number.toFixed(4) : number.toPrecision(6);
  const trimmed = text.includes('e') ? String(Number(text)) : text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * Decimal text with its whole part grouped in thousands for reading, "10000.5" as "10,000.5": the
 * digits stay exactly the engine's (no rounding), only commas are added.
 */
export function groupThousands(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text.trim());
  if (!match) return text;
  const [, sign = '', whole = '', fraction = ''] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** buy-ish, sell-ish or neither (Close), for colour only. */
export function sideTone(side: string): 'buy' | 'sell' | 'neutral' {
  const key = side.trim().toLowerCase();
  if (['buy', 'long', '1', 'sarbuy', '2'].includes(key)) return 'buy';
  if (['sell', 'short', '-1', 'sarsell', '-2'].includes(key)) return 'sell';
  return 'neutral';
}

const ERROR_HEADLINES: Readonly<Record<string, string>> = {
  insufficient_funds: 'Not enough funds on the exchange account for this order.',
  invalid_order: 'The exchange refused the order as invalid.',
  exchange_error: 'The exchange answered with an error.',
  exchange_auth_failed: 'The exchange did not accept the API key and secret stored in apisify.',
  exchange_unavailable: 'The exchange could not be reached.',
  exchange_timeout: 'The exchange did not answer in time; the order may still be working there.',
  exchange_rate_limited: 'The exchange is rate limiting requests; try again shortly.',
  duplicate_order: 'The exchange already has an order with this client order id.',
  unknown_symbol: 'The exchange has no market with this symbol.',
  sar_not_supported: 'Stop and reverse needs a derivatives (swap) market.',
  price_required: 'A dry-run Market order needs a price to simulate its fill.',
  exchange_not_configured: 'No API credentials are set for this exchange.',
  trading_paused: 'Trading is paused in apisify.',
  strategy_disabled: 'The strategy is disabled.',
  unknown_strategy: 'There is no strategy with this name.',
  internal_error: 'apisify failed while handling the order.',
  below_minimum: 'The sized order is below the market’s minimum.',
  qty_above_limit: 'The order is larger than its strategy allows.',
  notional_above_limit: 'The order is worth more than its strategy allows.',
  leverage_above_limit: 'The leverage asked for is above the limit.',
  margin_mode_mismatch: 'The account’s margin mode is not the one the strategy needs.',
  stale_signal: 'The signal was too old when its order was due: nothing was sent.',
  protection_failed: 'The order filled, but its stop-loss or take-profit could not be placed.',
  protection_wrong_side: 'A stop-loss or take-profit is on the wrong side of the price.',
  balance_unavailable: 'The account’s balance could not be read to size the order.',
};

/** The error in plain words: a sentence for the code, then the engine's own message. */
export function describeError(error: { code: string; message: string } | null): { headline: string; message: string; code: string } | null {
  if (!error) return null;
  return { headline: ERROR_HEADLINES[error.code] ?? 'The order failed.', message: error.message, code: error.code };
}

/** Filled amount over all legs, "—" when nothing was planned. */
export function filledSummary(order: Pick<OrderView, 'legs'>): string {
  if (order.legs.length === 0) return '—';
  return order.legs.map((leg) => `${leg.filled}/${leg.amount}`).join(' + ');
}

/** The average fill price of the last leg that has one. */
export function averagePrice(order: Pick<OrderView, 'legs'>): string | null {
  for (let index = order.legs.length - 1; index >= 0; index -= 1) {
    const price = order.legs[index]?.averagePrice;
    if (price) return formatPrice(price);
  }
  return null;
}

/** The Cancel button is for Limit orders resting on the exchange, partly filled or not (the engine cancels what is left), and nothing else. */
export function canCancel(order: Pick<OrderView, 'status' | 'orderType'>): boolean {
  return (order.status === 'open' || order.status === 'partially_filled') && order.orderType === 'limit';
}

/** Received in the last two seconds: the row flashes as it appears. */
export function isFresh(order: Pick<OrderView, 'receivedAt'>, now: number): boolean {
  const age = now - new Date(order.receivedAt).getTime();
  return age >= -2_000 && age < 2_000;
}
