import { formatAmount } from '../../../shared/decimal.js';
import type { LegOutcome, MarketRef, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import type { Journal } from '../store/journal.js';
import { FOLLOWED_STATUSES, statusOfLegs } from './order-status.js';

interface Followed {
  orderId: number;
  leg: number;
  clientOrderId: string;
  exchangeOrderId: string | null;
  venue: Venue;
  market: MarketRef;
}

/**
 * Follows orders the exchange has not finished (resting Limits, Market orders whose fill was not in
 * the create answer) by polling, since the exchanges' websockets need more than ccxt's REST classes.
 * Every change is journaled and published as an order event.
 */
export class OrderFollower {
  readonly #followed = new Map<string, Followed>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;

  constructor(
    private readonly journal: Journal,
    private readonly publish: (orderId: number) => void,
    private readonly log: Logger,
    private readonly pollMs = 1_000,
  ) {}

  follow(entry: Followed): void {
    this.#followed.set(`${entry.orderId}:${entry.leg}`, entry);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.poll(), this.pollMs);
      this.#timer.unref();
    }
  }

  get size(): number {
    return this.#followed.size;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One round over every followed order; also called directly by tests and after a cancel. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await Promise.all([...this.#followed.entries()].map(([key, entry]) => this.#check(key, entry)));
    } finally {
      this.#polling = false;
      if (this.#followed.size === 0) this.stop();
    }
  }

  async #check(key: string, entry: Followed): Promise<void> {
    let outcome: LegOutcome | null;
    try {
      outcome = await entry.venue.fetchLeg(entry.market, entry.exchangeOrderId, entry.clientOrderId);
    } catch (error) {
      this.log.warn('order follow-up failed', { orderId: entry.orderId, code: (error as { code?: string }).code ?? 'error' });
      return;
    }
    if (!outcome) return;
    this.record(entry.orderId, entry.leg, outcome);
    if (outcome.exchangeOrderId) entry.exchangeOrderId = outcome.exchangeOrderId;
    if (!FOLLOWED_STATUSES.includes(outcome.status)) this.#followed.delete(key);
  }

  /** Writes a leg's new state and the order's status that follows from all its legs. */
  record(orderId: number, leg: number, outcome: LegOutcome): void {
    const before = this.journal.get(orderId);
    const previous = before?.legs.find((item) => item.leg === leg);
    if (previous && previous.status === outcome.status && previous.filled === formatAmount(outcome.filled)) return;
    this.journal.updateLeg(orderId, leg, {
      ...(outcome.exchangeOrderId ? { exchangeOrderId: outcome.exchangeOrderId } : {}),
      status: outcome.status,
      filled: formatAmount(outcome.filled),
      averagePrice: outcome.averagePrice === null ? null : formatAmount(outcome.averagePrice),
      answeredAt: new Date().toISOString(),
    });
    const after = this.journal.get(orderId);
    if (after) this.journal.setStatus(orderId, statusOfLegs(after.legs), after.error);
    this.publish(orderId);
  }
}
