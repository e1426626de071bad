import type { EngineEvent } from '../../shared/engine-events.js';
import type { EngineStatus } from '../../shared/engine-status.js';
import type { OrderStatus, OrderView } from '../../shared/order-view.js';

/**
 * Which order events deserve a desktop notification, and what it says. Pure: main.ts only hands the
 * result to Electron's Notification. An order notifies once, when it *becomes* filled, rejected or
 * error, because the engine re-sends an order on every change and a repeat would be noise.
 */

export interface DesktopNotification {
  title: string;
  body: string;
  orderId: number;
}

export const NOTIFYING_STATUSES: readonly OrderStatus[] = ['filled', 'rejected', 'error', 'not_sent', 'cancelled'];

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function orderWords(order: OrderView): string {
  return [capitalized(order.side), order.qty, order.symbol].filter((part): part is string => Boolean(part)).join(' ');
}

function whereFrom(order: OrderView): string {
  return `${order.strategy} on ${order.exchange}${order.dryRun ? ' (dry run)' : ''}`;
}

function averagePrice(order: OrderView): string | null {
  const prices = order.legs.map((leg) => leg.averagePrice).filter((price): price is string => price !== null);
  // With two legs (stop and reverse) one price would mislead; the plan says what happened instead.
  return order.legs.length === 1 && prices.length === 1 ? (prices[0] ?? null) : null;
}

/** The notification for `order` in its current status, or null when that status is not worth one. */
export function notificationText(order: OrderView): DesktopNotification | null {
  switch (order.status) {
    case 'filled': {
      const price = averagePrice(order);
      const detail = price ? `at ${price}` : order.plan;
      return { orderId: order.id, title: `Filled: ${orderWords(order)}`, body: [whereFrom(order), detail].filter(Boolean).join(' · ') };
    }
    case 'rejected':
      return { orderId: order.id, title: `Rejected: ${orderWords(order)}`, body: `${order.error?.message ?? 'The exchange refused the order.'} (${whereFrom(order)})` };
    case 'error':
      return { orderId: order.id, title: `Order failed: ${orderWords(order)}`, body: `${order.error?.message ?? 'See the order in apisify.'} (${whereFrom(order)})` };
    // Never sent (a pause, a stop before the exchange took it, a create the exchange never got): the trader decides whether to place it again.
    case 'not_sent':
      return { orderId: order.id, title: `Not sent: ${orderWords(order)}`, body: `${order.error?.message ?? 'It never reached the exchange; apisify does not resend.'} (${whereFrom(order)})` };
    case 'cancelled':
      return { orderId: order.id, title: `Cancelled: ${orderWords(order)}`, body: whereFrom(order) };
    default:
      return null;
  }
}

/**
 * The decision for one engine event. `previousStatus` is the order's status at its last event
 * (undefined if this is the first we see of it).
 */
export function notificationFor(event: EngineEvent, enabled: boolean, previousStatus: OrderStatus | undefined): DesktopNotification | null {
  if (!enabled || event.type !== 'order') return null;
  if (event.order.status === previousStatus) return null;
  return notificationText(event.order);
}

/**
 * Remembers each order's last status so `notificationFor` can tell a change from a repeat.
 * Bounded: after `capacity` orders the oldest are forgotten (they finished long ago).
 */
export class OrderStatusMemory {
  readonly #statuses = new Map<number, OrderStatus>();
  readonly #capacity: number;

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  /** Records the event's order status and returns the one it had before. */
  remember(event: EngineEvent): OrderStatus | undefined {
    if (event.type !== 'order') return undefined;
    const previous = this.#statuses.get(event.order.id);
    this.#statuses.delete(event.order.id);
    this.#statuses.set(event.order.id, event.order.status);
    if (this.#statuses.size > this.#capacity) {
      const oldest = this.#statuses.keys().next();
      if (!oldest.done) this.#statuses.delete(oldest.value);
    }
    return previous;
  }
}

/** The user's on/off setting, as the engine's status carries it. */
export function notificationsEnabled(status: EngineStatus): boolean {
  return status.notifications;
}
