/**
 * PnL as GET /api/pnl and `apisify pnl --json` answer it: per strategy, realized by average cost over
 * the strategy's own fills, fees apart, in the currency each market settles its PnL in (USDT on linear
 * perpetuals and spot in USDT; the coin on inverse contracts). Amounts are decimal strings.
 */

export interface PnlPeriods {
  today: string;
  days7: string;
  days30: string;
  all: string;
}

/** One currency's figures: realized PnL (before fees), the fees paid in it, and the two together, per period. */
export interface CurrencyPnl {
  currency: string;
  realized: PnlPeriods;
  fees: PnlPeriods;
  /** Realized less fees: what the strategy made in this currency (what the UI's and the CLI's PnL show). */
  net: PnlPeriods;
}

/** A position the strategy's own fills leave open, valued at the market's price now when one is known. */
export interface OpenLot {
  exchange: string;
  account: string;
  dryRun: boolean;
  /** The market as the journal keeps it (ccxt's unified symbol, or the simulator's name). */
  symbol: string;
  /** Signed: positive long, negative short. */
  qty: string;
  averageCost: string;
  currency: string;
  /** null when no price is known now (offline, or the CLI, which reads no exchange). */
  markPrice: string | null;
  unrealized: string | null;
}

export interface StrategyPnl {
  strategy: string;
  currencies: CurrencyPnl[];
  /** Round trips closed (flat to flat; a reversal closes one and opens the next). */
  trades: number;
  /** Closed round trips that made money after their fees, as a fraction (0..1); null before the first. */
  winRate: number | null;
  open: OpenLot[];
  /** Fills the exchange gave no price for: left out of the figures, and counted here so nobody is misled. */
  unpriced: number;
}

/** One point of a cumulative PnL curve: seconds since the epoch (as charts take it) and the net PnL so far. */
export interface CurvePoint {
  time: number;
  value: string;
}

export interface PnlCurve {
  /** `strategy` or `account` (exchange/account). */
  of: string;
  currency: string;
  points: CurvePoint[];
}

export interface PnlAnswer {
  strategies: StrategyPnl[];
  /** When "today" began (the start of the day in the app's time zone), ISO. */
  todayFrom: string;
}
