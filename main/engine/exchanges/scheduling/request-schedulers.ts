import { binanceLimits } from './binance-limits.js';
import { bybitLimits } from './bybit-limits.js';
import type { ExchangeLimits } from './exchange-limits.js';
import { RequestScheduler } from './request-scheduler.js';

/** What an exchange instance needs to schedule its requests: whose limits, counted where. */
export interface RequestBudget {
  scheduler: RequestScheduler;
  limits: ExchangeLimits;
  /** The account the per-account (UID) rules count for. */
  account: string;
}

/**
 * One scheduler per exchange host: the limits per IP are shared by every account and market type that
 * talks to that host, the per-account ones are kept apart inside it by the account's name.
 */
export class RequestSchedulers {
  readonly #byHost = new Map<string, RequestScheduler>();
  readonly #limits = { bybit: bybitLimits(), binance: binanceLimits() };

  budgetFor(family: 'bybit' | 'binance', host: string, account: string): RequestBudget {
    const key = `${family}|${host}`;
    let scheduler = this.#byHost.get(key);
    if (!scheduler) {
      scheduler = new RequestScheduler();
      this.#byHost.set(key, scheduler);
    }
    return { scheduler, limits: this.#limits[family], account };
  }
}
