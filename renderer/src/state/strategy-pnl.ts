import type { CurrencyPnl, OpenLot, PnlCurve, PnlPeriods, StrategyPnl } from '../../../shared/pnl-api.js';
import type { EquityPoint } from './equity-series.js';
import { groupThousands } from './order-format.js';

/**
 * A strategy's PnL (GET /api/pnl) as the Strategies page shows it: net of fees (the engine's `net`,
 * realized less what was paid), per currency, today / 7 d / 30 d / all, its trades and win rate, and
 * what its own fills hold open.
 */

export type PnlTone = 'gain' | 'loss' | 'flat';

export function toneOf(text: string): PnlTone {
  const value = Number(text);
  return value > 0 ? 'gain' : value < 0 ? 'loss' : 'flat';
}

/**
 * An amount for reading: at most 8 decimals (a coin's satoshi), its whole part grouped, a gain
 * signed "+": "+9.3345", "-1,204.5", "0". The exact figure is the engine's text, kept for a tooltip.
 */
export function formatMoney(text: string, signed = true): string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const fixed = value.toFixed(8).replace(/\.?0+$/, '');
  const plain = fixed === '-0' ? '0' : fixed;
  return `${signed && value > 0 && plain !== '0' ? '+' : ''}${groupThousands(plain)}`;
}

export interface PnlCellLine {
  currency: string;
  today: string;
  all: string;
  tone: PnlTone;
}

/** The table's cell: per currency, today and all, net of fees. Empty: nothing realized yet. */
export function pnlCell(pnl: StrategyPnl | undefined): PnlCellLine[] {
  return (pnl?.currencies ?? []).map((currency) => ({ currency: currency.currency, today: formatMoney(currency.net.today), all: formatMoney(currency.net.all), tone: toneOf(currency.net.all) }));
}

export const PERIODS: readonly { key: keyof PnlPeriods; label: string }[] = [
  { key: 'today', label: 'Today' },
  { key: 'days7', label: '7 d' },
  { key: 'days30', label: '30 d' },
  { key: 'all', label: 'All' },
];

export interface PeriodRow {
  label: string;
  realized: string;
  fees: string;
  net: string;
  tone: PnlTone;
}

/** The detail's table for one currency: a row per period, realized and fees apart, then net. */
export function periodRows(currency: CurrencyPnl): PeriodRow[] {
  return PERIODS.map(({ key, label }) => ({
    label,
    realized: formatMoney(currency.realized[key]),
    fees: formatMoney(currency.fees[key], false),
    net: formatMoney(currency.net[key]),
    tone: toneOf(currency.net[key]),
  }));
}

export function winRateText(pnl: Pick<StrategyPnl, 'winRate' | 'trades'>): string {
  if (pnl.winRate === null) return 'no closed trade yet';
  const wins = Math.round(pnl.winRate * pnl.trades);
  return `${Math.round(pnl.winRate * 100)} % (${wins} of ${pnl.trades})`;
}

export interface OpenLotRow {
  key: string;
  account: string;
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  averageCost: string;
  mark: string;
  unrealized: string;
  tone: PnlTone;
}

export function openLotRows(lots: readonly OpenLot[]): OpenLotRow[] {
  return lots.map((lot) => {
    const qty = Number(lot.qty);
    return {
      key: `${lot.exchange}|${lot.account}|${lot.dryRun ? 'dry' : 'live'}|${lot.symbol}`,
      account: lot.dryRun ? `${lot.exchange} · dry run` : `${lot.exchange} · ${lot.account}`,
      symbol: lot.symbol,
      side: qty < 0 ? 'short' : 'long',
      qty: formatMoney(String(Math.abs(qty)), false),
      averageCost: formatMoney(lot.averageCost, false),
      mark: lot.markPrice === null ? '—' : formatMoney(lot.markPrice, false),
      unrealized: lot.unrealized === null ? '—' : `${formatMoney(lot.unrealized)} ${lot.currency}`,
      tone: lot.unrealized === null ? 'flat' : toneOf(lot.unrealized),
    };
  });
}

export interface CurrencyCurve {
  currency: string;
  points: EquityPoint[];
  /** Where it ends, as the engine wrote it, for reading ("+9.3345"). */
  last: string;
}

/** The cumulative net PnL curve of each currency, as the equity chart's points (seconds since the epoch). */
export function equityCurves(curves: readonly PnlCurve[]): CurrencyCurve[] {
  return curves.map((curve) => ({
    currency: curve.currency,
    points: curve.points.map((point) => ({ time: point.time, value: Number(point.value) })),
    last: formatMoney(curve.points.at(-1)?.value ?? '0'),
  }));
}
