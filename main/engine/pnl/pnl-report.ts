import { Decimal } from 'decimal.js';
import type { CurrencyPnl, OpenLot, PnlCurve, PnlPeriods, StrategyPnl } from '../../../shared/pnl-api.js';
import type { OpenBook } from './average-cost.js';
import type { PnlLedger } from './pnl-ledger.js';
import { pnlText as text } from './pnl-text.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Where each period begins (ISO). */
export interface PeriodStarts {
  today: string;
  days7: string;
  days30: string;
}

export function periodStarts(now: Date, todayFrom: string): PeriodStarts {
  return { today: todayFrom, days7: new Date(now.getTime() - 7 * DAY_MS).toISOString(), days30: new Date(now.getTime() - 30 * DAY_MS).toISOString() };
}

/** The market's price now, for what a strategy holds open; null when none is known. */
export type MarkPrice = (open: OpenBook) => number | null;

const ZERO = new Decimal(0);

function periodsOf(sumFrom: (from: string | null) => Decimal, starts: PeriodStarts): PnlPeriods {
  return { today: text(sumFrom(starts.today)), days7: text(sumFrom(starts.days7)), days30: text(sumFrom(starts.days30)), all: text(sumFrom(null)) };
}

/** One strategy's PnL from the ledger of its own fills. */
export function strategyPnl(strategy: string, ledger: PnlLedger, starts: PeriodStarts, markPrice: MarkPrice = () => null): StrategyPnl {
  const currencies: CurrencyPnl[] = ledger.currencies().map((currency) => {
    const realized = (from: string | null) => ledger.realizedFrom(currency, from) ?? ZERO;
    const fees = (from: string | null) => ledger.feesFrom(currency, from) ?? ZERO;
    // fees paid count against what was realized
    return { currency, realized: periodsOf(realized, starts), fees: periodsOf(fees, starts), net: periodsOf((from) => realized(from).minus(fees(from)), starts) };
  });
  return {
    strategy,
    currencies,
    trades: ledger.trades,
    winRate: ledger.trades === 0 ? null : ledger.wins / ledger.trades,
    open: ledger.open().map((open) => openLotOf(open, markPrice(open))),
    unpriced: ledger.unpriced,
  };
}

function openLotOf(open: OpenBook, mark: number | null): OpenLot {
  let unrealized: Decimal | null = null;
  if (mark !== null && mark > 0) {
    const price = new Decimal(mark);
    unrealized =
      open.terms.kind === 'inverse'
        ? open.qty.times(new Decimal(1).div(open.averageCost).minus(new Decimal(1).div(price)))
        : open.qty.times(price.minus(open.averageCost));
  }
  return {
    exchange: open.exchange,
    account: open.account,
    dryRun: open.dryRun,
    symbol: open.symbol,
    qty: text(open.qty),
    averageCost: text(open.averageCost),
    currency: open.terms.currency,
    markPrice: mark === null ? null : text(new Decimal(mark)),
    unrealized: unrealized === null ? null : text(unrealized),
  };
}

/**
 * The cumulative net PnL (realized less fees, per currency) after each fill that realized or paid
 * something, one point per second: a strategy's ledger makes its curve, an account's all strategies'
 * fills there.
 */
export function pnlCurves(of: string, ledger: PnlLedger): PnlCurve[] {
  return ledger.curves().map(({ currency, points }) => ({ of, currency, points }));
}
