import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import { inBackground } from '../exchanges/scheduling/request-priority.js';
import type { MarketRef, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import type { Journal } from '../store/journal.js';
import type { OrderFollower } from './order-follower.js';
import { entryEndedWithFill, FOLLOWED_STATUSES, statusOfLegs } from './order-status.js';

export const NOT_SENT = {
  code: 'not_sent',
  message: 'apisify stopped before this order reached the exchange; it was not sent again. Place it again if you still want it.',
} as const;

export const PARTLY_SENT = {
  code: 'not_sent',
  message: 'apisify stopped before every part of this order reached the exchange; the rest was not sent again. Check the position before placing it again.',
} as const;

/**
 * A leg the exchange took (it has the exchange's order id) that the exchange no longer returns: how it
 * ended cannot be told, and "not sent" would invite placing it again. The trader checks it there.
 */
export function outcomeUnknown(exchangeOrderId: string): { code: string; message: string } {
  return {
    code: 'outcome_unknown',
    message: `the exchange took this order (its id ${exchangeOrderId}) but no longer returns it, so apisify cannot tell how it ended. Check it on the exchange before placing anything again; apisify does not resend.`,
  };
}

const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

interface Dependencies {
  journal: Journal;
  follower: OrderFollower;
  /** The live venue and market an order was placed on; throws when they cannot be had now. */
  venueOf: (order: OrderView) => Promise<{ venue: Venue; market: MarketRef }>;
  publish: (orderId: number) => void;
  log: Logger;
  /** An entry filled whose protective legs were never sent (the last run stopped in between): place them now. */
  completeProtection: (order: OrderView) => Promise<void>;
  /**
   * The last run stopped with the computer (store/order-ids.ts): a create leaves before its rows'
   * disk sync, so a row may have survived without the writes that said it was planned or sent.
   */
  afterPowerCut: () => boolean;
  /** The client order id an order's leg has (store/install-id.ts), for an order whose plan was lost. */
  clientOrderIdOf: (orderId: number, leg: number) => string;
}

/** An order found on the exchange whose plan a power cut lost: apisify cannot tell what it was. */
function foundWithoutPlan(clientOrderId: string, exchangeOrderId: string | null): { code: string; message: string } {
  return {
    code: 'outcome_unknown',
    message: `the computer stopped before apisify wrote this order's plan to disk, but the exchange has its order (client id ${clientOrderId}${exchangeOrderId ? `, id ${exchangeOrderId}` : ''}). Check it on the exchange: apisify does not follow it, place its stop or target, or send it again.`,
  };
}

export interface RecoveryReport {
  /** Orders whose legs the exchange had: recorded with their real state. */
  found: number;
  /** Orders that never reached the exchange: marked not_sent, never resent. */
  notSent: number;
  /** Orders still open on the exchange: followed again. */
  following: number;
  /** Orders that could not be checked now (exchange unreachable, account removed): tried again later. */
  unchecked: number;
}

/** `unknown`: placed (it has the exchange's id), but the exchange no longer returns it. */
type LegFate = 'found' | 'unknown' | 'not_sent' | 'following' | 'unchecked';

/**
 * After a restart, settles every order that a crash or a kill left unfinished, against the exchange
 * and by client order id (docs/architecture.md: an order is never sent twice). A leg the journal never marked as
 * sent, or that the exchange does not know, did not happen: it becomes not_sent, and nothing is resent.
 * A leg that cannot be checked stays as it is until it can: guessing either way could lose or double money.
 */
export class CrashRecovery {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #retryMs = RETRY_FIRST_MS;
  /**
   * The last order the last run journaled: the engine listens a moment before recovery starts, and an
   * order this run took meanwhile is under way, not left unfinished.
   */
  readonly #lastOfLastRun: number;
  /** A pass ended with every order of the last run settled (none left to try again). */
  #settledAll = false;

  constructor(private readonly deps: Dependencies) {
    this.#lastOfLastRun = deps.journal.latest()?.id ?? 0;
  }

  /** At start every unfinished order; on a retry only those that could not be checked before. */
  async run(only: ReadonlySet<number> | null = null): Promise<RecoveryReport> {
    const report: RecoveryReport = { found: 0, notSent: 0, following: 0, unchecked: 0 };
    const unchecked = new Set<number>();
    for (const order of this.deps.journal.unfinished()) {
      if (this.#stopped) break;
      if (order.id > this.#lastOfLastRun || (only && !only.has(order.id))) continue;
      const fate = await this.#settle(order);
      report[fate === 'not_sent' ? 'notSent' : fate === 'unknown' ? 'found' : fate] += 1;
      if (fate === 'unchecked') unchecked.add(order.id);
    }
    if (report.found + report.notSent + report.following + report.unchecked > 0) this.deps.log.info('settled orders left unfinished by the last stop', { ...report });
    if (!this.#stopped && unchecked.size === 0) this.#settledAll = true;
    this.#scheduleRetry(unchecked);
    return report;
  }

  /** Whether every order the last run left has been settled: until then, what a power cut may have lost is still being asked for. */
  settledAll(): boolean {
    return this.#settledAll;
  }

  /** No more retries, and a run still under way journals nothing more (the journal may be closed). */
  stop(): void {
    this.#stopped = true;
    this.#cancelRetry();
  }

  #cancelRetry(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #scheduleRetry(unchecked: ReadonlySet<number>): void {
    this.#cancelRetry();
    if (unchecked.size === 0 || this.#stopped) return;
    this.#timer = setTimeout(() => void this.run(unchecked), this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  async #settle(order: OrderView): Promise<LegFate> {
    const { journal } = this.deps;
    const sent = order.legs.filter((leg) => leg.status !== 'received');
    // after a power cut, "never marked as sent" may be a write the cut lost: the exchange is asked
    const mayHaveLeft = this.deps.afterPowerCut() && !order.dryRun;
    if (sent.length === 0 && order.protection?.style !== 'conditional' && !mayHaveLeft) {
      // Nothing reached an exchange (or, for a dry run, the simulator).
      for (const leg of order.legs) this.#markNotSent(order.id, leg);
      journal.setStatus(order.id, 'not_sent', NOT_SENT);
      this.deps.publish(order.id);
      return 'not_sent';
    }

    let where: { venue: Venue; market: MarketRef };
    try {
      where = await this.deps.venueOf(order);
    } catch (error) {
      this.deps.log.warn('cannot check an unfinished order yet', { orderId: order.id, code: codeOf(error) });
      return 'unchecked';
    }
    if (order.legs.length === 0) return this.#settleWithoutPlan(order, where);
    const fates: LegFate[] = [];
    for (const leg of order.legs) fates.push(this.#stopped ? 'unchecked' : await this.#settleLeg(order.id, leg, where, mayHaveLeft));
    if (fates.includes('unchecked') || this.#stopped) return 'unchecked';

    const legs = journal.get(order.id)?.legs ?? [];
    if (order.protection?.style === 'conditional' && entryEndedWithFill(legs)) {
      // the entry filled (all of it, or a part before it was cancelled); its protection was never (or
      // not wholly) sent: it goes out now, with the ids it was journaled with
      await this.deps.completeProtection(journal.get(order.id) as OrderView);
    }
    const status = statusOfLegs(legs);
    const someSent = fates.some((fate) => fate !== 'not_sent');
    const unknown = legs.find((leg, index) => fates[index] === 'unknown' && leg.exchangeOrderId);
    const error = unknown?.exchangeOrderId ? outcomeUnknown(unknown.exchangeOrderId) : status !== 'not_sent' ? order.error : someSent ? PARTLY_SENT : NOT_SENT;
    journal.setStatus(order.id, status, error);
    this.deps.publish(order.id);
    if (fates.includes('following')) return 'following';
    if (fates.every((fate) => fate === 'not_sent')) return 'not_sent';
    return fates.includes('unknown') ? 'unknown' : 'found';
  }

  /** `mayHaveLeft`: a leg never marked as sent is asked for too (after a power cut, #settle). */
  async #settleLeg(orderId: number, leg: ExchangeOrderView, { venue, market }: { venue: Venue; market: MarketRef }, mayHaveLeft: boolean): Promise<LegFate> {
    const conditional = leg.role !== 'entry';
    // A protective leg never sent is placed by completeProtection once its entry is known filled, not given up.
    if (leg.status === 'received' && conditional) return 'found';
    if (leg.status === 'received' && !mayHaveLeft) {
      this.#markNotSent(orderId, leg);
      return 'not_sent';
    }
    if (leg.status !== 'received' && !FOLLOWED_STATUSES.includes(leg.status)) return 'found';
    if (leg.status !== 'received' && leg.status !== 'submitted') {
      // Its answer was recorded: the follower looks it up (and catches up on its stream) as for any open order.
      this.deps.follower.follow({ orderId, leg: leg.leg, clientOrderId: leg.clientOrderId, exchangeOrderId: leg.exchangeOrderId, venue, market, conditional });
      return 'following';
    }
    // journaled as sent (or, after a power cut, perhaps sent): the exchange is asked by its client id
    let outcome;
    try {
      // settling the last run's orders must not delay this run's
      outcome = await inBackground(() => venue.fetchLeg(market, leg.exchangeOrderId, leg.clientOrderId, conditional));
    } catch (error) {
      this.deps.log.warn('cannot look up an unfinished order yet', { orderId, leg: leg.leg, code: codeOf(error) });
      return 'unchecked';
    }
    if (this.#stopped) return 'unchecked';
    if (!outcome && leg.exchangeOrderId) {
      // The exchange's id proves it was placed: never "not sent".
      this.deps.journal.updateLeg(orderId, leg.leg, { status: 'error', error: outcomeUnknown(leg.exchangeOrderId).message, answeredAt: new Date().toISOString() });
      return 'unknown';
    }
    if (!outcome && conditional) {
      // journaled as sent, not on the exchange: it never went out. The position still needs it, and its
      // client order id keeps it from ever being placed twice: it goes out again with its entry's others.
      this.deps.journal.updateLeg(orderId, leg.leg, { status: 'received' });
      return 'found';
    }
    if (!outcome) {
      this.#markNotSent(orderId, leg);
      return 'not_sent';
    }
    this.deps.follower.record(orderId, leg.leg, outcome);
    if (!FOLLOWED_STATUSES.includes(outcome.status)) return 'found';
    this.deps.follower.follow({ orderId, leg: leg.leg, clientOrderId: leg.clientOrderId, exchangeOrderId: outcome.exchangeOrderId ?? leg.exchangeOrderId, venue, market, conditional });
    return 'following';
  }

  /**
   * An order whose row survived a power cut without its plan: its first leg's client id is asked for
   * (a second leg leaves only after the first is answered). Not there: never sent. There: journaled
   * as an order whose outcome apisify cannot tell, for the trader to check, never resent.
   */
  async #settleWithoutPlan(order: OrderView, { venue, market }: { venue: Venue; market: MarketRef }): Promise<LegFate> {
    const clientOrderId = this.deps.clientOrderIdOf(order.id, 1);
    let outcome;
    try {
      outcome = await inBackground(() => venue.fetchLeg(market, null, clientOrderId, false));
    } catch (error) {
      this.deps.log.warn('cannot look up an unfinished order yet', { orderId: order.id, leg: 1, code: codeOf(error) });
      return 'unchecked';
    }
    if (this.#stopped) return 'unchecked';
    this.deps.journal.setStatus(order.id, outcome ? 'error' : 'not_sent', outcome ? foundWithoutPlan(clientOrderId, outcome.exchangeOrderId) : NOT_SENT);
    this.deps.publish(order.id);
    return outcome ? 'unknown' : 'not_sent';
  }

  #markNotSent(orderId: number, leg: ExchangeOrderView): void {
    this.deps.journal.updateLeg(orderId, leg.leg, { status: 'not_sent', error: NOT_SENT.message, answeredAt: new Date().toISOString() });
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
}
