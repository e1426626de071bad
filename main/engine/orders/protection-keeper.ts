import { formatAmount, roundAmount } from '../../../shared/decimal.js';
import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import type { LegOutcome, LegToSend, MarketRef, Position, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import { clientOrderIdOf } from '../store/install-id.js';
import { type Journal, type NewLeg, type OpenProtectiveLeg, protectiveBookOf } from '../store/journal.js';
import type { Strategies } from '../store/strategies.js';
import type { OrderFollower } from './order-follower.js';
import { entryEndedWithFill, isProtective } from './order-status.js';

/**
 * The protective orders of entries whose exchange holds no stop-loss on the position (Binance
 * USDⓈ-M): reduce-only conditional orders, placed as legs of the entry's own order once the entry's
 * fill is known, journaled before they are sent and followed like any leg (DESIGN.md "Protection
 * belongs to its entry"). When one fills, the other is cancelled; when an order's fill flattens or
 * reverses the position (in its answer or later), the protective orders of earlier entries on that
 * market are cancelled. Where they
 * cannot be placed, the entry stays filled, the order says `protection_failed` with the exchange's
 * reason, and the strategy's onProtectionFailure decides whether the position is closed at once.
 */
export interface ProtectionEvents {
  /** Placing protection failed: for the desktop notification. */
  failed(orderId: number, message: string): void;
}

interface Dependencies {
  journal: Journal;
  follower: OrderFollower;
  strategies: Strategies;
  installId: string;
  venueOf: (order: OrderView) => Promise<{ venue: Venue; market: MarketRef }>;
  /** The position now: from the account's stream while it vouches for it, else one read. */
  position: (venue: Venue, market: MarketRef) => Promise<Position>;
  publish: (orderId: number) => void;
  events: ProtectionEvents;
  log: Logger;
}

const NEVER_RECEIVED = "its create went unanswered and the exchange has no order with its client order id: it was not placed";

/** A failed cancel is tried again after 2 s, then 4 s, ... up to a minute while it keeps failing. */
const CANCEL_RETRY_FIRST_MS = 2_000;
const CANCEL_RETRY_MAX_MS = 60_000;

const PROTECTIVE_STATUSES_IN_FORCE: readonly string[] = ['received', 'submitted', 'open', 'partially_filled'];

export class ProtectionKeeper {
  /** Orders whose protection is being placed now: a fill seen twice (answer and push) places it once. */
  readonly #placing = new Set<number>();
  /** Protective legs whose create is on its way. */
  readonly #sending = new Set<string>();
  /** Legs whose cancel was asked for before their exchange id was known: cancelled there once it is. */
  readonly #cancelWhenKnown = new Set<string>();
  /** Protective legs placed again once after the exchange never received them: a second loss is a failure. */
  readonly #placedAgain = new Set<string>();
  /** The next try of cancels that failed (journal.cancelsWanted), backing off while they keep failing. */
  #cancelRetry: NodeJS.Timeout | null = null;
  #cancelRetryMs = CANCEL_RETRY_FIRST_MS;
  /** Legs whose last cancel failed: the backoff starts again from its first delay once none is left. */
  readonly #cancelsFailing = new Set<string>();
  #stopped = false;
  /** Per order, its retiring under way: a fill seen twice (answer and push, a part then the rest) cancels each leg once. */
  readonly #retiring = new Map<number, Promise<void>>();

  constructor(private readonly deps: Dependencies) {
    deps.follower.onChange((orderId, leg, outcome) => void this.#changed(orderId, leg, outcome));
    deps.follower.onNeverPlaced((orderId, leg) => void this.#neverPlaced(orderId, leg));
  }

  /**
   * After an entry leg's state is known: once every entry leg has ended with something filled, its
   * conditional protection goes out for what the order opened, the part of its fill beyond closing
   * the position held before it (journaled with its plan, so a fill learnt later or after a restart
   * is weighed alike). Safe to call more than once.
   */
  async entrySettled(orderId: number): Promise<void> {
    const order = this.deps.journal.get(orderId);
    if (!order?.protection || order.protection.style !== 'conditional') return;
    if (order.legs.some(isProtective) || this.#placing.has(orderId) || !entryEndedWithFill(order.legs)) return;
    const opened = openedBy(this.deps.journal.positionBefore(orderId) ?? 0, movedBy(order.legs.filter((leg) => !isProtective(leg))));
    if (opened === 0) return;
    this.#placing.add(orderId);
    try {
      await this.#place(order, opened);
    } finally {
      this.#placing.delete(orderId);
    }
  }

  /** The order's protective legs, journaled (on disk) before the first is sent, then sent and followed. */
  async #place(order: OrderView, opened: number): Promise<void> {
    const { journal } = this.deps;
    const protection = order.protection;
    if (!protection) return;
    const closing: 'buy' | 'sell' = opened > 0 ? 'sell' : 'buy';
    const amount = formatAmount(Math.abs(opened));
    let next = order.legs.length + 1;
    const legs: (NewLeg & { trigger: number })[] = [];
    for (const [role, price] of [
      ['stop_loss', protection.stopLoss],
      ['take_profit', protection.takeProfit],
    ] as const) {
      if (price === null) continue;
      const leg = next++;
      legs.push({ leg, clientOrderId: clientOrderIdOf(this.deps.installId, order.id, leg), side: closing, type: 'market', amount, price: null, reduceOnly: true, role, triggerPrice: price, trigger: Number(price) });
    }
    if (legs.length === 0) return;
    journal.addLegs(order.id, legs);
    this.deps.publish(order.id);
    await this.#send(order, legs);
  }

  /** Sends protective legs already journaled (`received`), following each; a refusal makes the order protection_failed. */
  async #send(order: OrderView, legs: readonly (Pick<NewLeg, 'leg' | 'clientOrderId' | 'side' | 'amount' | 'role'> & { trigger: number })[]): Promise<void> {
    const { journal } = this.deps;
    let where: { venue: Venue; market: MarketRef };
    try {
      where = await this.deps.venueOf(order);
    } catch (error) {
      this.#failed(order, `the account could not be reached to place it (${(error as Error).message})`);
      return;
    }
    const failures: string[] = [];
    for (const leg of legs) {
      // cancelled while an earlier leg was being sent (a flatten, the other leg filling): it stays unsent
      if (journal.get(order.id)?.legs.find((item) => item.leg === leg.leg)?.status !== 'received') continue;
      journal.updateLeg(order.id, leg.leg, { status: 'submitted', sentAt: new Date().toISOString() });
      const toSend: LegToSend = { clientOrderId: leg.clientOrderId, side: leg.side, type: 'market', amount: Number(leg.amount), price: null, reduceOnly: true, role: leg.role ?? 'entry', triggerPrice: leg.trigger };
      const key = legKey(order.id, leg.leg);
      this.#sending.add(key);
      try {
        // its rows (the leg, and now its submitted state) are on disk before the create leaves: off an
        // order's answer, this path can afford the sync, and after a power cut its legs are as journaled
        const outcome = await where.venue.submit(where.market, toSend, journal.durable()).finally(() => this.#sending.delete(key));
        this.deps.follower.record(order.id, leg.leg, outcome);
        this.deps.follower.follow({ orderId: order.id, leg: leg.leg, clientOrderId: leg.clientOrderId, exchangeOrderId: outcome.exchangeOrderId, venue: where.venue, market: where.market, conditional: true }, outcome.status !== 'submitted');
        // its cancel was asked for while the create was on its way
        if (outcome.exchangeOrderId) await this.#cancelIfWanted(order.id, leg.leg, outcome);
      } catch (error) {
        this.#cancelWhenKnown.delete(key);
        const message = (error as Error).message;
        journal.updateLeg(order.id, leg.leg, { status: 'rejected', error: message, answeredAt: new Date().toISOString() });
        failures.push(`${roleName(leg)} at ${leg.trigger}: ${message}`);
      }
    }
    this.deps.publish(order.id);
    if (failures.length > 0) this.#failed(order, failures.join('; '));
  }

  /** The order's other protective legs still in force. */
  #partnersInForce(order: OrderView, legNumber: number): { orderId: number; leg: number; exchangeOrderId: string | null }[] {
    return order.legs.filter((other) => isProtective(other) && other.leg !== legNumber && PROTECTIVE_STATUSES_IN_FORCE.includes(other.status)).map((other) => ({ orderId: order.id, leg: other.leg, exchangeOrderId: other.exchangeOrderId }));
  }

  /** Whether the side a protective leg guards (a sell guards a long) is flat or reversed now; false when that cannot be read. */
  async #guardedSideFlat(order: OrderView, leg: Pick<ExchangeOrderView, 'side'>): Promise<boolean> {
    try {
      const { venue, market } = await this.deps.venueOf(order);
      const now = await this.deps.position(venue, market);
      if (now.mode !== 'one-way') return false;
      return leg.side === 'sell' ? now.qty <= 0 : now.qty >= 0;
    } catch (error) {
      this.deps.log.warn('the position a triggered protective order guarded could not be read', { orderId: order.id, code: (error as { code?: string }).code ?? 'error' });
      return false;
    }
  }

  /** The entry stays filled; the order says so; the strategy decides whether to close at once. */
  #failed(order: OrderView, reason: string, headline = 'the position is open without its protection', mayClose = true): void {
    const message = `${headline}: ${reason}`;
    this.deps.journal.setStatus(order.id, order.status, { code: 'protection_failed', message });
    this.deps.publish(order.id);
    this.deps.events.failed(order.id, message);
    this.deps.log.warn('protection could not be placed', { orderId: order.id });
    if (mayClose && this.deps.strategies.find(order.strategy)?.onProtectionFailure === 'close') void this.#flatten(order);
  }

  /** onProtectionFailure close: one reduce-only Market order for what the entry opened (the position its protection was for), a leg of the same order. */
  async #flatten(order: OrderView): Promise<void> {
    const { journal } = this.deps;
    const current = journal.get(order.id);
    if (!current) return;
    const filled = openedBy(journal.positionBefore(order.id) ?? 0, movedBy(current.legs.filter((leg) => !isProtective(leg))));
    if (filled === 0) return;
    const leg = current.legs.length + 1;
    const clientOrderId = clientOrderIdOf(this.deps.installId, order.id, leg);
    const side: 'buy' | 'sell' = filled > 0 ? 'sell' : 'buy';
    // journaled as an entry-side leg of the order: it is what the strategy asked for when protection failed
    journal.addLegs(order.id, [{ leg, clientOrderId, side, type: 'market', amount: formatAmount(Math.abs(filled)), price: null, reduceOnly: true }]);
    try {
      const { venue, market } = await this.deps.venueOf(current);
      journal.updateLeg(order.id, leg, { status: 'submitted', sentAt: new Date().toISOString() });
      const outcome = await venue.submit(market, { clientOrderId, side, type: 'market', amount: Math.abs(filled), price: null, reduceOnly: true }, journal.durable());
      this.deps.follower.record(order.id, leg, outcome);
      if (outcome.status !== 'filled') this.deps.follower.follow({ orderId: order.id, leg, clientOrderId, exchangeOrderId: outcome.exchangeOrderId, venue, market });
    } catch (error) {
      journal.updateLeg(order.id, leg, { status: 'rejected', error: (error as Error).message, answeredAt: new Date().toISOString() });
      this.deps.publish(order.id);
    }
  }

  /**
   * After an entry leg's fill is known (its answer, the follower, crash recovery): once the order's
   * fills took the position its plan started from to zero or past it, the protective legs of earlier
   * orders on that market guard a position that is gone; once its onProtectionFailure close filled,
   * its own do. Both are cancelled. Safe to call more than once.
   */
  entryFilled(orderId: number): Promise<void> {
    const run = (this.#retiring.get(orderId) ?? Promise.resolve()).then(() => this.#retire(orderId));
    // the caller handles the failure; the next call only waits for this one
    const done = run.catch(() => undefined);
    this.#retiring.set(orderId, done);
    void done.then(() => {
      if (this.#retiring.get(orderId) === done) this.#retiring.delete(orderId);
    });
    return run;
  }

  async #retire(orderId: number): Promise<void> {
    const { journal } = this.deps;
    const order = journal.get(orderId);
    if (!order?.market) return;
    const before = journal.positionBefore(orderId);
    const held = before ?? 0;
    const moved = movedBy(order.legs.filter((leg) => !isProtective(leg)));
    const after = roundAmount(held + moved);
    const stale: { orderId: number; leg: number; exchangeOrderId: string | null }[] = [];
    // the close journaled after its protective legs (#flatten): they guard what it closed
    const firstProtective = order.legs.find(isProtective)?.leg;
    const flattened = firstProtective !== undefined && order.legs.some((leg) => !isProtective(leg) && leg.leg > firstProtective && leg.status === 'filled');
    if (flattened) stale.push(...order.legs.filter((leg) => isProtective(leg) && PROTECTIVE_STATUSES_IN_FORCE.includes(leg.status)).map((leg) => ({ orderId, leg: leg.leg, exchangeOrderId: leg.exchangeOrderId })));
    // only earlier orders': a later one (a Buy while this Limit rested) guards what it opened since
    const { symbol } = order.market;
    const earlier = () => journal.openProtectiveLegs(protectiveBookOf(order), symbol).filter((leg) => leg.orderId < orderId);
    if (held !== 0 && moved !== 0 && Math.sign(after) !== Math.sign(held)) stale.push(...earlier());
    if (before === null && moved !== 0) stale.push(...(await this.#endedMeanwhile(order, earlier(), moved)));
    if (stale.length > 0) await this.#cancel(stale);
  }

  /**
   * A plain Buy or Sell of a fixed amount reads no position before it goes out, so what its fill did
   * is known only from the position now: the earlier stops on the side it traded against (a sell's
   * fill can only end a long, guarded by sell stops) guard nothing once that side is flat or reversed.
   * Read only when such stops are in force. Hedge mode nets nothing: its sides are apart.
   */
  async #endedMeanwhile(order: OrderView, earlier: readonly OpenProtectiveLeg[], moved: number): Promise<OpenProtectiveLeg[]> {
    const side = moved < 0 ? 'sell' : 'buy';
    const tradedAgainst = earlier.filter((leg) => leg.side === side);
    if (tradedAgainst.length === 0 || order.market?.type === 'spot') return [];
    return (await this.#guardedSideFlat(order, { side })) ? tradedAgainst : [];
  }

  /** Cancels protective legs in force (flatten, once their position is closed). */
  cancelLegs(legs: readonly { orderId: number; leg: number; exchangeOrderId: string | null }[]): Promise<void> {
    return this.#cancel(legs);
  }

  async #changed(orderId: number, legNumber: number, outcome: LegOutcome): Promise<void> {
    const order = this.deps.journal.get(orderId);
    const leg = order?.legs.find((item) => item.leg === legNumber);
    if (!order || !leg) return;
    try {
      if (!isProtective(leg)) {
        // a resting entry that filled meanwhile: its protection goes out now
        if (outcome.status === 'filled' || outcome.status === 'cancelled') await this.entrySettled(orderId);
        // and what guarded the position it ended or reversed (or, for the onProtectionFailure close, its own) is retired
        if (outcome.filled > 0) await this.entryFilled(orderId);
        return;
      }
      // the follower found a leg whose answer was lost, and its cancel is waiting for that
      if (!this.#sending.has(legKey(orderId, legNumber))) await this.#cancelIfWanted(orderId, legNumber, outcome);
      // triggered, and its order in the books did not close what it guarded (refused, expired, part filled)
      if (outcome.triggered === true && (outcome.status === 'cancelled' || outcome.status === 'rejected')) {
        const reason = outcome.reason ? ` (${outcome.reason})` : '';
        // What it guarded may be gone all the same (closed elsewhere, or smaller than the stop after a
        // part sell): then its partner guards nothing, and there is nothing for onProtectionFailure to close.
        const guardsNothing = await this.#guardedSideFlat(order, leg);
        if (guardsNothing) await this.#cancel(this.#partnersInForce(order, legNumber));
        this.#failed(order, `the ${roleName(leg)} at ${leg.triggerPrice ?? '?'} filled ${formatAmount(outcome.filled)} of ${leg.amount}${reason}`, 'a protective order triggered but did not fill in full', !guardsNothing);
        return;
      }
      // one protective leg triggered and filled: the other guards nothing any more
      if (outcome.status === 'filled') await this.#cancel(this.#partnersInForce(order, legNumber));
    } catch (error) {
      this.deps.log.error('protective orders could not be kept', { orderId, error: (error as Error)?.name ?? 'Error' });
    }
  }

  async #cancel(legs: readonly { orderId: number; leg: number; exchangeOrderId: string | null }[]): Promise<void> {
    let failed = false;
    for (const leg of legs) {
      // as the journal has it now: the follower may have learnt its id (or its end) since the caller looked
      const order = this.deps.journal.get(leg.orderId);
      const journaled = order?.legs.find((item) => item.leg === leg.leg);
      const key = legKey(leg.orderId, leg.leg);
      if (!order || !journaled || !PROTECTIVE_STATUSES_IN_FORCE.includes(journaled.status)) {
        this.#cancelsFailing.delete(key);
        continue;
      }
      // kept until the leg ends: a cancel that fails (or a stop before it ran) is tried again
      this.deps.journal.wantCancel(leg.orderId, leg.leg);
      const exchangeOrderId = journaled.exchangeOrderId ?? leg.exchangeOrderId;
      if (!exchangeOrderId) {
        if (journaled.status === 'received') {
          // never sent: it must not go out later
          this.deps.journal.updateLeg(leg.orderId, leg.leg, { status: 'cancelled', answeredAt: new Date().toISOString() });
          this.deps.publish(leg.orderId);
          continue;
        }
        // Sent, and its id not known yet: its create is on its way, or its answer was lost. Marking it
        // cancelled here would leave it live on the exchange, unfollowed; it is cancelled there once
        // its id is known: from the create's answer, or from the follower (OrderFollower.record).
        this.#cancelWhenKnown.add(key);
        if (!this.#sending.has(key)) await this.#learn(order, journaled.leg, journaled.clientOrderId);
        continue;
      }
      try {
        const { venue, market } = await this.deps.venueOf(order);
        this.deps.follower.record(leg.orderId, leg.leg, await venue.cancel(market, exchangeOrderId, true));
        this.#cancelsFailing.delete(key);
      } catch (error) {
        failed = true;
        this.#cancelsFailing.add(key);
        this.deps.log.warn('a protective order could not be cancelled; it stays followed and its cancel is tried again', { orderId: leg.orderId, leg: leg.leg, code: (error as { code?: string }).code ?? 'error' });
      }
    }
    if (failed) this.#retryCancelsLater();
    // another order's cancel getting through says nothing of one still failing: its backoff holds
    else if (this.#cancelsFailing.size === 0) this.#cancelRetryMs = CANCEL_RETRY_FIRST_MS;
  }

  /**
   * Cancels what was decided and has not ended: cancels that failed, and after a restart those the
   * last run decided but did not get through.
   */
  async resumeCancels(): Promise<void> {
    const wanted = this.deps.journal.cancelsWanted();
    // the failing ones ended meanwhile (filled, or cancelled after all): nothing is left to back off from
    const stillWanted = new Set(wanted.map((leg) => legKey(leg.orderId, leg.leg)));
    for (const key of this.#cancelsFailing) if (!stillWanted.has(key)) this.#cancelsFailing.delete(key);
    if (wanted.length > 0) await this.#cancel(wanted);
    else this.#cancelRetryMs = CANCEL_RETRY_FIRST_MS;
  }

  #retryCancelsLater(): void {
    if (this.#stopped || this.#cancelRetry) return;
    this.#cancelRetry = setTimeout(() => {
      this.#cancelRetry = null;
      void this.resumeCancels().catch((error: unknown) => this.deps.log.error('protective orders could not be cancelled', { error: (error as Error)?.name ?? 'Error' }));
    }, this.#cancelRetryMs);
    this.#cancelRetry.unref();
    this.#cancelRetryMs = Math.min(this.#cancelRetryMs * 2, CANCEL_RETRY_MAX_MS);
  }

  /** No more retries of cancels (the journal is closing); the next start resumes them. */
  stop(): void {
    this.#stopped = true;
    if (this.#cancelRetry) clearTimeout(this.#cancelRetry);
    this.#cancelRetry = null;
  }

  /** A leg whose answer was lost, asked for by its client id now rather than at the follower's next look. */
  async #learn(order: OrderView, leg: number, clientOrderId: string): Promise<void> {
    try {
      const { venue, market } = await this.deps.venueOf(order);
      const found = await venue.fetchLeg(market, null, clientOrderId, true);
      // not found: the follower keeps looking, and cancels it through #changed once it finds it
      if (!found) return;
      this.deps.follower.record(order.id, leg, found);
      // a record that changed nothing the journal shows tells no listener: cancelled here then
      await this.#cancelIfWanted(order.id, leg, found);
    } catch (error) {
      this.deps.log.warn('a protective order whose answer was lost could not be looked up to cancel it; it stays followed', { orderId: order.id, leg, code: (error as { code?: string }).code ?? 'error' });
    }
  }

  /** Cancels a leg whose cancel waited for its id; forgets the wish once the leg has ended anyway. */
  async #cancelIfWanted(orderId: number, leg: number, outcome: LegOutcome): Promise<void> {
    const key = legKey(orderId, leg);
    if (!this.#cancelWhenKnown.has(key)) return;
    const inForce = PROTECTIVE_STATUSES_IN_FORCE.includes(outcome.status);
    if (inForce && !outcome.exchangeOrderId) return;
    this.#cancelWhenKnown.delete(key);
    if (inForce) await this.#cancel([{ orderId, leg, exchangeOrderId: outcome.exchangeOrderId }]);
  }

  /**
   * A protective leg whose create went unanswered, and which the exchange does not have after the
   * follower's grace: the position still needs it, so it goes out again with the client id it was
   * journaled with (which keeps the exchange from holding two), as crash recovery does. Lost twice,
   * the order says protection_failed.
   */
  async #neverPlaced(orderId: number, legNumber: number): Promise<void> {
    const { journal } = this.deps;
    const order = journal.get(orderId);
    const leg = order?.legs.find((item) => item.leg === legNumber);
    if (!order || !leg || !isProtective(leg) || leg.status !== 'submitted') return;
    const key = legKey(orderId, legNumber);
    const unwanted = this.#cancelWhenKnown.delete(key) || order.legs.some((other) => isProtective(other) && other.leg !== legNumber && other.status === 'filled');
    if (unwanted || this.#placedAgain.has(key)) {
      journal.updateLeg(orderId, legNumber, { status: unwanted ? 'cancelled' : 'not_sent', error: unwanted ? null : NEVER_RECEIVED, answeredAt: new Date().toISOString() });
      this.deps.publish(orderId);
      if (!unwanted) this.#failed(order, `the ${roleName(leg)} at ${leg.triggerPrice ?? '?'}: ${NEVER_RECEIVED}`);
      return;
    }
    this.#placedAgain.add(key);
    this.deps.log.warn('a protective order the exchange never received is placed again', { orderId, leg: legNumber });
    journal.updateLeg(orderId, legNumber, { status: 'received' });
    await this.#send(order, [{ leg: leg.leg, clientOrderId: leg.clientOrderId, side: leg.side, amount: leg.amount, role: leg.role, trigger: Number(leg.triggerPrice) }]);
  }

  /** After a restart: protective legs journaled but never sent go out now, if their entry filled. */
  async complete(order: OrderView): Promise<void> {
    if (!order.protection || order.protection.style !== 'conditional' || order.error?.code === 'protection_failed') return;
    const { journal } = this.deps;
    const received = order.legs.filter((leg) => isProtective(leg) && leg.status === 'received');
    // one whose cancel was decided before the restart (its position ended) never goes out again
    const unwanted = received.filter((leg) => journal.isCancelWanted(order.id, leg.leg));
    for (const leg of unwanted) journal.updateLeg(order.id, leg.leg, { status: 'cancelled', answeredAt: new Date().toISOString() });
    if (unwanted.length > 0) this.deps.publish(order.id);
    const unsent = received.filter((leg) => !unwanted.includes(leg));
    if (unsent.length > 0) {
      await this.#send(
        order,
        unsent.map((leg) => ({ leg: leg.leg, clientOrderId: leg.clientOrderId, side: leg.side, amount: leg.amount, role: leg.role, trigger: Number(leg.triggerPrice) })),
      );
      return;
    }
    await this.entrySettled(order.id);
  }
}

function roleName(leg: { role?: ExchangeOrderView['role'] }): string {
  return leg.role === 'stop_loss' ? 'stop-loss' : 'take-profit';
}

/** What entry legs filled, signed: the order's move of the position. */
function movedBy(entries: readonly Pick<ExchangeOrderView, 'side' | 'filled'>[]): number {
  return entries.reduce((sum, leg) => roundAmount(sum + (leg.side === 'buy' ? 1 : -1) * Number(leg.filled)), 0);
}

/**
 * The signed part of a move that opened or grew a position in its own direction: what it added beyond
 * closing the position held before it. A Sarbuy of 2 from -1 buys 3 and opens 2; a buy of 2 from -3 opens nothing.
 */
function openedBy(held: number, moved: number): number {
  const direction = Math.sign(moved);
  const before = Math.max(0, held * direction);
  const after = Math.max(0, roundAmount(held * direction + Math.abs(moved)));
  return direction === 0 ? 0 : direction * roundAmount(after - before);
}

function legKey(orderId: number, leg: number): string {
  return `${orderId}:${leg}`;
}
