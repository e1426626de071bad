import type { ExchangeConnection } from '../../../shared/engine-status.js';
import { EXCHANGE_NAMES, type ExchangeName } from '../../../shared/exchange-names.js';
import type { ApiError } from '../http/api-error.js';

/** Failures that say the account cannot trade now; an order the exchange refused says it can. */
const CONNECTIVITY_FAILURES: readonly string[] = ['exchange_unavailable', 'exchange_timeout', 'exchange_auth_failed', 'exchange_rate_limited', 'exchange_clock'];

/**
 * Each exchange account's connectivity as its requests show it, for the status bar and the tray: the
 * engine learns it from the work it does anyway (warm-up, orders, follow-ups, tests), asking nothing extra.
 */
export class ExchangeHealth {
  readonly #accounts = new Map<ExchangeName, ExchangeConnection>();

  constructor(private readonly onChange: () => void = () => undefined) {}

  /** After a request: `failure` null when the exchange answered, whatever it said. */
  record(exchange: ExchangeName, failure: ApiError | null): void {
    const failing = failure !== null && CONNECTIVITY_FAILURES.includes(failure.code);
    const previous = this.#accounts.get(exchange);
    const state = !failing ? 'ok' : failure.code === 'exchange_clock' ? 'clock' : 'failing';
    const next: ExchangeConnection = { exchange, state, at: new Date().toISOString(), message: failing ? failure.message : null };
    this.#accounts.set(exchange, next);
    if (previous?.state !== next.state || previous.message !== next.message) this.onChange();
  }

  /** An account removed or changed starts again unknown. */
  forget(exchange: ExchangeName): void {
    if (this.#accounts.delete(exchange)) this.onChange();
  }

  list(): ExchangeConnection[] {
    return EXCHANGE_NAMES.flatMap((name) => this.#accounts.get(name) ?? []);
  }
}
