import type { DryRunPosition } from '../../../shared/api-types.js';
import type { Database } from './database.js';

export type { DryRunPosition } from '../../../shared/api-types.js';

/** A simulated position with what its margin, fees and PnL are counted from. */
export interface SimulatedPosition extends DryRunPosition {
  marketType: 'swap' | 'spot';
  /** null for a position kept before the simulator knew its market's terms (counted as linear in its quote). */
  settle: string | null;
  contract: 'linear' | 'inverse' | null;
  contractSize: number;
  /** The leverage set for the market (setLeverage); null: none was set (1x). */
  leverage: number | null;
  /** Realised on this market so far, before fees, in the settle currency. */
  realizedPnl: number;
  /** Paid on this market so far (contracts: the settle currency; spot: each fill's received coin, summed as numbers). */
  fees: number;
}

export interface PositionRow {
  strategy: string;
  exchange: string;
  market_type: 'swap' | 'spot';
  symbol: string;
  qty: string;
  entry_price: string | null;
  settle: string | null;
  contract: 'linear' | 'inverse' | null;
  contract_size: string;
  leverage: string | null;
  realized_pnl: string;
  fees: string;
  updated_at: string;
}

/** A simulated fill of one leg, by its client order id. */
export interface DryRunFill {
  clientOrderId: string;
  /** Signed: positive bought, negative sold. */
  signedAmount: number;
  price: number;
  fee: number | null;
  feeCurrency: string | null;
  realizedPnl: number | null;
  liquidity: 'maker' | 'taker' | null;
}

export function toPosition(row: PositionRow): SimulatedPosition {
  return {
    strategy: row.strategy,
    exchange: row.exchange,
    symbol: row.symbol,
    qty: Number(row.qty),
    entryPrice: row.entry_price === null ? null : Number(row.entry_price),
    updatedAt: row.updated_at,
    marketType: row.market_type,
    settle: row.settle,
    contract: row.contract,
    contractSize: Number(row.contract_size),
    leverage: row.leverage === null ? null : Number(row.leverage),
    realizedPnl: Number(row.realized_pnl),
    fees: Number(row.fees),
  };
}

interface FillRow {
  amount: string;
  price: string;
  fee: string | null;
  fee_currency: string | null;
  realized_pnl: string | null;
  liquidity: 'maker' | 'taker' | null;
}

/**
 * The simulated positions of dry-run strategies, kept per strategy, exchange and market type so
 * rehearsals never mix (written by DryRunLedger, in the transaction of the fill that moved them).
 * Statements are prepared once: every dry-run order reads here.
 */
export class DryRunPositions {
  readonly #select;
  readonly #selectAnyType;
  readonly #selectOfAccount;
  readonly #selectOfStrategy;
  readonly #selectAll;
  readonly #selectFill;

  constructor(db: Database) {
    this.#select = db.prepare<[string, string, string, string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? AND exchange = ? AND market_type = ? AND symbol = ?');
    // a perpetual first: what a position meant before market types were kept apart
    this.#selectAnyType = db.prepare<[string, string, string], PositionRow>("SELECT * FROM dry_run_positions WHERE strategy = ? AND exchange = ? AND symbol = ? ORDER BY market_type = 'swap' DESC LIMIT 1");
    this.#selectOfAccount = db.prepare<[string, string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? AND exchange = ? ORDER BY market_type, symbol');
    this.#selectOfStrategy = db.prepare<[string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? ORDER BY exchange, market_type, symbol');
    this.#selectAll = db.prepare<[], PositionRow>('SELECT * FROM dry_run_positions ORDER BY strategy, exchange, market_type, symbol');
    this.#selectFill = db.prepare<[string], FillRow>('SELECT amount, price, fee, fee_currency, realized_pnl, liquidity FROM dry_run_fills WHERE client_order_id = ?');
  }

  get(strategy: string, exchange: string, symbol: string, marketType?: 'swap' | 'spot'): SimulatedPosition | null {
    const row = marketType ? this.#select.get(strategy, exchange, marketType, symbol) : this.#selectAnyType.get(strategy, exchange, symbol);
    return row ? toPosition(row) : null;
  }

  /** Every position of one simulated account (a strategy on one exchange), flat ones included. */
  ofAccount(strategy: string, exchange: string): SimulatedPosition[] {
    return this.#selectOfAccount.all(strategy, exchange).map(toPosition);
  }

  list(strategy?: string): SimulatedPosition[] {
    const rows = strategy ? this.#selectOfStrategy.all(strategy) : this.#selectAll.all();
    return rows.map(toPosition);
  }

  /** The fill recorded for a leg, by its client order id; null when the leg never filled. */
  fillOf(clientOrderId: string): DryRunFill | null {
    const row = this.#selectFill.get(clientOrderId);
    if (!row) return null;
    const number = (text: string | null) => (text === null ? null : Number(text));
    return { clientOrderId, signedAmount: Number(row.amount), price: Number(row.price), fee: number(row.fee), feeCurrency: row.fee_currency, realizedPnl: number(row.realized_pnl), liquidity: row.liquidity };
  }
}
