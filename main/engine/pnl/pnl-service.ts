import { accountKey } from '../../../shared/account-names.js';
import type { PnlAnswer, PnlCurve } from '../../../shared/pnl-api.js';
import { startOfToday } from '../start-of-today.js';
import type { Fills } from '../store/fills.js';
import type { OpenBook } from './average-cost.js';
import { FillLedgers } from './fill-ledgers.js';
import { PnlLedger } from './pnl-ledger.js';
import { periodStarts, pnlCurves, strategyPnl } from './pnl-report.js';

/** The market's price now for what is open, where the engine already holds one (no request is made for it). */
export type MarkSource = (open: OpenBook) => number | null;

/**
 * PnL per strategy from the fills table (README "PnL per strategy"): realized by average cost over
 * each strategy's own fills, fees apart, today / 7 days / 30 days / all, trades and win rate, and what
 * is left open valued at the price the engine holds now. Each strategy's and each live account's
 * fills are kept folded (`FillLedgers`): the Strategies page reloads on every order, and folding a
 * long journal again each time held every order behind it.
 */
export class PnlService {
  readonly #byStrategy: FillLedgers;
  readonly #byAccount: FillLedgers;

  constructor(
    fills: Fills,
    private readonly strategyNames: () => string[],
    private readonly marks: MarkSource = () => null,
  ) {
    this.#byStrategy = new FillLedgers(fills, { keyOf: (fill) => fill.strategy, queryOf: (fill) => ({ strategy: fill.strategy }) });
    this.#byAccount = new FillLedgers(fills, {
      keyOf: (fill) => (fill.dryRun ? null : accountKey(fill)),
      queryOf: (fill) => ({ exchange: fill.exchange, account: fill.account }),
    });
  }

  async report(options: { strategy?: string; now?: Date } = {}): Promise<PnlAnswer> {
    const now = options.now ?? new Date();
    const todayFrom = startOfToday(now);
    const starts = periodStarts(now, todayFrom);
    const ledgers = await this.#byStrategy.current();
    // every strategy, traded or not, and any that traded before it was removed or renamed
    const names = options.strategy === undefined ? [...new Set([...this.strategyNames(), ...ledgers.keys()])] : [options.strategy];
    const strategies = names.sort((a, b) => a.localeCompare(b)).map((name) => strategyPnl(name, ledgers.get(name) ?? new PnlLedger(), starts, this.marks));
    return { strategies, todayFrom };
  }

  /** Whether a strategy of this name ever filled (it may since have been removed or renamed). */
  async traded(strategy: string): Promise<boolean> {
    return (await this.#byStrategy.current()).has(strategy);
  }

  /** What each strategy's own fills leave open, per market of each account. */
  async openBooks(): Promise<Map<string, OpenBook[]>> {
    const ledgers = await this.#byStrategy.current();
    return new Map([...ledgers].map(([strategy, ledger]) => [strategy, ledger.open()]));
  }

  /** The cumulative net PnL curve of a strategy, or of an exchange account (every strategy's live fills there). */
  async curves(of: { strategy: string } | { exchange: string; account: string }): Promise<PnlCurve[]> {
    if ('strategy' in of) {
      const ledger = (await this.#byStrategy.current()).get(of.strategy);
      return ledger ? pnlCurves(of.strategy, ledger) : [];
    }
    const ledger = (await this.#byAccount.current()).get(accountKey(of));
    return ledger ? pnlCurves(accountKey(of), ledger) : [];
  }
}
