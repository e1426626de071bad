import type { Logger } from '../log.js';
import { ApiError } from './api-error.js';
import { type BucketLimit, TokenBuckets } from './token-buckets.js';

/** A flood is logged as a count every so often, not line by line. */
const REPORT_EVERY_MS = 10_000;

/**
 * The /v1/order rate limits: per API key once the key is authenticated (so a stranger cannot spend a
 * real key's tokens), and per client address for the requests refused before that (malformed,
 * unauthenticated, wrong Host or method: refusal-limit.ts). An authenticated order never spends its
 * address's tokens: every local bot and every tunnel client arrives from 127.0.0.1, and junk from
 * one of them must not starve the others' real orders.
 */
export class OrderRateLimits {
  readonly #addresses: TokenBuckets;
  readonly #keys: TokenBuckets;
  #refusedSinceReport = 0;
  #reportedAt = -Infinity;

  constructor(private readonly log: Logger, private readonly now: () => number = () => performance.now()) {
    this.#addresses = new TokenBuckets(now);
    this.#keys = new TokenBuckets(now);
  }

  /** A request from `address` was refused: it costs a token, and past the limit the answer is a 429 instead. */
  chargeRefusal(address: string, limit: BucketLimit): void {
    this.#refuseIfWaiting(this.#addresses.take(address, limit), `too many refused requests from ${address}`);
  }

  checkKey(keyId: number, keyLabel: string, limit: BucketLimit): void {
    this.#refuseIfWaiting(this.#keys.take(String(keyId), limit), `too many orders for API key "${keyLabel}"`);
  }

  #refuseIfWaiting(waitSeconds: number, what: string): void {
    if (waitSeconds <= 0) return;
    this.#refusedSinceReport += 1;
    if (this.now() - this.#reportedAt >= REPORT_EVERY_MS) {
      this.log.warn('requests refused by the rate limit', { refused: this.#refusedSinceReport, latest: what });
      this.#refusedSinceReport = 0;
      this.#reportedAt = this.now();
    }
    const retryAfter = Math.max(1, Math.ceil(waitSeconds));
    throw new ApiError(429, 'rate_limited', `${what}; retry in ${retryAfter} s (the limits are in apisify's settings)`, null, { 'Retry-After': String(retryAfter) });
  }
}
