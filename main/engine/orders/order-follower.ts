import { formatAmount } from '../../../shared/decimal.js';
import type { OrderStatus } from '../../../shared/order-view.js';
import type { LiveAccount } from '../accounts/live-account.js';
import type { LiveAccounts } from '../accounts/live-accounts.js';
import type { LegOutcome, MarketRef, StreamedOrder, Venue } from '../exchanges/venue.js';
import { inBackground } from '../exchanges/scheduling/request-priority.js';
import type { Logger } from '../log.js';
import type { Journal } from '../store/journal.js';
import { outcomeUnknown } from './crash-recovery.js';
import { legUpdateOf } from './leg-update.js';
import { FOLLOWED_STATUSES, statusOfLegs } from './order-status.js';

interface Followed {
  orderId: number;
  leg: number;
  clientOrderId: string;
  exchangeOrderId: string | null;
  venue: Venue;
  market: MarketRef;
  /** A protective leg: a conditional order, looked up where the exchange keeps those. */
  conditional?: boolean;
}

/** Told of every change the follower records, after it is journaled (OrderService acts on protective legs with it). */
export type LegChangeListener = (orderId: number, leg: number, outcome: LegOutcome) => void;

/** Takes over a protective leg the exchange never received (ProtectionKeeper: the position still needs it). */
export type NeverPlacedHandler = (orderId: number, leg: number) => void;

interface Entry extends Followed {
  /** Since when every look-up has answered that the exchange does not have it; null while it does. */
  missingSince: number | null;
  /** Look-ups that failed in a row (unreachable, rate limited): each one doubles the wait before the next. */
  failures: number;
  /** When the exchange was last asked about it by REST (or when following began). */
  checkedAt: number;
  /** The account stream's session in which it was last known current; null while pushes may have been missed. */
  syncedSession: number | null;
  /** Its account was removed, or its new credentials do not see it: left as it is (the order marked) until the account changes again. */
  parked: typeof ACCOUNT_REMOVED | typeof ACCOUNT_CHANGED | null;
  /** Moved to its account's changed credentials and not seen with them yet. */
  moved: boolean;
}

/**
 * Where a followed order's account trades now, for a venue retired by an account change: null when the
 * account was removed; throws when it cannot be readied now (tried again later).
 */
export type VenueSource = (orderId: number) => Promise<Venue | null>;

/** The mark an order gets while its account is gone, cleared when the account returns. */
const ACCOUNT_REMOVED = {
  code: 'account_removed',
  message: 'the exchange account this order is on was removed while it was open: it is left as it is on the exchange, and followed again once the account is set again',
} as const;

const ACCOUNT_CHANGED = {
  code: 'account_keys_changed',
  message:
    "this order was placed with the exchange account's previous credentials, and the current ones do not see it (a key of another sub-account?): it is left as it is on the exchange and no longer followed; it is followed again once the account's credentials change back",
} as const;

/** What the log says when an order is parked, by its mark. */
const PARKED_LOG: Readonly<Record<(typeof ACCOUNT_REMOVED | typeof ACCOUNT_CHANGED)['code'], string>> = {
  account_removed: 'an open order’s exchange account was removed; it is no longer followed until the account returns',
  account_keys_changed: 'an open order is not seen with its exchange account’s new credentials; it is no longer followed until they change again',
};

export interface FollowerTiming {
  /** How often an order is looked up by REST while its account's stream is not live. */
  pollMs: number;
  /** How often it is looked up anyway while the stream is live, so a missed push never leaves it stale. */
  reconcileMs: number;
  /** How long learn() waits for a live stream's push before it looks the order up by REST. */
  pushWaitMs: number;
  /**
   * How long a followed leg may stay unknown to the exchange before it is no longer followed: an
   * exchange may record an order a moment after the connection broke (then it is not_sent), or forget
   * an old one (then its outcome is unknown).
   */
  notFoundGraceMs: number;
}

export const DEFAULT_FOLLOWER_TIMING: FollowerTiming = {
  pollMs: 1_000,
  reconcileMs: 20_000,
  pushWaitMs: 250,
  notFoundGraceMs: 60_000,
};

/** Why a leg the exchange never knew is not_sent (the code crash recovery uses for the same finding). */
const NEVER_PLACED = {
  code: 'not_sent',
  message: "the exchange's answer to this order was lost and the exchange has no order with its client order id: it was not placed. apisify does not resend; place it again if you still want it.",
} as const;

/** States the exchange itself ended: an older answer arriving later cannot take a leg out of them. */
const EXCHANGE_FINAL: readonly OrderStatus[] = ['filled', 'cancelled', 'rejected'];

/** The longest wait between look-ups of a leg whose look-ups keep failing. */
const MAX_FAILURE_BACKOFF_MS = 60_000;

/**
 * Follows orders the exchange has not finished (resting Limits, Market orders whose fill was not in
 * the create answer). Where the venue's account has a private stream (live Bybit and Binance
 * accounts), its pushes bring the changes as the exchange makes them, and REST looks up each order
 * only to catch up after the stream (re)connects and, slowly, to reconcile; while the stream is down,
 * every order is polled each second. Every change is journaled and published as an order event.
 * Look-ups are background requests: they never stand between an order and the exchange.
 */
export class OrderFollower {
  readonly #followed = new Map<string, Entry>();
  /** The accounts whose pushes this follower takes (an account's venues may share one: Bybit's spot and contracts). */
  readonly #listening = new Map<LiveAccount, () => void>();
  /** Who waits in learn() for a push, by client order id. */
  readonly #learners = new Map<string, (pushed: StreamedOrder) => void>();
  readonly #timing: FollowerTiming;
  #timer: NodeJS.Timeout | null = null;
  #polling = false;
  /** Set by stop(): a look-up still on its way then journals nothing (the journal may be closed). */
  #stopped = false;
  readonly #changeListeners = new Set<LegChangeListener>();
  #neverPlaced: NeverPlacedHandler | null = null;

  constructor(
    private readonly journal: Journal,
    private readonly accounts: LiveAccounts,
    private readonly publish: (orderId: number) => void,
    private readonly log: Logger,
    timing: Partial<FollowerTiming> = {},
    /** Absent: a followed order's venue is never replaced (tests that follow one venue). */
    private readonly venueOf?: VenueSource,
  ) {
    this.#timing = { ...DEFAULT_FOLLOWER_TIMING, ...timing };
  }

  /**
   * `stateKnown`: false for a leg still `submitted` (the exchange has not said whether it filled, and
   * learn() could not find out): it is looked up at the next poll, not only at the slow reconciliation.
   */
  follow(entry: Followed, stateKnown = true): void {
    const account = this.#accountOf(entry.venue);
    const key = keyOf(entry.orderId, entry.leg);
    const followed: Entry = { ...entry, missingSince: null, failures: 0, checkedAt: Date.now(), syncedSession: stateKnown && account?.live ? account.session : null, parked: null, moved: false };
    this.#followed.set(key, followed);
    const alreadyPushed = account?.latestPush((pushed) => sameOrder(pushed, followed));
    if (alreadyPushed) this.#apply(key, followed, alreadyPushed);
    if (!this.#followed.has(key)) return;
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#round((item, now) => this.#due(item, now)), this.#timing.pollMs);
      this.#timer.unref();
    }
  }

  /**
   * The state of a leg the exchange accepted without telling it (Bybit answers a create with ids
   * only), for the order's answer; null when it could not be learnt. While the account's stream is
   * live it arrives as a push, often before the create's answer; without one within pushWaitMs, or at
   * once while the stream is not live, one REST look tells it. Records nothing: the caller journals
   * the state, and follows the leg if it rests open.
   */
  async learn(leg: Followed): Promise<LegOutcome | null> {
    const account = this.#accountOf(leg.venue);
    try {
      const pushed = account?.latestPush((candidate) => sameOrder(candidate, leg));
      if (pushed) return pushed;
      if (account?.live) {
        const arrived = await this.#pushWithin(leg.clientOrderId, this.#timing.pushWaitMs);
        if (arrived) return arrived;
      }
      return await leg.venue.fetchLeg(leg.market, leg.exchangeOrderId, leg.clientOrderId, leg.conditional === true);
    } catch (error) {
      this.log.warn('order look-up after create failed', { orderId: leg.orderId, code: (error as { code?: string }).code ?? 'error' });
      return null;
    }
  }

  #pushWithin(clientOrderId: string, waitMs: number): Promise<StreamedOrder | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#learners.delete(clientOrderId);
        resolve(null);
      }, waitMs);
      this.#learners.set(clientOrderId, (pushed) => {
        clearTimeout(timer);
        this.#learners.delete(clientOrderId);
        resolve(pushed);
      });
    });
  }

  /** The venue's live account, whose pushes this follower takes from now on; null for a dry run. */
  #accountOf(venue: Venue): LiveAccount | null {
    const account = this.accounts.of(venue);
    if (account && !this.#listening.has(account)) {
      this.#listening.set(account, account.onOrders((orders) => this.#pushed(account, orders)));
    }
    return account;
  }

  get size(): number {
    return this.#followed.size;
  }

  /** True while the venue's account stream is connected and subscribed (its orders settle by push). */
  streaming(venue: Venue): boolean {
    return this.accounts.of(venue)?.live ?? false;
  }

  /** Stops polling and journals nothing more; the account streams are closed by their owner (LiveAccounts). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const unsubscribe of this.#listening.values()) unsubscribe();
    this.#listening.clear();
  }

  /** One round over every followed order, due or not (also called directly by tests). */
  async poll(): Promise<void> {
    await this.#round(() => true);
  }

  async #round(due: (entry: Entry, now: number) => boolean): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const now = Date.now();
      await Promise.all(
        [...this.#followed.entries()]
          .filter(([, entry]) => due(entry, now))
          .map(([key, entry]) =>
            // A journal failure is logged, not left to end the process (the timer calls this with nobody to catch).
            inBackground(() => this.#check(key, entry)).catch((error: unknown) => this.log.error('a followed order could not be journaled', { orderId: entry.orderId, error: (error as Error)?.name ?? 'Error' })),
          ),
      );
    } finally {
      this.#polling = false;
      if (this.#followed.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    }
  }

  /**
   * An exchange account changed or went (CcxtAccounts.retireChanged): orders followed on its old
   * venue move to the new credentials, and are looked up there at once (pushes may have been missed);
   * those whose account went are parked and marked until it returns; those the new credentials do not
   * see wait for that account to change again. Nothing is asked with the old keys.
   */
  async accountsChanged(): Promise<void> {
    await Promise.all(
      [...this.#followed.entries()]
        .filter(([, entry]) => entry.venue.retired === true || entry.parked === ACCOUNT_REMOVED)
        .map(([key, entry]) => this.#reacquire(key, entry).catch((error: unknown) => {
          entry.failures += 1;
          this.log.warn('a followed order could not move to its changed account yet', { orderId: entry.orderId, code: (error as { code?: string }).code ?? 'error' });
        })),
    );
  }

  /** True when the entry has a current venue again. */
  async #reacquire(key: string, entry: Entry): Promise<boolean> {
    if (!this.venueOf) return !entry.venue.retired;
    const venue = await this.venueOf(entry.orderId);
    if (this.#stopped || this.#followed.get(key) !== entry) return false;
    if (venue === null || venue.retired === true) {
      if (!entry.parked) this.#mark(entry, ACCOUNT_REMOVED);
      return false;
    }
    entry.venue = venue;
    entry.syncedSession = null;
    entry.failures = 0;
    // the new credentials may be another sub-account's: the first look-up there tells (#check)
    entry.moved = true;
    this.#accountOf(venue);
    if (entry.parked) this.#mark(entry, null);
    return true;
  }

  /** Parks the entry with the reason its order is marked with, or follows it again (null). */
  #mark(entry: Entry, reason: typeof ACCOUNT_REMOVED | typeof ACCOUNT_CHANGED | null): void {
    entry.parked = reason;
    const order = this.journal.get(entry.orderId);
    if (!order) return;
    if (reason) this.journal.setStatus(entry.orderId, order.status, reason);
    else if (order.error?.code === ACCOUNT_REMOVED.code || order.error?.code === ACCOUNT_CHANGED.code) this.journal.setStatus(entry.orderId, order.status, null);
    this.log.warn(reason ? PARKED_LOG[reason.code] : 'an open order’s exchange account is back; following it again', { orderId: entry.orderId });
    this.publish(entry.orderId);
  }

  #due(entry: Entry, now: number): boolean {
    // parked: nothing to ask until its account returns (accountsChanged)
    if (entry.parked) return false;
    // After failed look-ups, back off (2 s, 4 s, ... up to a minute): an exchange that rate limits or
    // fails answers more of the same to a client that keeps asking every second (Binance then bans the IP).
    if (entry.failures > 0 && now - entry.checkedAt < Math.min(this.#timing.pollMs * 2 ** entry.failures, MAX_FAILURE_BACKOFF_MS)) return false;
    const account = this.accounts.of(entry.venue);
    if (!account?.live) return true;
    // the stream came up (or back) after the last look: what changed in between was not pushed
    if (entry.syncedSession !== account.session) return true;
    return now - entry.checkedAt >= this.#timing.reconcileMs;
  }

  async #check(key: string, entry: Entry): Promise<void> {
    if (entry.venue.retired === true) {
      try {
        if (!(await this.#reacquire(key, entry))) return;
      } catch (error) {
        entry.failures += 1;
        entry.checkedAt = Date.now();
        this.log.warn('order follow-up waits for its changed account', { orderId: entry.orderId, code: (error as { code?: string }).code ?? 'error', failures: entry.failures });
        return;
      }
    }
    const account = this.accounts.of(entry.venue);
    // taken before asking: a change after this moment is pushed, so the answer brings the leg up to date
    const session = account?.live ? account.session : null;
    entry.checkedAt = Date.now();
    let outcome: LegOutcome | null;
    try {
      outcome = await entry.venue.fetchLeg(entry.market, entry.exchangeOrderId, entry.clientOrderId, entry.conditional === true);
    } catch (error) {
      entry.failures += 1;
      this.log.warn('order follow-up failed', { orderId: entry.orderId, code: (error as { code?: string }).code ?? 'error', failures: entry.failures });
      return;
    }
    entry.failures = 0;
    // stopped meanwhile (the journal may be closed: the next start re-learns it), or settled meanwhile
    // by a push or a cancel (this answer may be the older one)
    if (this.#stopped || this.#followed.get(key) !== entry) return;
    entry.syncedSession = session;
    if (outcome) {
      entry.missingSince = null;
      entry.moved = false;
      this.#apply(key, entry, outcome);
      return;
    }
    // Not there with the account's new credentials: it rests where it was placed, which these keys do
    // not see. Left as it is and marked, rather than counted lost after the grace.
    if (entry.moved) {
      this.#mark(entry, ACCOUNT_CHANGED);
      return;
    }
    entry.missingSince ??= entry.checkedAt;
    if (entry.checkedAt - entry.missingSince >= this.#timing.notFoundGraceMs) this.#notFound(key, entry);
  }

  /**
   * A leg the exchange still does not return after the grace, and will not be asked about again (a leg
   * followed forever would poll it for good). Without the exchange's
   * id its create went unanswered and it was never placed: not_sent. With one it was placed, and how it
   * ended cannot be told (the exchange forgets old orders): an error that says so, never "not sent".
   */
  #notFound(key: string, entry: Entry): void {
    if (entry.conditional === true && entry.exchangeOrderId === null && this.#neverPlaced) {
      this.#unfollow(key);
      this.#neverPlaced(entry.orderId, entry.leg);
      return;
    }
    const status = entry.exchangeOrderId === null ? ('not_sent' as const) : ('error' as const);
    const verdict = entry.exchangeOrderId === null ? NEVER_PLACED : outcomeUnknown(entry.exchangeOrderId);
    const legs = this.journal.get(entry.orderId)?.legs.map((item) => (item.leg === entry.leg ? { ...item, status } : item)) ?? [];
    this.journal.inOneCommit(() => {
      this.journal.updateLeg(entry.orderId, entry.leg, { status, error: verdict.message, answeredAt: new Date().toISOString() });
      this.journal.setStatus(entry.orderId, statusOfLegs(legs), verdict);
    });
    this.log.warn('a followed order is not on the exchange; no longer followed', { orderId: entry.orderId, leg: entry.leg, status });
    this.publish(entry.orderId);
    this.#unfollow(key);
  }

  #unfollow(key: string): void {
    this.#followed.delete(key);
  }

  #pushed(account: LiveAccount, orders: StreamedOrder[]): void {
    if (this.#stopped) return;
    for (const pushed of orders) {
      if (pushed.clientOrderId !== null) this.#learners.get(pushed.clientOrderId)?.(pushed);
      for (const [key, entry] of this.#followed) {
        if (sameOrder(pushed, entry) && this.accounts.of(entry.venue) === account) this.#apply(key, entry, pushed);
      }
    }
  }

  #apply(key: string, entry: Entry, outcome: LegOutcome): void {
    // a fill a look-up found, which the stream never pushed, also means the position changed
    this.accounts.sawOrder(entry.venue, entry.market, outcome);
    this.record(entry.orderId, entry.leg, outcome);
    if (outcome.exchangeOrderId) entry.exchangeOrderId = outcome.exchangeOrderId;
    if (FOLLOWED_STATUSES.includes(outcome.status)) return;
    this.#unfollow(key);
  }

  /** A protective leg whose create went unanswered and that the exchange never received is the handler's, not not_sent. */
  onNeverPlaced(handler: NeverPlacedHandler): void {
    this.#neverPlaced = handler;
  }

  onChange(listener: LegChangeListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Writes a leg's new state and the order's status that follows from all its legs. */
  record(orderId: number, leg: number, outcome: LegOutcome): void {
    const before = this.journal.get(orderId);
    const previous = before?.legs.find((item) => item.leg === leg);
    if (previous && previous.status === outcome.status && previous.filled === formatAmount(outcome.filled)) return;
    // A REST answer under way when a push came can arrive after it: never go back from what the
    // exchange already ended, nor to a smaller fill.
    if (previous && EXCHANGE_FINAL.includes(previous.status) && !EXCHANGE_FINAL.includes(outcome.status)) return;
    if (previous && Number(previous.filled) > outcome.filled) return;
    const legs = before?.legs.map((item) => (item.leg === leg ? { ...item, status: outcome.status } : item)) ?? [];
    this.journal.inOneCommit(() => {
      this.journal.updateLeg(orderId, leg, legUpdateOf(outcome));
      if (before) this.journal.setStatus(orderId, statusOfLegs(legs), before.error);
    });
    this.publish(orderId);
    for (const listener of this.#changeListeners) listener(orderId, leg, outcome);
  }
}

function keyOf(orderId: number, leg: number): string {
  return `${orderId}:${leg}`;
}

function sameOrder(pushed: StreamedOrder, entry: Followed): boolean {
  return (pushed.exchangeOrderId !== null && pushed.exchangeOrderId === entry.exchangeOrderId) || pushed.clientOrderId === entry.clientOrderId;
}
