import { formatAmount, roundAmount } from '../../../shared/decimal.js';
import type { DryRunPosition } from '../../../shared/api-types.js';
import type { Database } from './database.js';

export type { DryRunPosition } from '../../../shared/api-types.js';

interface PositionRow {
  strategy: string;
  exchange: string;
  symbol: string;
  qty: string;
  entry_price: string | null;
  updated_at: string;
}

/** A simulated fill of one leg. */
export interface DryRunFill {
  clientOrderId: string;
  /** Signed: positive bought, negative sold. */
  signedAmount: number;
  price: number;
}

function toPosition(row: PositionRow): DryRunPosition {
  return { strategy: row.strategy, exchange: row.exchange, symbol: row.symbol, qty: Number(row.qty), entryPrice: row.entry_price === null ? null : Number(row.entry_price), updatedAt: row.updated_at };
}

/**
 * The simulated positions of dry-run strategies, kept per strategy so rehearsals never mix. Statements
 * are prepared once: every dry-run order reads and writes here.
 */
export class DryRunPositions {
  readonly #select;
  readonly #selectOfStrategy;
  readonly #selectAll;
  readonly #selectFill;
  readonly #insertFill;
  readonly #upsert;
  readonly #applyFill;

  constructor(db: Database) {
    this.#select = db.prepare<[string, string, string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? AND exchange = ? AND symbol = ?');
    this.#selectOfStrategy = db.prepare<[string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? ORDER BY exchange, symbol');
    this.#selectAll = db.prepare<[], PositionRow>('SELECT * FROM dry_run_positions ORDER BY strategy, exchange, symbol');
    this.#selectFill = db.prepare<[string], { amount: string; price: string }>('SELECT amount, price FROM dry_run_fills WHERE client_order_id = ?');
    this.#insertFill = db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO dry_run_fills (client_order_id, strategy, exchange, symbol, amount, price, filled_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#upsert = db.prepare<[string, string, string, string, string | null, string]>(
      `INSERT INTO dry_run_positions (strategy, exchange, symbol, qty, entry_price, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (strategy, exchange, symbol) DO UPDATE SET qty = excluded.qty, entry_price = excluded.entry_price, updated_at = excluded.updated_at`,
    );
    this.#applyFill = db.transaction((strategy: string, exchange: string, symbol: string, fill: DryRunFill): DryRunPosition => {
      const { signedAmount, price } = fill;
      const now = new Date().toISOString();
      this.#insertFill.run(fill.clientOrderId, strategy, exchange, symbol, formatAmount(signedAmount), formatAmount(price), now);
      const current = this.get(strategy, exchange, symbol);
      const held = current?.qty ?? 0;
      const next = roundAmount(held + signedAmount);
      let entry: number | null;
      if (next === 0) entry = null;
      else if (held === 0 || Math.sign(next) !== Math.sign(held)) entry = price;
      else if (Math.abs(next) > Math.abs(held)) entry = ((current?.entryPrice ?? price) * Math.abs(held) + price * Math.abs(signedAmount)) / Math.abs(next);
      else entry = current?.entryPrice ?? price;
      this.#upsert.run(strategy, exchange, symbol, formatAmount(next), entry === null ? null : formatAmount(entry), now);
      return { strategy, exchange, symbol, qty: next, entryPrice: entry, updatedAt: now };
    });
  }

  get(strategy: string, exchange: string, symbol: string): DryRunPosition | null {
    const row = this.#select.get(strategy, exchange, symbol);
    return row ? toPosition(row) : null;
  }

  list(strategy?: string): DryRunPosition[] {
    const rows = strategy ? this.#selectOfStrategy.all(strategy) : this.#selectAll.all();
    return rows.map(toPosition);
  }

  /** The fill recorded for a leg, by its client order id; null when the leg never filled. */
  fillOf(clientOrderId: string): DryRunFill | null {
    const row = this.#selectFill.get(clientOrderId);
    return row ? { clientOrderId, signedAmount: Number(row.amount), price: Number(row.price) } : null;
  }

  /**
   * Applies a leg's fill and records it, in one transaction: adding to a position averages its entry,
   * reducing keeps it, crossing zero starts anew. A leg that already filled is refused.
   */
  applyFill(strategy: string, exchange: string, symbol: string, fill: DryRunFill): DryRunPosition {
    return this.#applyFill(strategy, exchange, symbol, fill);
  }
}
