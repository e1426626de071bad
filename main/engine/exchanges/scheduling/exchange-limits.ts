import type { Charge, WindowRule } from './request-scheduler.js';

/** One REST request as the limits see it: `path` is the URL's path, e.g. `/fapi/v1/order`. */
export interface LimitedRequest {
  method: string;
  path: string;
  params: Readonly<Record<string, unknown>>;
}

/**
 * What one exchange's published limits charge a request. `account` keys the per-account (UID) rules;
 * the rules per IP are shared by every account that talks to the same host, since they share one
 * scheduler (scheduler-registry.ts).
 */
export interface ExchangeLimits {
  charges(request: LimitedRequest, account: string): Charge[];
  /** Places, changes or cancels an order: what the `order` class is for. */
  isOrder(request: LimitedRequest): boolean;
  /**
   * What an answer says of the exchange's own count, which also holds what other programs on the same
   * IP or account spent: the rules to hold (a refusal, a ban, a window it says is used up) and the
   * counts it reports.
   */
  heard(request: LimitedRequest, account: string, answer: HeardAnswer): Heard;
}

export interface Heard {
  holds: LimitHold[];
  counts: LimitCount[];
}

/** The part of an answer that speaks of the exchange's limits. */
export interface HeardAnswer {
  status: number;
  /** By lower-case name, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exchange's clock now, in epoch ms: its windows and reset times are counted on it. */
  exchangeNow: number;
}

/** Send nothing on these rules (or on the host at all) for `forMs`; `why` follows the exchange's name. */
export interface LimitHold {
  rules: 'all' | readonly WindowRule[];
  forMs: number;
  why: string;
}

/** The exchange counted `used` on the rule in its current window, which ends in `forMs`. */
export interface LimitCount {
  rule: WindowRule;
  used: number;
  forMs: number;
}

/** A header's value as a number; null when absent or not one. */
export function headerNumber(headers: HeardAnswer['headers'], name: string): number | null {
  const raw = headers[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Retry-After in seconds (the exchanges send seconds, never a date), as ms; null when absent. */
export function retryAfterMs(headers: HeardAnswer['headers']): number | null {
  const seconds = headerNumber(headers, 'retry-after');
  return seconds === null || seconds < 0 ? null : seconds * 1000;
}

/** The time left in a fixed window of the exchange's clock (Binance counts in these: a minute from :00). */
export function restOfFixedWindow(exchangeNow: number, windowMs: number): number {
  return (Math.floor(exchangeNow / windowMs) + 1) * windowMs - exchangeNow;
}

/** "METHOD /path" -> a value, with one fallback for what the table does not name. */
export function endpointKey(request: Pick<LimitedRequest, 'method' | 'path'>): string {
  return `${request.method.toUpperCase()} ${request.path}`;
}
