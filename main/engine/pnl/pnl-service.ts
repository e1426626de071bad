import type { PnlAnswer, PnlCurve } from '../../../shared/pnl-api.js';
import { startOfToday } from '../start-of-today.js';
import type { Fills } from '../store/fills.js';
import type { OpenBook } from './average-cost.js';
import { byStrategy } from './by-strategy.js';
import { periodStarts, pnlCurves, strategyPnl } from './pnl-report.js';

/** The market's price now for what is open, where the engine already holds one (no request is made for it). */
export type MarkSource = (open: OpenBook) => number | null;

/**
 * PnL per strategy from the fills table (README "PnL per strategy"): realized by average cost over
 * each strategy's own fills, fees apart, today / 7 days / 30 days / all, trades and win rate, and what
 * is left open valued at the price the engine holds now.
 */
export class PnlService {
  constructor(
    private readonly fills: Fills,
    private readonly strategyNames: () => string[],
    private readonly marks: MarkSource = () => null,
  ) {}

  report(options: { strategy?: string; now?: Date } = {}): PnlAnswer {
    const now = options.now ?? new Date();
    const todayFrom = startOfToday(now);
    const starts = periodStarts(now, todayFrom);
    const fills = this.fills.list(options.strategy === undefined ? {} : { strategy: options.strategy });
    // every strategy, traded or not, and any that traded before it was removed or renamed
    const groups = byStrategy(fills, options.strategy === undefined ? this.strategyNames() : [options.strategy]);
    const strategies = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, own]) => strategyPnl(name, own, starts, this.marks));
    return { strategies, todayFrom };
  }

  /** The cumulative net PnL curve of a strategy, or of an exchange account (every strategy's fills there). */
  curves(of: { strategy: string } | { exchange: string; account: string }): PnlCurve[] {
    if ('strategy' in of) return pnlCurves(of.strategy, this.fills.list({ strategy: of.strategy }));
    return pnlCurves(`${of.exchange}/${of.account}`, this.fills.list({ exchange: of.exchange, account: of.account }).filter((fill) => !fill.dryRun));
  }
}
