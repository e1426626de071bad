import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import { formatPrice } from './order-format.js';

/**
 * What an order's price chart marks, from the journal alone: each fill of its legs at its average
 * price (entries, and exits: reduce-only legs and triggered protection), and as horizontal lines
 * its stop-loss and take-profit and the price of a Limit still resting. The same list is shown as
 * a table beside the chart, and instead of it when there are no candles.
 */

export interface ChartMarker {
  /** The open time (Unix seconds) of the candle the fill fell in. */
  time: number;
  /** When it filled (ISO), as far as the journal tells (fillTime). */
  at: string;
  price: number;
  side: 'buy' | 'sell';
  kind: 'entry' | 'exit';
  leg: number;
  label: string;
}

export interface ChartLine {
  kind: 'stop_loss' | 'take_profit' | 'limit';
  price: number;
  label: string;
}

export interface ChartMarks {
  markers: ChartMarker[];
  lines: ChartLine[];
}

const RESTING: readonly ExchangeOrderView['status'][] = ['open', 'partially_filled'];

/**
 * When a leg filled, as far as the journal tells: the exchange's last answer about it (a
 * follower's update for a Limit that rested), else the order's last change.
 */
export function fillTime(leg: Pick<ExchangeOrderView, 'answeredAt'>, order: Pick<OrderView, 'updatedAt'>): string {
  return leg.answeredAt ?? order.updatedAt;
}

function positive(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function markerOf(leg: ExchangeOrderView, order: Pick<OrderView, 'updatedAt'>, timeframeSeconds: number): ChartMarker | null {
  const price = positive(leg.averagePrice);
  const filled = positive(leg.filled);
  const at = fillTime(leg, order);
  const ms = Date.parse(at);
  if (price === null || filled === null || !Number.isFinite(ms)) return null;
  const exit = leg.role !== 'entry' || leg.reduceOnly;
  const why = leg.role === 'stop_loss' ? ' (stop-loss)' : leg.role === 'take_profit' ? ' (take-profit)' : '';
  return {
    time: Math.floor(ms / 1000 / timeframeSeconds) * timeframeSeconds,
    at,
    price,
    side: leg.side,
    kind: exit ? 'exit' : 'entry',
    leg: leg.leg,
    label: `${exit ? 'Exit' : 'Entry'} ${leg.side} ${leg.filled} @ ${formatPrice(price)}${why}`,
  };
}

export function orderMarks(order: Pick<OrderView, 'legs' | 'protection' | 'updatedAt'>, timeframeSeconds: number): ChartMarks {
  const markers = order.legs
    .map((leg) => markerOf(leg, order, timeframeSeconds))
    .filter((marker): marker is ChartMarker => marker !== null)
    .sort((a, b) => a.time - b.time || a.leg - b.leg);

  const lines: ChartLine[] = [];
  const add = (kind: ChartLine['kind'], text: string | null, label: (price: string) => string) => {
    const price = positive(text);
    if (price === null || lines.some((line) => line.kind === kind && line.price === price)) return;
    lines.push({ kind, price, label: label(formatPrice(price) ?? String(price)) });
  };
  add('stop_loss', order.protection?.stopLoss ?? null, (price) => `Stop-loss ${price}`);
  add('take_profit', order.protection?.takeProfit ?? null, (price) => `Take-profit ${price}`);
  for (const leg of order.legs) {
    if (leg.role === 'stop_loss') add('stop_loss', leg.triggerPrice, (price) => `Stop-loss ${price}`);
    if (leg.role === 'take_profit') add('take_profit', leg.triggerPrice, (price) => `Take-profit ${price}`);
    if (leg.role === 'entry' && leg.type === 'limit' && RESTING.includes(leg.status)) add('limit', leg.price, (price) => `Limit ${leg.side} ${price}`);
  }
  return { markers, lines };
}
