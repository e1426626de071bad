import { ApiError } from '../../http/api-error.js';
import { ExchangeHoldError } from '../scheduling/exchange-hold.js';

/** The names of an error's classes, itself first: ccxt's errors form a hierarchy (RequestTimeout is a NetworkError). */
export function errorClasses(error: unknown): string[] {
  const names: string[] = [];
  for (let proto = error && typeof error === 'object' ? Object.getPrototypeOf(error) : null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    names.push((proto as { constructor: { name: string } }).constructor.name);
  }
  return names;
}

/**
 * ccxt's errors that mean the exchange turned the request down, so that an order was not placed: a
 * refusal by its rules, by the account's means or keys, or by its rate limiter. Every other failure
 * of a create (a timeout, a lost connection, "system error", "execution status unknown", an answer
 * that could not be read) may have come after the order was taken: only a look-up can tell.
 */
const REFUSALS = [
  'InsufficientFunds',
  'AuthenticationError',
  'InvalidOrder',
  'BadRequest',
  'OperationRejected',
  'NotSupported',
  'ArgumentsRequired',
  'RateLimitExceeded',
  'DDoSProtection',
] as const;

/**
 * The exchange said the request's timestamp is off its clock (Binance -1021, Bybit 10002; ccxt's
 * InvalidNonce, though some of Binance's maps call -1021 BadRequest): refused before anything was done.
 */
export function isClockError(error: unknown): boolean {
  if (errorClasses(error).includes('InvalidNonce')) return true;
  const message = error instanceof Error ? error.message : '';
  return /"code"\s*:\s*-1021\b/.test(message) || /"retCode"\s*:\s*10002\b/.test(message);
}

/**
 * The exchange refused a create because its client order id is taken: the order is already there
 * (Binance USDⓈ-M -4116, its algo service -20132, spot -2010 "Duplicate order sent."; Bybit 110072,
 * spot 170141). A resend after a look-up that missed it, not a refusal of the order.
 */
export function isDuplicateClientId(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /"code"\s*:\s*-(4116|20132)\b/.test(message) || /"code"\s*:\s*-2010\b.*Duplicate order sent/.test(message) || /"retCode"\s*:\s*(110072|170141)\b/.test(message);
}

export function refusedByExchange(error: unknown): boolean {
  // held by the scheduler on what the exchange said: never sent
  if (error instanceof ApiError || error instanceof ExchangeHoldError || isClockError(error)) return true;
  const classes = errorClasses(error);
  return REFUSALS.some((name) => classes.includes(name));
}

/** Why an exchange's own message is not passed on verbatim: it can quote the request, and it is terse. */
function exchangeSaid(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // ccxt prefixes "bybit " and appends the raw JSON answer; keep it short and free of any URL query.
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300);
}

/** ccxt's error classes, mapped to the API's codes and statuses (422: the exchange refused; 429/502/504: could not ask). */
export function apiErrorFromCcxt(error: unknown, exchange: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ExchangeHoldError) {
    const seconds = Math.max(1, Math.ceil(error.remainingMs / 1000));
    return new ApiError(429, 'exchange_rate_limited', `${exchange} ${error.why}: apisify holds such requests for another ${seconds} s, and this one was not sent`, null, { 'Retry-After': String(seconds) });
  }
  const classes = errorClasses(error);
  const is = (name: string) => classes.includes(name);
  const detail = exchangeSaid(error);
  if (isClockError(error)) {
    return new ApiError(
      502,
      'exchange_clock',
      `${exchange} refused the request's timestamp even after apisify read the exchange's clock again: this computer's clock is off or jumping; set it to sync automatically (${detail})`,
    );
  }
  if (is('InsufficientFunds')) return new ApiError(422, 'insufficient_funds', `${exchange} refused the order: not enough balance or margin (${detail})`);
  if (is('AuthenticationError') || is('PermissionDenied') || is('AccountSuspended')) {
    return new ApiError(422, 'exchange_auth_failed', `${exchange} refused apisify's API credentials: check the key, its permissions and IP whitelist (${detail})`);
  }
  if (is('DDoSProtection') && /"code":\s*-2015\b/.test(detail)) {
    // ccxt turns Binance's -2015 into DDoSProtection once a key has worked, since Binance also sends it
    // during a temporary ban. A revoked key looks the same: say both, and never "try again shortly".
    return new ApiError(422, 'exchange_auth_failed', `${exchange} refused apisify's API key (-2015: invalid key, IP or permissions; Binance also says this during a temporary ban): check the key before sending more (${detail})`);
  }
  if (is('DuplicateOrderId')) return new ApiError(422, 'duplicate_order', `${exchange} already has an order with this client order id; it was not sent again (${detail})`);
  if (is('InvalidOrder') || is('BadSymbol') || is('BadRequest') || is('OrderNotFillable') || is('OrderImmediatelyFillable') || is('MarketClosed') || is('OperationRejected')) {
    return new ApiError(422, 'invalid_order', `${exchange} refused the order as invalid (${detail})`);
  }
  if (is('RateLimitExceeded') || is('DDoSProtection')) return new ApiError(429, 'exchange_rate_limited', `${exchange} is rate limiting apisify; the order was not placed, try again shortly`, null, { 'Retry-After': '5' });
  if (is('RequestTimeout')) return new ApiError(504, 'exchange_timeout', `${exchange} did not answer in time`);
  if (is('OnMaintenance') || is('ExchangeNotAvailable') || is('NetworkError')) return new ApiError(502, 'exchange_unavailable', `${exchange} is unreachable or failing (${detail})`);
  if (is('ExchangeError')) return new ApiError(422, 'exchange_error', `${exchange} refused the order (${detail})`);
  return new ApiError(502, 'exchange_error', `talking to ${exchange} failed (${detail})`);
}
