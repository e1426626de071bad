import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * When a request's answer reached this process, for the scheduler's count of it. The exchange counted
 * the request when it arrived there, before it answered; the answer's bytes reaching the socket are
 * the earliest moment apisify sees that. Under a burst, ccxt may parse that answer many milliseconds
 * later, behind other orders' work: counting the window from then would hold the next orders back
 * by as much, for nothing. Carried by async context, as request-priority.ts is.
 */
export interface AnswerArrival {
  /** performance.now() when the answer's headers arrived; undefined until they do. */
  at: number | undefined;
  /** The answer's HTTP status and headers, for what they say of the exchange's limits (ExchangeLimits.heard). */
  status?: number;
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

const arrivals = new AsyncLocalStorage<AnswerArrival>();

/** Runs one request; its transport notes on `arrival` when the answer arrived. */
export function timingAnswer<T>(arrival: AnswerArrival, work: () => Promise<T>): Promise<T> {
  return arrivals.run(arrival, work);
}

/** The record of the request being sent here, if one is timed: the transport sets its `at`. */
export function answerArrivalHere(): AnswerArrival | undefined {
  return arrivals.getStore();
}
