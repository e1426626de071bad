/**
 * POST /api/flatten (the Positions page, the tray, `apisify flatten`): what to flatten and what was
 * done. No field: every position of every account, live and dry run.
 */
export interface FlattenRequest {
  exchange?: string;
  /** One of the exchange's accounts (needs `exchange`): what is open there, never a dry run's; absent with an exchange: all of its accounts and the dry runs on it. */
  account?: string;
  /** Only this strategy's: its dry run's positions, or on the live accounts it may use, the symbols it built or may trade. */
  strategy?: string;
  /** Pause trading first (the kill switch): nothing new comes in; flatten's own orders still go out. */
  pause?: boolean;
}

/** One Close (or, for a position several strategies built, one strategy's share of it) that flatten placed. */
export interface FlattenClose {
  /** The journal order; null when it was refused before it was journaled. */
  orderId: number | null;
  exchange: string;
  account: string;
  strategy: string;
  symbol: string;
  status: string | null;
  /** Why it did not close (the order's or the refusal's message); null when it did. */
  error: string | null;
}

export interface FlattenAnswer {
  paused: boolean;
  closes: FlattenClose[];
  /** Open orders cancelled: resting entries, and the protective orders of what is now flat. */
  cancelled: { orderId: number; status: string }[];
  /** Accounts that could not be read, orders that could not be cancelled. */
  failures: { exchange: string; account: string; symbol: string | null; message: string }[];
}

/**
 * The strategy name flatten journals a Close under when no strategy's fills built the position (it was
 * opened outside apisify): a name no strategy can have, so it never mixes with one's PnL.
 */
export const FLATTEN_STRATEGY = '(flatten)';
