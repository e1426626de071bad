import { ExchangeHoldError } from './exchange-hold.js';

/**
 * Admits requests to an exchange against its published limits, orders first. Each limit is a window
 * rule ("at most `limit` weight in any `windowMs`"), counted as a sliding log, so time spent idle gives
 * the budget back at once (ccxt's leaky bucket restarted its clock after an idle spell, and every order
 * paid the last request's cost). A sliding window is never looser than the fixed clock-aligned windows
 * Binance counts in, so keeping to it keeps to those too.
 *
 * The exchange counts a request when it arrives, which apisify cannot see; it can see that the request
 * left and that its answer came, and the arrival lies between. So a request counts from its admission
 * until a full window after its answer (or failure): however the network delays one request against
 * another, no window at the exchange ever holds more than the rule allows.
 *
 * Classes, in priority order: `order` (creates, cancels: what a trader waits for), `read` (reads an
 * order waits for: a position before a Close, a look-up after a lost answer) and `background`
 * (follow-ups, reconciliation, market refreshes). A waiting request of a higher class is always
 * admitted first where they share a rule, and background requests may fill only part of any rule, so
 * they can never stand between an order and the exchange.
 *
 * What the exchange itself says comes on top (hold()): a rate-limit refusal, a ban, or an answer that
 * says a window is used up (another program on the same IP or account spends it too) holds the rules
 * it names, or every request, until the exchange's time. An order or a read does not wait out a hold
 * longer than `holdWaitMs`: it is refused at once, unsent (ExchangeHoldError), rather than sent late
 * or into a ban; background requests wait.
 */
export type RequestClass = 'order' | 'read' | 'background';

export interface WindowRule {
  /** Unique within one scheduler, e.g. `uid:main:derivatives:POST /v5/order/create`. */
  readonly id: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface Charge {
  readonly rule: WindowRule;
  readonly weight: number;
}

/**
 * Called once the request's answer (or failure) came: from then on it counts for one more window.
 * `answeredAt` is when the answer reached the process, if known (answer-arrival.ts); never later than now.
 */
export type Release = (answeredAt?: number) => void;

/** How much of each rule a class may fill; the rest is kept for the classes above it. */
const CEILING: Readonly<Record<RequestClass, number>> = { order: 1, read: 0.9, background: 0.5 };
const PRIORITY: readonly RequestClass[] = ['order', 'read', 'background'];

interface RuleUse {
  rule: WindowRule;
  /** Weight admitted and not answered yet: it counts whatever its age. */
  inFlight: number;
  /** Answered charges, oldest answer first: [answered at, weight]. */
  log: [number, number][];
  /** Sum of the log's weights. */
  answered: number;
  /** The log's entry for what the exchange last counted beyond apisify's own (counted()); the next report replaces it. */
  others: [number, number] | null;
}

interface Waiting {
  charges: readonly Charge[];
  admit: (release: Release) => void;
  refuse: (error: ExchangeHoldError) => void;
}

/** Until when the exchange said to send nothing (more) on a rule, and why. */
interface Hold {
  until: number;
  why: string;
}

export interface SchedulerOptions {
  /** Monotonic milliseconds. */
  now?: () => number;
  /** The longest an order or a read waits for a hold to end; past it, it is refused unsent. */
  holdWaitMs?: number;
}

/** Bybit's per-account windows are a second long: a hold that short is waited out. */
const HOLD_WAIT_MS = 1_000;

export class RequestScheduler {
  readonly #uses = new Map<string, RuleUse>();
  readonly #waiting: Record<RequestClass, Waiting[]> = { order: [], read: [], background: [] };
  /** By rule id; expired ones are dropped as they are met. */
  readonly #holds = new Map<string, Hold>();
  /** A hold of every request (a ban of the IP). */
  #holdAll: Hold | null = null;
  readonly #now: () => number;
  readonly #holdWaitMs: number;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;

  constructor(options: SchedulerOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#holdWaitMs = options.holdWaitMs ?? HOLD_WAIT_MS;
  }

  /** Resolves with the request's release when it may be sent; rejects with ExchangeHoldError when it may not wait that long. */
  admit(charges: readonly Charge[], requestClass: RequestClass): Promise<Release> {
    const now = this.#now();
    const hold = this.#holdOf(charges, now);
    if (hold === null) {
      if (charges.length === 0) return Promise.resolve(() => undefined);
      if (!this.#anyWaiting(charges, requestClass) && this.#fits(charges, requestClass, now)) return Promise.resolve(this.#spend(charges));
    } else if (this.#refusedBy(hold, requestClass, now)) {
      return Promise.reject(new ExchangeHoldError(hold.until - now, hold.why));
    }
    return new Promise((resolve, reject) => {
      this.#waiting[requestClass].push({ charges, admit: resolve, refuse: reject });
      this.#pump();
    });
  }

  /**
   * The exchange said to send nothing on these rules (or at all) for `forMs` from now. Waiting orders
   * and reads that the hold keeps too long are refused now.
   */
  hold(rules: 'all' | readonly WindowRule[], forMs: number, why: string): void {
    const now = this.#now();
    if (!(forMs > 0)) return;
    const until = now + forMs;
    const longer = (current: Hold | null | undefined): Hold => (current && current.until >= until ? current : { until, why });
    if (rules === 'all') this.#holdAll = longer(this.#holdAll);
    else for (const rule of rules) this.#holds.set(rule.id, longer(this.#holds.get(rule.id)));
    for (const requestClass of ['order', 'read'] as const) {
      const queue = this.#waiting[requestClass];
      for (let index = 0; index < queue.length; ) {
        const waiting = queue[index] as Waiting;
        const hold = this.#holdOf(waiting.charges, now);
        if (hold !== null && this.#refusedBy(hold, requestClass, now)) {
          queue.splice(index, 1);
          waiting.refuse(new ExchangeHoldError(hold.until - now, hold.why));
        } else {
          index += 1;
        }
      }
    }
    this.#pump();
  }

  /**
   * The exchange counted `used` on the rule in its window, which ends in `forMs` (Binance's fixed
   * windows). What it counted beyond apisify's own count now is other programs' (a second bot on the
   * IP or account): it counts here too, until that window ends. The exchange's count of apisify's own
   * requests may lag what this one holds, so the difference is a floor of the others' share.
   */
  counted(rule: WindowRule, used: number, forMs: number): void {
    const use = this.#use(rule);
    const now = this.#now();
    this.#expire(use, now);
    const last = use.others;
    use.others = null;
    const at = last === null ? -1 : use.log.indexOf(last);
    if (last !== null && at >= 0) {
      use.log.splice(at, 1);
      use.answered -= last[1];
    }
    const others = used - (use.inFlight + use.answered);
    if (others > 0 && forMs > 0) {
      // an entry that leaves the log when the exchange's window ends
      use.others = [now + forMs - rule.windowMs, others];
      insertByTime(use.log, use.others);
      use.answered += others;
    }
    if (at >= 0 && this.waiting > 0) this.#pump();
  }

  /** Weight counted on a rule now, in flight and answered within its window (for tests and diagnostics). */
  used(rule: WindowRule): number {
    const use = this.#use(rule);
    this.#expire(use, this.#now());
    return use.inFlight + use.answered;
  }

  get waiting(): number {
    return PRIORITY.reduce((sum, requestClass) => sum + this.#waiting[requestClass].length, 0);
  }

  /** A request waits behind any earlier one of its class or above that shares one of its rules. */
  #anyWaiting(charges: readonly Charge[], requestClass: RequestClass): boolean {
    for (const higher of PRIORITY) {
      for (const waiting of this.#waiting[higher]) if (sharesRule(waiting.charges, charges)) return true;
      if (higher === requestClass) break;
    }
    return false;
  }

  #fits(charges: readonly Charge[], requestClass: RequestClass, now: number): boolean {
    return this.#holdOf(charges, now) === null && charges.every((charge) => this.#roomAt(charge, requestClass, now) <= now);
  }

  /** The hold in force on any of the charges' rules (or on every request) that ends last; null when none is. */
  #holdOf(charges: readonly Charge[], now: number): Hold | null {
    if (this.#holdAll && this.#holdAll.until <= now) this.#holdAll = null;
    let hold = this.#holdAll;
    if (this.#holds.size === 0) return hold;
    for (const charge of charges) {
      const held = this.#holds.get(charge.rule.id);
      if (!held) continue;
      if (held.until <= now) this.#holds.delete(charge.rule.id);
      else if (!hold || held.until > hold.until) hold = held;
    }
    return hold;
  }

  #refusedBy(hold: Hold, requestClass: RequestClass, now: number): boolean {
    return requestClass !== 'background' && hold.until - now > this.#holdWaitMs;
  }

  /**
   * The earliest time at which the rule has room for the charge under the class's ceiling; Infinity
   * when only answers still to come can make room (the next release wakes the queue).
   */
  #roomAt(charge: Charge, requestClass: RequestClass, now: number): number {
    const use = this.#use(charge.rule);
    this.#expire(use, now);
    // A request heavier than the class's share still goes once the rule is empty, or it never would.
    const capacity = Math.max(charge.rule.limit * CEILING[requestClass], Math.min(charge.weight, charge.rule.limit));
    let used = use.inFlight + use.answered;
    if (used + charge.weight <= capacity) return now;
    for (const [at, weight] of use.log) {
      used -= weight;
      if (used + charge.weight <= capacity) return at + charge.rule.windowMs;
    }
    return Infinity;
  }

  #spend(charges: readonly Charge[]): Release {
    for (const charge of charges) this.#use(charge.rule).inFlight += charge.weight;
    let released = false;
    return (answeredAt) => {
      if (released) return;
      released = true;
      const now = this.#now();
      const at = answeredAt === undefined ? now : Math.min(answeredAt, now);
      for (const charge of charges) {
        const use = this.#use(charge.rule);
        use.inFlight -= charge.weight;
        insertByTime(use.log, [at, charge.weight]);
        use.answered += charge.weight;
      }
      if (this.waiting > 0) this.#pump();
    };
  }

  #expire(use: RuleUse, now: number): void {
    const since = now - use.rule.windowMs;
    let drop = 0;
    while (drop < use.log.length && (use.log[drop] as [number, number])[0] <= since) {
      use.answered -= (use.log[drop] as [number, number])[1];
      drop += 1;
    }
    if (drop > 0) use.log.splice(0, drop);
  }

  #use(rule: WindowRule): RuleUse {
    let use = this.#uses.get(rule.id);
    if (!use) {
      use = { rule, inFlight: 0, log: [], answered: 0, others: null };
      this.#uses.set(rule.id, use);
    }
    return use;
  }

  /**
   * Admits every waiting request that fits, highest class first and in arrival order within a class;
   * one that does not fit holds back the later ones that share a rule with it (so a heavy request is
   * not starved by light ones). Then sleeps until the first one held back could fit.
   */
  #pump(): void {
    const now = this.#now();
    const held: (readonly Charge[])[] = [];
    let wakeAt = Infinity;
    for (const requestClass of PRIORITY) {
      const queue = this.#waiting[requestClass];
      for (let index = 0; index < queue.length; ) {
        const waiting = queue[index] as Waiting;
        const blockedBehind = held.some((charges) => sharesRule(charges, waiting.charges));
        if (!blockedBehind && this.#fits(waiting.charges, requestClass, now)) {
          queue.splice(index, 1);
          waiting.admit(this.#spend(waiting.charges));
          continue;
        }
        // it fits once every one of its rules has room and no hold is on it
        if (!blockedBehind) {
          const heldUntil = this.#holdOf(waiting.charges, now)?.until ?? now;
          wakeAt = Math.min(wakeAt, Math.max(heldUntil, ...waiting.charges.map((charge) => this.#roomAt(charge, requestClass, now))));
        }
        held.push(waiting.charges);
        index += 1;
      }
    }
    this.#sleepUntil(wakeAt);
  }

  #sleepUntil(at: number): void {
    if (at === Infinity || at >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    // Never zero: a rule just full frees up strictly after its oldest charge leaves the window.
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.#pump();
    }, Math.max(1, Math.ceil(at - this.#now())));
    this.#timer.unref();
  }
}

/** Answers are released about in time order, but one that arrived earlier may be released later: keep the log sorted. */
function insertByTime(log: [number, number][], entry: [number, number]): void {
  let index = log.length;
  while (index > 0 && (log[index - 1] as [number, number])[0] > entry[0]) index -= 1;
  log.splice(index, 0, entry);
}

function sharesRule(a: readonly Charge[], b: readonly Charge[]): boolean {
  return a.some((charge) => b.some((other) => other.rule.id === charge.rule.id));
}
