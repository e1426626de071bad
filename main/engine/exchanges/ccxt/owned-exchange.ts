import type { Exchange } from 'ccxt';
import type { LimitedRequest } from '../scheduling/exchange-limits.js';
import { type AnswerArrival, timingAnswer } from '../scheduling/answer-arrival.js';
import { isBackground } from '../scheduling/request-priority.js';
import { untilSendable } from '../send-gate.js';
import type { Release } from '../scheduling/request-scheduler.js';
import type { RequestBudget } from '../scheduling/request-schedulers.js';
import { isClockError } from './ccxt-errors.js';

/** A ccxt instance whose requests and background work (sockets, timers) apisify owns. */
export interface OwnedExchange extends Exchange {
  /** close() refuses new sockets until this is called, so a watch still fetching a listen key cannot connect after it. */
  reopenSockets(): void;
  /** Schedules every REST request against the exchange's published limits (ccxt's own limiter stays off). */
  useBudget(budget: RequestBudget): void;
  /**
   * Calls `listener` with every result ccxt's websocket handlers resolve, by message hash, whether or
   * not a watch call waits for it: ccxt hands a result only to a call already waiting, so of several
   * messages read at once only the first reaches a loop of watch calls. Returns the unsubscribe.
   */
  onResolved(listener: ResolvedListener): () => void;
}

export type ResolvedListener = (messageHash: string, result: unknown) => void;

interface ResolvingClient {
  resolve(result: unknown, messageHash: string): unknown;
}

// A mixin's base must be constructible with any arguments (TypeScript's rule for class expressions).
export type AnyExchangeConstructor = new (...args: any[]) => Exchange;
export type OwnedExchangeConstructor = new (config: Record<string, unknown>) => OwnedExchange;

/**
 * The wrapper every instance apisify builds gets:
 * - ccxt schedules background work (Binance's listen key keep-alive every 20 minutes) with plain
 *   timers that would keep a stopping process alive that long: here they run unref'd, and close()
 *   cancels them along with the sockets and refuses new sockets.
 * - Its REST requests are admitted by apisify's scheduler (scheduling/), orders first, against the
 *   exchange's published limits, instead of ccxt's leaky bucket; what each answer says of the
 *   exchange's own count (a refusal, a ban, a window used up) holds the scheduler's rules it names.
 * - A request made inside sendAfter() (send-gate.ts) is admitted, built and signed at once, and
 *   written only once what must precede it is done.
 * - A request the exchange refused for its timestamp is sent once more after the clock difference is
 *   read again: a clock that drifts after start-up would otherwise fail every signed call until a restart.
 */
export function owned(Base: AnyExchangeConstructor): OwnedExchangeConstructor {
  return class extends Base implements OwnedExchange {
    readonly #timers = new Set<NodeJS.Timeout>();
    readonly #paths = new Map<string, string>();
    readonly #resolvedListeners = new Set<ResolvedListener>();
    readonly #tapped = new WeakSet<object>();
    #socketsClosed = false;
    #budget: RequestBudget | null = null;
    #resyncing: Promise<unknown> | null = null;

    useBudget(budget: RequestBudget): void {
      this.#budget = budget;
    }

    override async fetch2(path: string, api: unknown = 'public', method = 'GET', params: Record<string, unknown> = {}, headers?: unknown, body?: unknown, config: Record<string, unknown> = {}): Promise<unknown> {
      const request: LimitedRequest = { method, path: this.#urlPath(api, path), params };
      const send = async () => {
        const release = await this.#admit(request);
        const arrival: AnswerArrival = { at: undefined };
        try {
          return await timingAnswer(arrival, () => super.fetch2(path, api, method, { ...params }, headers, body, config));
        } finally {
          release(arrival.at);
          this.#heard(request, arrival);
        }
      };
      try {
        return await send();
      } catch (error) {
        if (!isClockError(error)) throw error;
        await this.#resyncClock();
        return await send();
      }
    }

    /** The last step before the bytes go out: an order's request waits here for its journal rows to be on disk (send-gate.ts). */
    override async fetch(url: string, method?: string, headers?: unknown, body?: unknown): Promise<unknown> {
      await untilSendable();
      return super.fetch(url, method, headers, body);
    }

    async #admit(request: LimitedRequest): Promise<Release> {
      const budget = this.#budget;
      if (!budget) return () => undefined;
      const requestClass = budget.limits.isOrder(request) ? 'order' : isBackground() ? 'background' : 'read';
      return budget.scheduler.admit(budget.limits.charges(request, budget.account), requestClass);
    }

    /** What the answer says of the exchange's own count goes to the scheduler: the counts it reports, the rules it holds (ExchangeLimits.heard). */
    #heard(request: LimitedRequest, arrival: AnswerArrival): void {
      const budget = this.#budget;
      if (!budget || arrival.status === undefined) return;
      // ccxt's timeDifference is the local clock less the exchange's (loadTimeDifference)
      const exchangeNow = Date.now() - (Number(this.options['timeDifference']) || 0);
      const heard = budget.limits.heard(request, budget.account, { status: arrival.status, headers: arrival.headers ?? {}, exchangeNow });
      for (const count of heard.counts) budget.scheduler.counted(count.rule, count.used, count.forMs);
      for (const hold of heard.holds) budget.scheduler.hold(hold.rules, hold.forMs, hold.why);
    }

    /** One re-read of the clock for all the requests that failed on it at once. */
    async #resyncClock(): Promise<void> {
      this.#resyncing ??= this.loadTimeDifference().finally(() => (this.#resyncing = null));
      await this.#resyncing;
    }

    /** The URL path a request goes to (`/v5/order/create`, `/fapi/v1/order`), which the limits are published by. */
    #urlPath(api: unknown, path: string): string {
      const key = `${String(api)}|${path}`;
      let urlPath = this.#paths.get(key);
      if (urlPath === undefined) {
        const bases = this.urls['api'] as Record<string, unknown> | undefined;
        const base = typeof api === 'string' && typeof bases?.[api] === 'string' ? (bases[api] as string) : '';
        // ccxt's URLs may hold placeholders ({hostname}) that URL() refuses: drop scheme and host as text
        const prefix = base.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/\/+$/, '');
        urlPath = `${prefix}/${path.replace(/^\/+/, '')}`;
        this.#paths.set(key, urlPath);
      }
      return urlPath;
    }

    override delay(timeout: number, method: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]): void {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.spawn(method, ...args);
      }, timeout);
      timer.unref();
      this.#timers.add(timer);
    }

    override client(url: string): ReturnType<Exchange['client']> {
      if (this.#socketsClosed) throw new Error(`${this.id} websockets were closed`);
      const client = super.client(url);
      if (!this.#tapped.has(client)) {
        this.#tapped.add(client);
        const resolving = client as unknown as ResolvingClient;
        const resolve = resolving.resolve.bind(resolving);
        resolving.resolve = (result, messageHash) => {
          for (const listener of this.#resolvedListeners) listener(messageHash, result);
          return resolve(result, messageHash);
        };
      }
      return client;
    }

    onResolved(listener: ResolvedListener): () => void {
      this.#resolvedListeners.add(listener);
      return () => this.#resolvedListeners.delete(listener);
    }

    reopenSockets(): void {
      this.#socketsClosed = false;
    }

    override async close(): Promise<void> {
      this.#socketsClosed = true;
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
      await super.close();
    }
  };
}
