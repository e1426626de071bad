/**
 * An exchange told apisify to stop sending for a while (a rate-limit refusal, a ban, a window its
 * answer says is used up): `why` says what, in words that follow the exchange's name. Thrown by the
 * scheduler, before anything is sent, for a request that would wait longer than it may.
 */
export class ExchangeHoldError extends Error {
  override readonly name = 'ExchangeHoldError';
  constructor(
    /** How long the hold still lasts, in ms. */
    readonly remainingMs: number,
    readonly why: string,
  ) {
    super(`${why}; nothing was sent (the hold ends in ${Math.ceil(remainingMs / 1000)} s)`);
  }
}
