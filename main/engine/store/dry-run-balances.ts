import { formatAmount } from '../../../shared/decimal.js';
import type { Database } from './database.js';
import type { SimulatedAccountKey } from './dry-run-orders.js';

/** One currency of a simulated account, as kept: what it started with, and what fills moved since. */
export interface SimulatedBalance extends SimulatedAccountKey {
  currency: string;
  /** The starting amount of this currency; null until the account is first read in it. */
  starting: number | null;
  /** What `starting` was worth in the strategy's dryRunBalance terms when it was fixed (scales it when that setting changes). */
  startingValue: number | null;
  /** The sum of every fill's movement: realised PnL less fees on contracts, both coins of a spot trade. */
  moved: number;
  realizedPnl: number;
  fees: number;
  updatedAt: string;
}

export interface BalanceRow {
  strategy: string;
  exchange: string;
  currency: string;
  starting: string | null;
  starting_value: string | null;
  moved: string;
  realized_pnl: string;
  fees: string;
  updated_at: string;
}

export function toBalance(row: BalanceRow): SimulatedBalance {
  return {
    strategy: row.strategy,
    exchange: row.exchange,
    currency: row.currency,
    starting: row.starting === null ? null : Number(row.starting),
    startingValue: row.starting_value === null ? null : Number(row.starting_value),
    moved: Number(row.moved),
    realizedPnl: Number(row.realized_pnl),
    fees: Number(row.fees),
    updatedAt: row.updated_at,
  };
}

/** The simulated accounts' money, per strategy, exchange and currency (fills move it through DryRunLedger). */
export class DryRunBalances {
  readonly #select;
  readonly #selectOfAccount;
  readonly #selectOfStrategy;
  readonly #selectAll;
  readonly #fixStarting;

  constructor(db: Database) {
    this.#select = db.prepare<[string, string, string], BalanceRow>('SELECT * FROM dry_run_balances WHERE strategy = ? AND exchange = ? AND currency = ?');
    this.#selectOfAccount = db.prepare<[string, string], BalanceRow>('SELECT * FROM dry_run_balances WHERE strategy = ? AND exchange = ? ORDER BY currency');
    this.#selectOfStrategy = db.prepare<[string], BalanceRow>('SELECT * FROM dry_run_balances WHERE strategy = ? ORDER BY exchange, currency');
    this.#selectAll = db.prepare<[], BalanceRow>('SELECT * FROM dry_run_balances ORDER BY strategy, exchange, currency');
    // Only the first time: a starting amount, once fixed, is the account's history.
    this.#fixStarting = db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO dry_run_balances (strategy, exchange, currency, starting, starting_value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (strategy, exchange, currency) DO UPDATE SET starting = excluded.starting, starting_value = excluded.starting_value WHERE dry_run_balances.starting IS NULL`,
    );
  }

  get(account: SimulatedAccountKey, currency: string): SimulatedBalance | null {
    const row = this.#select.get(account.strategy, account.exchange, currency);
    return row ? toBalance(row) : null;
  }

  ofAccount(account: SimulatedAccountKey): SimulatedBalance[] {
    return this.#selectOfAccount.all(account.strategy, account.exchange).map(toBalance);
  }

  list(strategy?: string): SimulatedBalance[] {
    return (strategy ? this.#selectOfStrategy.all(strategy) : this.#selectAll.all()).map(toBalance);
  }

  /** Fixes what the account started with in `currency`, unless it already was; returns the balance as kept. */
  fixStarting(account: SimulatedAccountKey, currency: string, starting: number, startingValue: number): SimulatedBalance {
    this.#fixStarting.run(account.strategy, account.exchange, currency, formatAmount(starting), formatAmount(startingValue), new Date().toISOString());
    return this.get(account, currency) as SimulatedBalance;
  }
}
