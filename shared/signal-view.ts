import type { OrderSource } from './order-view.js';

/**
 * One entry of the signal log: a request that reached POST /v1/order (or the manual form's confirm),
 * accepted or refused, as every reader (API, UI, CLI, CSV, notifications) sees it. Never carries a
 * secret: the key is masked and only the order's own fields are kept, each capped.
 */
export const SIGNAL_OUTCOMES = ['accepted', 'refused'] as const;
export type SignalOutcome = (typeof SIGNAL_OUTCOMES)[number];

export interface SignalView {
  id: number;
  /** When the request arrived (a rate-limit count: when its window closed). */
  at: string;
  /** Accepted: journaled (orderId says where). Refused: answered with an error, nothing journaled or sent. */
  outcome: SignalOutcome;
  /** Who sent it; null when the request was refused before its key was known. */
  source: OrderSource | null;
  /** The API key's label, when the key is known. */
  keyLabel: string | null;
  /** The key as sent, masked (ak_12ab…cdef). */
  apikeyMasked: string | null;
  clientAddress: string | null;
  strategy: string | null;
  exchange: string | null;
  symbol: string | null;
  side: string | null;
  orderType: string | null;
  qty: string | null;
  price: string | null;
  /** The answer's HTTP status. */
  status: number;
  /**
   * The answer's code: for a refusal or a failed order the error code (`unknown_strategy`,
   * `insufficient_funds`…); for an accepted order its status when answered (`filled`, `skipped`…), or
   * `duplicate` for a TradingView resend answered with the first order.
   */
  code: string;
  /** The request field a refusal is about. */
  field: string | null;
  /** Why: the error message, or an accepted order's plan. */
  message: string | null;
  /** The journal id of the order it placed (or, for a duplicate, of the first one). */
  orderId: number | null;
  /** How many requests this entry stands for: more than 1 only for rate-limit refusals, counted per window. */
  count: number;
}

export function isSignalOutcome(value: string): value is SignalOutcome {
  return (SIGNAL_OUTCOMES as readonly string[]).includes(value);
}
