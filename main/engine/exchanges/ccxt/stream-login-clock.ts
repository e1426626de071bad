import type { OwnedExchange } from './owned-exchange.js';

interface ClockedLogin {
  authenticate?: (...args: unknown[]) => Promise<unknown>;
  milliseconds: () => number;
  options: Record<string, unknown>;
}

/**
 * Bybit's private stream login signs an `expires` time taken from the machine's clock (ccxt 4.5.84's
 * pro `bybit.authenticate`: milliseconds() + 10 s), where its REST calls apply the clock difference
 * read from the exchange (`options.timeDifference`, in `nonce()`). With the machine more than 10 s
 * behind the exchange every login was refused while REST worked. The login is signed on the
 * exchange's clock, as REST is: ccxt computes `expires` before its first await, so the clock is
 * shifted for that synchronous part only.
 */
export function loginOnExchangeClock(exchange: OwnedExchange): void {
  const target = exchange as unknown as ClockedLogin;
  const login = target.authenticate;
  if (typeof login !== 'function') return;
  target.authenticate = (...args: unknown[]) => {
    const ownClock = Object.prototype.hasOwnProperty.call(target, 'milliseconds');
    const machine = target.milliseconds;
    const difference = Number(target.options['timeDifference'] ?? 0) || 0;
    target.milliseconds = () => machine.call(exchange) - difference;
    try {
      return login.apply(exchange, args);
    } finally {
      if (ownClock) target.milliseconds = machine;
      else delete (target as Partial<ClockedLogin>).milliseconds;
    }
  };
}
