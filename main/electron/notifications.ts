import type { EngineEvent } from '../../shared/engine-events.js';
import type { EngineStatus } from '../../shared/engine-status.js';
import type { OrderStatus, OrderView } from '../../shared/order-view.js';
import type { SignalView } from '../../shared/signal-view.js';

/**
 * Which engine events deserve a desktop notification, and what it says. Pure: main.ts only hands the
 * result to Electron's Notification. An order notifies once, when it *becomes* filled, rejected or
 * error, because the engine re-sends an order on every change and a repeat would be noise. A refused
 * request notifies when the user would not expect it, at most once a minute per reason.
 */

export interface DesktopNotification {
  title: string;
  body: string;
  /** The order it is about; none for a refused request. */
  orderId?: number;
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
    // a late signal was dropped: the trader expected an order and there is none
    case 'skipped':
      return order.error?.code === 'stale_signal' ? { orderId: order.id, title: `Skipped, signal too late: ${orderWords(order)}`, body: `${order.error.message} (${whereFrom(order)})` } : null;
    default:
      return null;
  }
}

/**
 * The decision for one engine event. `previousStatus` is the order's status at its last event
 * (undefined if this is the first we see of it).
 */
export function notificationFor(event: EngineEvent, enabled: boolean, previousStatus: OrderStatus | undefined): DesktopNotification | null {
  if (!enabled) return null;
  // the entry filled but its stop-loss or take-profit could not be placed: a position without the protection asked for
  if (event.type === 'protection_failed') return { orderId: event.orderId, title: `Unprotected position: order ${event.orderId}`, body: event.message };
  if (event.type !== 'order') return null;
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

/**
 * Refusals a user would not expect, by the answer's code, with what the title calls them: the sender
 * is set up to trade but apisify is not (a strategy renamed or switched off, a key made for other
 * strategies, trading paused, a secret or clock that no longer matches). Malformed requests and
 * strangers' unknown keys are the sender's business, and stay on the Signals page.
 */
export const SURPRISING_REFUSALS: Readonly<Record<string, string>> = {
  unknown_strategy: 'unknown strategy',
  strategy_disabled: 'strategy disabled',
  strategy_not_allowed: 'the key may not trade this strategy',
  trading_paused: 'trading is paused',
  invalid_signature: 'bad signature',
  signature_required: 'signature missing',
  timestamp_out_of_window: 'timestamp out of the signature window',
};

/** At most one notification per reason in this long. */
export const REFUSAL_NOTIFICATION_EVERY_MS = 60_000;

/** The notification for a refused request, or null when its reason is not a surprising one. */
export function refusalNotificationText(signal: SignalView): DesktopNotification | null {
  const reason = signal.outcome === 'refused' ? SURPRISING_REFUSALS[signal.code] : undefined;
  if (!reason) return null;
  const sender = signal.source === 'manual' ? 'the manual order form' : signal.keyLabel ? `key "${signal.keyLabel}"` : (signal.apikeyMasked ?? signal.clientAddress ?? 'an unknown sender');
  const what = [signal.strategy, [signal.side, signal.symbol].filter(Boolean).join(' ')].filter(Boolean).join(' · ');
  return { title: `Refused: ${reason}`, body: `${what ? `${what}, ` : ''}from ${sender}: ${signal.message ?? signal.code}` };
}

/** Remembers when each reason last notified, so a flood of one refusal is one notification a minute. */
export class RefusalThrottle {
  readonly #lastShown = new Map<string, number>();

  constructor(private readonly everyMs = REFUSAL_NOTIFICATION_EVERY_MS) {}

  /** Whether a notification for `reason` may show at `now`; if so, it counts as shown. */
  admit(reason: string, now: number): boolean {
    const last = this.#lastShown.get(reason);
    if (last !== undefined && now - last < this.everyMs) return false;
    this.#lastShown.set(reason, now);
    return true;
  }
}

/**
 * Every decision for one engine event: order notifications as notificationFor makes them, and for
 * new signal log entries the surprising refusals, throttled per reason. Nothing is shown, nor counted
 * against the throttle, while notifications are off.
 */
export class DesktopNotifications {
  readonly #statuses = new OrderStatusMemory();
  readonly #refusals: RefusalThrottle;

  constructor(private readonly now: () => number = Date.now, refusalEveryMs = REFUSAL_NOTIFICATION_EVERY_MS) {
    this.#refusals = new RefusalThrottle(refusalEveryMs);
  }

  decide(event: EngineEvent, enabled: boolean): DesktopNotification[] {
    const previous = this.#statuses.remember(event);
    if (!enabled) return [];
    if (event.type !== 'signals') {
      const notification = notificationFor(event, enabled, previous);
      return notification ? [notification] : [];
    }
    const shown: DesktopNotification[] = [];
    for (const signal of event.signals) {
      const notification = refusalNotificationText(signal);
      if (notification && this.#refusals.admit(signal.code, this.now())) shown.push(notification);
    }
    return shown;
  }
}
