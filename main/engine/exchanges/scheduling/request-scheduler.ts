/**
 * Admits requests to an exchange against its published limits, orders first. Each limit is a window
 * rule ("at most `limit` weight in any `windowMs`"), counted as a sliding log of what was admitted,
 * so time spent idle gives the budget back at once (ccxt's leaky bucket restarted its clock after an
 * idle spell, and every order paid the last request's cost). A sliding window is never looser than the
 * fixed clock-aligned windows Binance counts in, so keeping to it keeps to those too.
 *
 * Classes, in priority order: `order` (creates, cancels: what a trader waits for), `read` (reads an
 * order waits for: a position before a Close, a look-up after a lost answer) and `background`
 * (follow-ups, reconciliation, market refreshes). A waiting request of a higher class is always
 * admitted first where they share a rule, and background requests may fill only part of any rule, so
 * they can never stand between an order and the exchange.
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

/** How much of each rule a class may fill; the rest is kept for the classes above it. */
const CEILING: Readonly<Record<RequestClass, number>> = { order: 1, read: 0.9, background: 0.5 };
const PRIORITY: readonly RequestClass[] = ['order', 'read', 'background'];

interface RuleUse {
  rule: WindowRule;
  /** Admitted charges, oldest first: [time, weight]. */
  log: [number, number][];
  /** Sum of the log's weights. */
  used: number;
}

interface Waiting {
  charges: readonly Charge[];
  requestClass: RequestClass;
  admit: () => void;
}

export interface SchedulerOptions {
  /** Monotonic milliseconds. */
  now?: () => number;
  /**
   * Added to every window: a request admitted here reaches the exchange a little later, and two sent
   * exactly one window apart may arrive less than one window apart there.
   */
  marginMs?: number;
}

export class RequestScheduler {
  readonly #uses = new Map<string, RuleUse>();
  readonly #waiting: Record<RequestClass, Waiting[]> = { order: [], read: [], background: [] };
  readonly #now: () => number;
  readonly #marginMs: number;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;

  constructor(options: SchedulerOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#marginMs = options.marginMs ?? 50;
  }

  /** Resolves when the request may be sent; its charges are then counted as spent. */
  admit(charges: readonly Charge[], requestClass: RequestClass): Promise<void> {
    if (charges.length === 0) return Promise.resolve();
    const now = this.#now();
    if (!this.#anyWaiting(charges, requestClass) && this.#fits(charges, requestClass, now)) {
      this.#spend(charges, now);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting[requestClass].push({ charges, requestClass, admit: resolve });
      this.#pump();
    });
  }

  /** Weight counted on a rule within its window now (for tests and diagnostics). */
  used(rule: WindowRule): number {
    const use = this.#use(rule);
    this.#expire(use, this.#now());
    return use.used;
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
    return charges.every((charge) => this.#roomAt(charge, requestClass, now) <= now);
  }

  /** The earliest time at which the rule has room for the charge under the class's ceiling. */
  #roomAt(charge: Charge, requestClass: RequestClass, now: number): number {
    const use = this.#use(charge.rule);
    this.#expire(use, now);
    // A request heavier than the class's share still goes once the window is empty, or it never would.
    const capacity = Math.max(charge.rule.limit * CEILING[requestClass], Math.min(charge.weight, charge.rule.limit));
    let used = use.used;
    if (used + charge.weight <= capacity) return now;
    const span = charge.rule.windowMs + this.#marginMs;
    for (const [at, weight] of use.log) {
      used -= weight;
      if (used + charge.weight <= capacity) return at + span;
    }
    return now + span;
  }

  #spend(charges: readonly Charge[], now: number): void {
    for (const charge of charges) {
      const use = this.#use(charge.rule);
      use.log.push([now, charge.weight]);
      use.used += charge.weight;
    }
  }

  #expire(use: RuleUse, now: number): void {
    const since = now - use.rule.windowMs - this.#marginMs;
    let drop = 0;
    while (drop < use.log.length && (use.log[drop] as [number, number])[0] <= since) {
      use.used -= (use.log[drop] as [number, number])[1];
      drop += 1;
    }
    if (drop > 0) use.log.splice(0, drop);
  }

  #use(rule: WindowRule): RuleUse {
    let use = this.#uses.get(rule.id);
    if (!use) {
      use = { rule, log: [], used: 0 };
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
          this.#spend(waiting.charges, now);
          queue.splice(index, 1);
          waiting.admit();
          continue;
        }
        // it fits once every one of its rules has room
        if (!blockedBehind) wakeAt = Math.min(wakeAt, Math.max(...waiting.charges.map((charge) => this.#roomAt(charge, requestClass, now))));
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

function sharesRule(a: readonly Charge[], b: readonly Charge[]): boolean {
  return a.some((charge) => b.some((other) => other.rule.id === charge.rule.id));
}
