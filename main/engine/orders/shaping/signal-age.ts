import { SIGNAL_FUTURE_TOLERANCE_MS } from '../../../../shared/order-shaping-fields.js';
import { ApiError } from '../../http/api-error.js';

/**
 * A signal's age against its max_lag (README "Late signals"), checked when the request arrives and
 * again just before the order is sent, after its wait in the symbol's queue. Pure.
 */

/** A signal_time this far ahead of apisify's clock is a wrong clock, not a signal from the future. */
export function refuseFutureSignal(signalTime: number, now: number): void {
  if (signalTime - now > SIGNAL_FUTURE_TOLERANCE_MS) {
    const ahead = Math.round((signalTime - now) / 1000);
    throw new ApiError(
      400,
      'invalid_field',
      `signal_time: ${new Date(signalTime).toISOString()} is ${ahead} s ahead of apisify's clock (${new Date(now).toISOString()}); at most ${SIGNAL_FUTURE_TOLERANCE_MS / 1000} s ahead is taken: check the sender's clock or this computer's`,
      'signal_time',
    );
  }
}

/** Why a signal is too old to send, or null while it is not. */
export function staleSignal(signalTime: number | null, maxLagS: number | null, now: number): { code: 'stale_signal'; message: string } | null {
  if (signalTime === null || maxLagS === null) return null;
  const ageMs = now - signalTime;
  if (ageMs <= maxLagS * 1000) return null;
  return { code: 'stale_signal', message: `${Math.round(ageMs / 1000)} s old, max_lag ${maxLagS} s: not sent` };
}
