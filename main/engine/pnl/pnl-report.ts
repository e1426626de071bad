import { Decimal } from 'decimal.js';
import type { CurrencyPnl, CurvePoint, OpenLot, PnlCurve, PnlPeriods, StrategyPnl } from '../../../shared/pnl-api.js';
import type { Fill } from '../store/fills.js';
import { averageCost, type OpenBook, type PnlEvent } from './average-cost.js';

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

const text = (value: Decimal): string => value.toDecimalPlaces(12).toFixed();

function periodsOf(events: readonly PnlEvent[], starts: PeriodStarts): PnlPeriods {
  const sum = (from: string | null) => events.reduce((total, event) => (from === null || event.at >= from ? total.plus(event.amount) : total), new Decimal(0));
  return { today: text(sum(starts.today)), days7: text(sum(starts.days7)), days30: text(sum(starts.days30)), all: text(sum(null)) };
}

/** Fees paid count against what was realized. */
function netEvents(realized: readonly PnlEvent[], fees: readonly PnlEvent[]): PnlEvent[] {
  return [...realized, ...fees.map((fee) => ({ ...fee, amount: fee.amount.neg() }))];
}

/** One strategy's PnL from its own fills (oldest first). */
export function strategyPnl(strategy: string, fills: readonly Fill[], starts: PeriodStarts, markPrice: MarkPrice = () => null): StrategyPnl {
  const book = averageCost(fills);
  const currencies = [...new Set([...book.realized, ...book.fees].map((event) => event.currency))].sort();
  const byCurrency: CurrencyPnl[] = currencies.map((currency) => {
    const realized = book.realized.filter((event) => event.currency === currency);
    const fees = book.fees.filter((event) => event.currency === currency);
    return { currency, realized: periodsOf(realized, starts), fees: periodsOf(fees, starts), net: periodsOf(netEvents(realized, fees), starts) };
  });
  const wins = book.trips.filter((trip) => trip.realized.minus(trip.fees).gt(0)).length;
  return {
    strategy,
    currencies: byCurrency,
    trades: book.trips.length,
    winRate: book.trips.length === 0 ? null : wins / book.trips.length,
    open: book.open.map((open) => openLotOf(open, markPrice(open))),
    unpriced: book.unpriced,
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
 * something: a strategy's fills make its curve, an account's all strategies' fills there.
 */
export function pnlCurves(of: string, fills: readonly Fill[]): PnlCurve[] {
  const book = averageCost(fills);
  const events = netEvents(book.realized, book.fees).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const curves = new Map<string, { total: Decimal; points: CurvePoint[] }>();
  for (const event of events) {
    const curve = curves.get(event.currency) ?? { total: new Decimal(0), points: [] };
    curves.set(event.currency, curve);
    curve.total = curve.total.plus(event.amount);
    const time = Math.floor(Date.parse(event.at) / 1000);
    const last = curve.points.at(-1);
    // a chart takes one value per time: events in the same second end as the last of them
    if (last && last.time === time) last.value = text(curve.total);
    else curve.points.push({ time, value: text(curve.total) });
  }
  return [...curves.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, curve]) => ({ of, currency, points: curve.points }));
}
