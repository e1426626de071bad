import type { ExchangeConnection } from '../../../shared/engine-status.js';
import { type AccountRef, accountKey } from '../../../shared/account-names.js';
import { EXCHANGE_NAMES } from '../../../shared/exchange-names.js';
import type { ApiError } from '../http/api-error.js';

/** Failures that say the account cannot trade now; an order the exchange refused says it can. */
const CONNECTIVITY_FAILURES: readonly string[] = ['exchange_unavailable', 'exchange_timeout', 'exchange_auth_failed', 'exchange_rate_limited', 'exchange_clock'];

/**
 * Each exchange account's connectivity as its requests show it, for the status bar and the tray: the
 * engine learns it from the work it does anyway (warm-up, orders, follow-ups, tests), asking nothing extra.
 */
export class ExchangeHealth {
  readonly #accounts = new Map<string, ExchangeConnection>();

  constructor(private readonly onChange: () => void = () => undefined) {}

  /** After a request: `failure` null when the exchange answered, whatever it said. */
  record(ref: AccountRef, failure: ApiError | null): void {
    const failing = failure !== null && CONNECTIVITY_FAILURES.includes(failure.code);
    const key = accountKey(ref);
    const previous = this.#accounts.get(key);
    const state = !failing ? 'ok' : failure.code === 'exchange_clock' ? 'clock' : 'failing';
    const next: ExchangeConnection = { exchange: ref.exchange, account: ref.account, state, at: new Date().toISOString(), message: failing ? failure.message : null };
    this.#accounts.set(key, next);
    if (previous?.state !== next.state || previous.message !== next.message) this.onChange();
  }

  /** An account removed or changed starts again unknown. */
  forget(ref: AccountRef): void {
    if (this.#accounts.delete(accountKey(ref))) this.onChange();
  }

  /** In the spec's order of exchanges, then by account name. */
  list(): ExchangeConnection[] {
    const order = (connection: ExchangeConnection) => EXCHANGE_NAMES.indexOf(connection.exchange as (typeof EXCHANGE_NAMES)[number]);
    return [...this.#accounts.values()].sort((a, b) => order(a) - order(b) || a.account.localeCompare(b.account));
  }
}
