import { formatAmount } from '../../../shared/decimal.js';
import type { OrderFields } from '../../../shared/order-request.js';
import { type ExchangeOrderView, FINAL_STATUSES, type OrderStatus, type OrderView } from '../../../shared/order-view.js';
import type { LiveAccounts } from '../accounts/live-accounts.js';
import { type Principal, replayed } from '../auth/authenticate.js';
import type { EventBus } from '../events/event-bus.js';
import type { Venues } from '../exchanges/venues.js';
import type { LegOutcome, LegToSend, MarketRef, Venue } from '../exchanges/venue.js';
import { ApiError } from '../http/api-error.js';
import type { Logger } from '../log.js';
import { clientOrderIdOf } from '../store/install-id.js';
import { type Journal, type NewJournalEntry, type NewLeg, type PlanShaping, type ProtectiveBook, protectiveBookOf, SpentSignatureError } from '../store/journal.js';
import type { Settings } from '../store/settings.js';
import type { MarketType, Strategies, Strategy } from '../store/strategies.js';
import { CrashRecovery, type RecoveryReport } from './crash-recovery.js';
import { decideOrder, type OrderDecision, queueingOf, refuseWhilePaused, type SettledOrder, settleOrder } from './order-decision.js';
import { legUpdateOf } from './leg-update.js';
import { TradeFills } from './trade-fills.js';
import { type FollowerTiming, OrderFollower } from './order-follower.js';
import { ProtectionKeeper } from './protection-keeper.js';
import { FOLLOWED_STATUSES, isProtective, statusOfLegs } from './order-status.js';
import { SymbolQueue } from './symbol-queue.js';

export interface PlaceOrderInput {
  fields: OrderFields;
  principal: Principal;
  /** The request as received, already stripped of its signature and with the key masked. */
  request: Record<string, unknown>;
  /** Set for unsigned (TradingView) requests: an identical body within the window is a resend. */
  bodyDigest: string | null;
  /** The manual form's confirm: what its preview showed, which the order must still be. */
  previewed?: { dryRun: boolean; marketType: MarketType; account: string };
}

/** How an order's execution ended. */
interface Execution {
  /** A leg was handed to a live exchange. */
  reachedExchange: boolean;
  /** The disk sync of everything journaled up to the last leg's create. */
  onDisk: Promise<void> | null;
  /** The order as published when its execution ended. */
  order: OrderView | null;
}

export interface PlacedOrder {
  order: OrderView;
  /** The request repeated one accepted moments ago; `order` is that first one, nothing was sent again. */
  duplicate: boolean;
  /** False when the wait bound passed before the exchange answered: the order goes on. */
  settled: boolean;
}

interface Dependencies {
  journal: Journal;
  accounts: LiveAccounts;
  strategies: Strategies;
  venues: Venues;
  events: EventBus;
  settings: () => Settings;
  installId: string;
  log: Logger;
  followerTiming?: Partial<FollowerTiming>;
}

/**
 * The one way an order is placed, for API keys and the UI alike (docs/architecture.md, "One order's way"):
 * authorize, settle the market, journal, then plan and execute in the symbol's queue.
 * Everything that can refuse a request happens before the journal write, so a refusal leaves no row.
 */
export class OrderService {
  readonly #queue = new SymbolQueue();
  /** Per symbol queue, the orders under way that place conditional protection once they fill. */
  readonly #protecting = new Map<string, number>();
  readonly #running = new Set<Promise<unknown>>();
  readonly follower: OrderFollower;
  readonly recovery: CrashRecovery;
  readonly protection: ProtectionKeeper;
  /** Reads the exchange's trades of live legs that ended with a fill, for exact fills and fees. */
  readonly tradeFills: TradeFills;

  constructor(private readonly deps: Dependencies) {
    this.follower = new OrderFollower(deps.journal, deps.accounts, (orderId) => this.#publish(orderId), deps.log, deps.followerTiming, (orderId) => this.#currentVenueOf(orderId));
    const venueOf = (order: OrderView) => this.#venueOf(order);
    const publish = (orderId: number) => this.#publish(orderId);
    this.protection = new ProtectionKeeper({
      journal: deps.journal,
      follower: this.follower,
      strategies: deps.strategies,
      installId: deps.installId,
      venueOf,
      position: (venue, market) => deps.accounts.position(venue, market),
      publish,
      events: { failed: (orderId, message) => deps.events.emit({ type: 'protection_failed', orderId, message }) },
      log: deps.log,
    });
    this.tradeFills = new TradeFills(deps.journal, venueOf, (venue, exchangeOrderId) => deps.accounts.pushedTrades(venue, exchangeOrderId), deps.log);
    this.follower.onChange((orderId, leg) => this.tradeFills.legChanged(orderId, leg));
    this.recovery = new CrashRecovery({
      journal: deps.journal,
      follower: this.follower,
      venueOf,
      publish,
      log: deps.log,
      completeProtection: (order) => this.protection.complete(order),
      afterPowerCut: () => deps.journal.possiblyLostIds() !== null,
      clientOrderIdOf: (orderId, leg) => clientOrderIdOf(deps.installId, orderId, leg),
    });
  }

  readonly #readPosition = (venue: Venue, market: MarketRef) => this.deps.accounts.position(venue, market);

  async place(input: PlaceOrderInput): Promise<PlacedOrder> {
    const { journal, strategies, venues } = this.deps;
    // One read of the settings per order: they live in SQLite so the CLI can change them.
    const settings = this.deps.settings();
    // A resend of an order accepted moments ago gets that order's answer, even once paused: a 503 would
    // only make TradingView send it again.
    const resent = this.#resendOf(input.bodyDigest, settings);
    if (resent) return resent;
    const { fields, principal } = input;
    // flatten's own orders go out while paused: pausing and flattening is the kill switch
    const whilePaused = principal.kind === 'flatten';
    if (!whilePaused) refuseWhilePaused(settings);
    const { strategy, account, venue, market } = await settleOrder(fields, principal, { strategies, venues });
    const { previewed } = input;
    if (previewed && (previewed.dryRun !== venue.dryRun || previewed.marketType !== market.type || previewed.account !== account.account)) {
      const now = `${venue.dryRun ? 'dry-run' : 'live'} ${market.type} on account ${account.account}`;
      const shown = `${previewed.dryRun ? 'dry-run' : 'live'} ${previewed.marketType} on account ${previewed.account}`;
      throw new ApiError(409, 'preview_outdated', `strategy: ${strategy.name} now trades ${now}, not ${shown} as the preview showed; preview the order again`, 'strategy');
    }

    // Again, since settling awaited: from here to the journal write nothing awaits, so two identical
    // resends cannot both pass.
    const resentMeanwhile = this.#resendOf(input.bodyDigest, settings);
    if (resentMeanwhile) return resentMeanwhile;
    const orderId = this.#recordUnlessReplayed({
      source: principal.kind === 'ui' || principal.kind === 'flatten' ? 'manual' : principal.signed ? 'api' : 'tradingview',
      apiKeyId: principal.kind === 'api-key' ? principal.keyId : null,
      strategy: strategy.name,
      exchange: fields.exchange,
      account: account.account,
      symbol: fields.symbol,
      side: fields.side,
      intent: fields.intent,
      orderType: fields.orderType,
      qty: fields.qty === null ? null : formatAmount(fields.qty),
      price: fields.price === null ? null : formatAmount(fields.price),
      memo: fields.memo,
      dryRun: venue.dryRun,
      market: { symbol: market.symbol, type: market.type },
      request: input.request,
      bodyDigest: input.bodyDigest,
      signatureDigest: principal.kind === 'api-key' ? principal.signatureDigest : null,
    });
    this.#publish(orderId);

    const queueKey = venue.queueKey(market);
    const book = protectiveBookOf({ dryRun: venue.dryRun, exchange: fields.exchange, strategy: strategy.name, account: account.account });
    const { wait, guarded, placesProtection: protecting } = queueingOf(fields, strategy, venue, market, () => this.#guarded(queueKey, book, market.symbol));
    if (protecting) this.#protecting.set(queueKey, (this.#protecting.get(queueKey) ?? 0) + 1);
    const execution = this.#queue.run(queueKey, wait, (left) => this.#execute(orderId, fields, strategy, venue, market, whilePaused, guarded, left));
    this.#running.add(execution);
    void execution.finally(() => {
      this.#running.delete(execution);
      if (protecting) this.#stoppedProtecting(queueKey);
    });

    const waitMs = settings.orderWaitMs;
    let timer: NodeJS.Timeout | undefined;
    const executed = await Promise.race([execution, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)))]);
    clearTimeout(timer);
    const settled = executed !== null;
    // What the answer says is on disk first. Once a leg reached the exchange, the sync that started as
    // it left covers everything up to sending it, and what the exchange answered is recovered from the
    // exchange by client order id after a crash (crash-recovery.ts): no second disk sync is needed. An
    // order that went out is answered as it stands even when that sync failed: it exists.
    if (executed?.reachedExchange === true && executed.onDisk) await this.#onDiskAfterSending(orderId, executed.onDisk);
    else await journal.durable();
    // Settled, the order is as its execution last published it; still under way, as it is now.
    const order = executed?.order ?? (journal.get(orderId) as OrderView);
    return { order, duplicate: false, settled: settled || FINAL_STATUSES.includes(order.status) || order.status === 'open' };
  }

  /**
   * Whether the market has conditional protection in force, or an order under way that places it: a
   * plain Buy or Sell there may end what it guards, so it waits for the orders before it to be
   * answered and reads the position (journaled with its plan), as a Close does. The keeper then knows
   * from that position what its fill ended, whatever later orders did meanwhile.
   */
  #guarded(queueKey: string, book: ProtectiveBook, marketSymbol: string): boolean {
    if ((this.#protecting.get(queueKey) ?? 0) > 0) return true;
    return this.deps.journal.openProtectiveLegs(book, marketSymbol).length > 0;
  }

  #stoppedProtecting(queueKey: string): void {
    const left = (this.#protecting.get(queueKey) ?? 1) - 1;
    if (left > 0) this.#protecting.set(queueKey, left);
    else this.#protecting.delete(queueKey);
  }

  /** The journal write; a signature some order already used (another run's, say) is a replay, refused before anything is recorded. */
  #recordUnlessReplayed(entry: NewJournalEntry): number {
    try {
      return this.deps.journal.record(entry);
    } catch (error) {
      if (error instanceof SpentSignatureError) throw replayed();
      throw error;
    }
  }

  /** For an unsigned request: the order an identical body placed within the duplicate window, answered as its resend. */
  #resendOf(bodyDigest: string | null, settings: Settings): PlacedOrder | null {
    if (!bodyDigest) return null;
    const { journal } = this.deps;
    const firstId = journal.findRecentByDigest(bodyDigest, new Date(Date.now() - settings.duplicateWindowMs).toISOString());
    const first = firstId === null ? null : journal.get(firstId);
    if (!first) return null;
    this.deps.log.info('an unsigned request repeated one accepted moments ago; answered with that order, nothing sent', { orderId: first.id });
    return { order: first, duplicate: true, settled: true };
  }

  /** Cancels the open legs of an order on its exchange (the UI's Cancel button). */
  async cancel(orderId: number): Promise<OrderView> {
    const { journal } = this.deps;
    const order = journal.get(orderId);
    if (!order) throw new ApiError(404, 'not_found', `no order with id ${orderId}`);
    const resting = (leg: ExchangeOrderView) => leg.status === 'open' || leg.status === 'partially_filled';
    const open = order.legs.filter((leg) => leg.exchangeOrderId && resting(leg));
    if (open.length === 0) throw new ApiError(409, 'not_open', `order ${orderId} has nothing open to cancel (status ${order.status})`);
    const protective = open.filter(isProtective);
    const entries = open.filter((leg) => !protective.includes(leg));
    if (entries.length > 0) {
      const { venue, market } = await this.#venueOf(order);
      for (const leg of entries) this.follower.record(orderId, leg.leg, await venue.cancel(market, leg.exchangeOrderId as string));
    }
    // a stop or target rests among the exchange's conditional orders; its cancel is kept until it ended
    if (protective.length > 0) {
      await this.protection.cancelLegs(protective.map((leg) => ({ orderId, leg: leg.leg, exchangeOrderId: leg.exchangeOrderId })));
      const armed = (journal.get(orderId)?.legs ?? []).filter((leg) => protective.some((asked) => asked.leg === leg.leg) && resting(leg));
      if (armed.length > 0) throw new ApiError(502, 'cancel_not_confirmed', `the exchange did not confirm the cancel of ${armed.map((leg) => (leg.role === 'stop_loss' ? 'the stop-loss' : 'the take-profit')).join(' and ')} of order ${orderId}; it stays armed for now, and its cancel is tried again until the exchange says it ended`);
    }
    return journal.get(orderId) as OrderView;
  }

  /** After a restart: settle what the last run left unfinished, and follow what is still open. */
  async recoverAfterRestart(): Promise<RecoveryReport> {
    const report = await this.recovery.run();
    // the protective orders the last run decided to cancel and did not get through
    await this.protection.resumeCancels();
    return report;
  }

  /**
   * Where an order was placed, for crash recovery, follow-ups and Cancel: the market it was journaled
   * with, whatever became of its strategy since. Orders journaled before the market was kept fall back
   * to their strategy's market type now.
   */
  async #venueOf(order: OrderView): Promise<{ venue: Venue; market: MarketRef }> {
    const marketType = order.market?.type ?? this.deps.strategies.find(order.strategy)?.marketType;
    if (order.dryRun) {
      // Its fills are in this data dir whatever became of the strategy since.
      const venue = this.deps.venues.simulator(order.strategy, order.exchange, marketType ?? 'swap');
      return { venue, market: order.market ?? (await venue.resolveMarket(order.symbol)) };
    }
    if (!marketType) throw new ApiError(409, 'unknown_strategy', `the strategy ${order.strategy} of order ${order.id} no longer exists`);
    const venue = await this.deps.venues.liveVenue({ exchange: order.exchange as OrderFields['exchange'], account: order.account }, marketType);
    return { venue, market: order.market ?? (await venue.resolveMarket(order.symbol)) };
  }

  /** A followed order's venue after its account changed; null once the account is gone. */
  async #currentVenueOf(orderId: number): Promise<Venue | null> {
    const order = this.deps.journal.get(orderId);
    if (!order) return null;
    try {
      return (await this.#venueOf(order)).venue;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'exchange_not_configured') return null;
      throw error;
    }
  }

  /** What place() would decide now, journaling and sending nothing: the manual form's preview. */
  async preview(fields: OrderFields, principal: Principal): Promise<SettledOrder & OrderDecision> {
    refuseWhilePaused(this.deps.settings());
    const settled = await settleOrder(fields, principal, this.deps);
    return { ...settled, ...(await decideOrder(fields, settled.strategy, settled.venue, settled.market, this.#readPosition)) };
  }

  /** Resolves when every order under way has been answered or has failed (for a clean stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }

  /** Never throws: every failure ends as the order's status and error in the journal. */
  async #execute(orderId: number, fields: OrderFields, strategy: Strategy, venue: Venue, market: MarketRef, whilePaused: boolean, guarded: boolean, left: () => void): Promise<Execution> {
    const { reachedExchange, decision, onDisk } = await this.#send(orderId, fields, strategy, venue, market, whilePaused, guarded, left);
    const order = this.deps.journal.get(orderId);
    this.#publish(orderId, order);
    if (order) this.tradeFills.orderAnswered(order);
    if (order && decision && !decision.skipped) await this.#afterEntry(order, decision);
    return { reachedExchange, order, onDisk };
  }

  /** A failed sync after a create left is the disk's trouble, not the order's: logged, and the next creates wait for the disk (Journal.sendable). */
  async #onDiskAfterSending(orderId: number, onDisk: Promise<void>): Promise<void> {
    try {
      await onDisk;
    } catch (error) {
      this.deps.log.error('the journal could not be synced to the disk after an order was sent; orders wait for the disk until a sync succeeds', { orderId, ...codeFieldOf(error) });
    }
  }

  /**
   * Once the entry's state is known: its conditional protection goes out if it filled, and an order
   * that ended or reversed the position retires the protective orders of earlier entries on that
   * market. A fill learnt later does both then (ProtectionKeeper, from the follower).
   */
  async #afterEntry(order: OrderView, decision: OrderDecision): Promise<void> {
    try {
      if (decision.protection?.style === 'conditional') await this.protection.entrySettled(order.id);
      if (order.legs.some((leg) => Number(leg.filled) > 0)) await this.protection.entryFilled(order.id);
    } catch (error) {
      this.deps.log.error('an order filled but its protection could not be kept', { orderId: order.id, error: (error as Error)?.name ?? 'Error' });
    }
  }

  /** Plans and sends the legs; says whether one was handed to a live exchange, and the sync of what was journaled before it left. */
  /** `left` once the last leg's create is handed to the venue: a later order that reads nothing this one changes may follow it then. */
  async #send(orderId: number, fields: OrderFields, strategy: Strategy, venue: Venue, market: MarketRef, whilePaused: boolean, guarded: boolean, left: () => void): Promise<Omit<Execution, 'order'> & { decision: OrderDecision | null }> {
    const { journal } = this.deps;
    let reachedExchange = false;
    let onDisk: Promise<void> | null = null;
    let decision: OrderDecision | null = null;
    try {
      const plan = await decideOrder(fields, strategy, venue, market, this.#readPosition, { guarded });
      decision = plan;
      const shaping = shapingOf(plan);
      if (plan.skipped) {
        journal.inOneCommit(() => {
          journal.plan(orderId, plan.description, [], 'skipped', shaping);
          if (plan.skipReason) journal.setStatus(orderId, 'skipped', plan.skipReason);
        });
        return { reachedExchange, decision, onDisk };
      }

      const legs: (LegToSend & { leg: number })[] = plan.legs.map((decided, index) => ({
        ...decided,
        clientOrderId: clientOrderIdOf(this.deps.installId, orderId, index + 1),
        leg: index + 1,
      }));
      const outcomes: LegOutcome[] = [];
      for (const leg of legs) {
        const sent = { status: 'submitted', sentAt: new Date().toISOString() } as const;
        if (leg.leg === 1) {
          journal.inOneCommit(() => {
            journal.plan(orderId, plan.description, legs.map(journaledLeg), 'submitted', shaping);
            journal.updateLeg(orderId, leg.leg, sent);
          });
          this.#publish(orderId);
        } else {
          journal.updateLeg(orderId, leg.leg, sent);
        }
        // The journal row, the plan and this leg are committed before anything reaches the exchange and
        // their disk sync runs beside the create (Journal.sendable: ids reserved on disk, so a power cut
        // that loses the rows never gives their client ids again); while the disk fails, it waits for it.
        const sendable = journal.sendable();
        onDisk = sendable.onDisk;
        const ready = sendable.ready.then(() => {
          // Pause means nothing more goes out, orders waiting in a symbol's queue included.
          if (!whilePaused && this.deps.settings().paused) throw new ApiError(503, 'trading_paused', 'trading was paused in apisify before this order was sent; it was not sent (nor will it be)');
          reachedExchange ||= !venue.dryRun;
        });
        // handled where it is awaited (submit); a leg refused before it waits for `ready` leaves it unawaited
        ready.catch(() => undefined);
        try {
          if (leg.leg === 1 && (plan.marginMode !== null || plan.leverage !== null)) {
            // The account settings the order needs come first: when the exchange refuses them, nothing was sent.
            await ready;
            if (plan.marginMode !== null) await venue.ensureMarginMode(market, plan.marginMode);
            if (plan.leverage !== null) await venue.setLeverage(market, plan.leverage);
          }
          const submitted = venue.submit(market, leg, ready);
          // the venue sends in the order it is handed creates: a later order handed its own now leaves after this one
          if (leg.leg === legs.length) left();
          const answered = await submitted;
          const followed = { orderId, leg: leg.leg, clientOrderId: leg.clientOrderId, exchangeOrderId: answered.exchangeOrderId, venue, market };
          // Accepted without its state (ids only): the answer waits to learn whether it filled or rests.
          const learnt = answered.status === 'submitted' ? await this.follower.learn(followed) : null;
          const outcome = learnt ? { ...learnt, exchangeOrderId: learnt.exchangeOrderId ?? answered.exchangeOrderId } : answered;
          this.deps.accounts.sawOrder(venue, market, outcome);
          outcomes.push(outcome);
          // Written before the follower starts: a change it already holds is applied on top of this.
          journal.inOneCommit(() => {
            journal.updateLeg(orderId, leg.leg, legUpdateOf(outcome));
            if (outcomes.length === legs.length) journal.setStatus(orderId, statusOfLegs(outcomes));
          });
          if (FOLLOWED_STATUSES.includes(outcome.status)) this.follower.follow({ ...followed, exchangeOrderId: outcome.exchangeOrderId }, outcome.status !== 'submitted');
        } catch (error) {
          this.#logUnexpected(orderId, error);
          const failure = asApiError(error);
          journal.updateLeg(orderId, leg.leg, { status: statusOfFailure(failure), error: failure.message, answeredAt: new Date().toISOString() });
          throw failure;
        }
      }
    } catch (error) {
      this.#logUnexpected(orderId, error);
      const failure = asApiError(error);
      journal.setStatus(orderId, statusOfFailure(failure), { code: failure.code, message: failure.message, ...(failure.field ? { field: failure.field } : {}) });
      return { reachedExchange, decision: null, onDisk };
    }
    return { reachedExchange, decision, onDisk };
  }

  /**
   * What the answer's internal_error points to: the error's kind and code and where it was thrown,
   * never its message (it may quote a request). Refusals (ApiError) are the order's own answer.
   */
  #logUnexpected(orderId: number, error: unknown): void {
    if (error instanceof ApiError) return;
    this.deps.log.error('an order failed inside apisify', { orderId, error: (error as Error | null)?.name ?? typeof error, ...codeFieldOf(error), at: thrownAt(error) });
  }

  /**
   * Tells the watchers that an order changed. Its view is read from the journal at most once, and
   * only if a watcher looks at it: the UI's event stream and the desktop's notifications do, the
   * tray's counters do not, so a headless server reads nothing. Watchers run at once, inside emit().
   */
  #publish(orderId: number, known: OrderView | null = null): void {
    const { journal, events } = this.deps;
    let order = known;
    events.emit({
      type: 'order',
      get order(): OrderView {
        order ??= journal.get(orderId) as OrderView;
        return order;
      },
    });
  }
}

function journaledLeg(leg: LegToSend & { leg: number }): NewLeg {
  const { attached: _attached, triggerPrice, ...rest } = leg;
  return { ...rest, amount: formatAmount(leg.amount), price: leg.price === null ? null : formatAmount(leg.price), triggerPrice: triggerPrice === undefined || triggerPrice === null ? null : formatAmount(triggerPrice) };
}

/** How the decision shaped the order, and the position it started from, as the journal keeps them (decimal text). */
function shapingOf(decision: OrderDecision): PlanShaping | null {
  const { sizing, protection, position } = decision;
  if (!sizing && !protection && !position) return null;
  const text = (value: number | null) => (value === null ? null : formatAmount(value));
  return {
    // in hedge mode a fill never nets against the other side: what it opened is all of it, and it ends nothing
    positionBefore: position?.mode === 'one-way' ? formatAmount(position.qty) : null,
    sizing: sizing && {
      unit: sizing.unit,
      input: formatAmount(sizing.input),
      basis: sizing.basis && { ...sizing.basis, value: formatAmount(sizing.basis.value) },
      referencePrice: text(sizing.referencePrice),
      amount: formatAmount(sizing.amount),
      notional: text(sizing.notional),
    },
    protection: protection && { stopLoss: text(protection.stopLoss), takeProfit: text(protection.takeProfit), style: protection.style, referencePrice: formatAmount(protection.referencePrice) },
  };
}

/**
 * A refusal (the exchange's, 422, or apisify's own once the order ran: 400, 403 a cap, 409 a margin
 * mode) is "rejected"; a pause before sending, "not_sent"; anything else that stopped the order, "error".
 */
function statusOfFailure(failure: ApiError): OrderStatus {
  if (failure.code === 'trading_paused') return 'not_sent';
  return [400, 403, 409, 422].includes(failure.status) ? 'rejected' : 'error';
}

/** The first frame of the error's stack inside the project (`main/engine/store/journal.ts:351:18`), or null. */
function thrownAt(error: unknown): string | null {
  const stack = (error as Error | null)?.stack ?? '';
  const frame = stack.split('\n').find((line) => /\/main\/engine\//.test(line));
  return frame?.match(/(main\/engine\/[^\s):]+:\d+:\d+)/)?.[1] ?? null;
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // An unexpected failure is reported without its internals: they may quote a request or a URL with keys.
  return new ApiError(500, 'internal_error', 'the order failed inside apisify; see the app log for details');
}

/** An error's own code, for a log line, when it has one (a message never goes there: it may quote a request). */
function codeFieldOf(error: unknown): { code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : {};
}
