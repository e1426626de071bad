import { Decimal } from 'decimal.js';
import { formatAmount } from '../../../shared/decimal.js';
import type { Database } from './database.js';
import type { BalanceRow } from './dry-run-balances.js';
import type { ContractTerms, SimulatedOrder } from './dry-run-orders.js';
import { DryRunOrders } from './dry-run-orders.js';
import { type PositionRow, type SimulatedPosition, toPosition } from './dry-run-positions.js';

/** What one fill writes, as the simulator worked it out from the position it found. */
export interface LedgerFill {
  /** What filled (a reduce-only order may fill less than its amount) and at what price. */
  amount: number;
  price: number;
  liquidity: 'maker' | 'taker';
  position: { qty: number; entryPrice: number | null };
  realizedPnl: number;
  fee: number;
  feeCurrency: string;
  moved: readonly { currency: string; amount: number }[];
}

/**
 * Works out a fill from the position the order meets (null: none kept yet); null means the order
 * cannot fill (a reduce-only one with nothing to reduce) and is cancelled instead.
 */
export type FillComputation = (position: SimulatedPosition | null) => LedgerFill | null;

function add(text: string | null | undefined, amount: number): string {
  return formatAmount(Number(new Decimal(text ?? '0').add(amount)));
}

function text(value: number | null): string | null {
  return value === null ? null : formatAmount(value);
}

/**
 * Every write of the dry-run simulator, each in one transaction: an order taken (resting), filled
 * (its fill by client order id, the position it moved, the account's money and the order's state,
 * together, so a crash never leaves one without the others, and a leg can never fill twice),
 * cancelled, and the leverage set for a market.
 */
export class DryRunLedger {
  readonly #orders: DryRunOrders;
  readonly #insertOrder;
  readonly #finishOrder;
  readonly #selectPosition;
  readonly #upsertPosition;
  readonly #setLeverage;
  readonly #selectBalance;
  readonly #upsertBalance;
  readonly #insertFill;
  readonly #fill;
  readonly #cancel;

  constructor(db: Database) {
    this.#orders = new DryRunOrders(db);
    this.#insertOrder = db.prepare(
      `INSERT INTO dry_run_orders (client_order_id, strategy, exchange, market_type, symbol, market_symbol, side, kind, amount, price, trigger_price, reduce_only, leverage, terms_json, status, filled, average_price, created_at, updated_at)
       VALUES (@clientOrderId, @strategy, @exchange, @marketType, @symbol, @marketSymbol, @side, @kind, @amount, @price, @triggerPrice, @reduceOnly, @leverage, @terms, @status, @filled, @averagePrice, @now, @now)`,
    );
    this.#finishOrder = db.prepare<[string, string, string | null, string, string]>('UPDATE dry_run_orders SET status = ?, filled = ?, average_price = ?, updated_at = ? WHERE client_order_id = ?');
    this.#selectPosition = db.prepare<[string, string, string, string], PositionRow>('SELECT * FROM dry_run_positions WHERE strategy = ? AND exchange = ? AND market_type = ? AND symbol = ?');
    this.#upsertPosition = db.prepare(
      `INSERT INTO dry_run_positions (strategy, exchange, market_type, symbol, qty, entry_price, settle, contract, contract_size, leverage, realized_pnl, fees, updated_at)
       VALUES (@strategy, @exchange, @marketType, @symbol, @qty, @entryPrice, @settle, @contract, @contractSize, NULL, @realizedPnl, @fees, @now)
       ON CONFLICT (strategy, exchange, market_type, symbol) DO UPDATE SET qty = excluded.qty, entry_price = excluded.entry_price, settle = excluded.settle, contract = excluded.contract,
         contract_size = excluded.contract_size, realized_pnl = excluded.realized_pnl, fees = excluded.fees, updated_at = excluded.updated_at`,
    );
    this.#setLeverage = db.prepare(
      `INSERT INTO dry_run_positions (strategy, exchange, market_type, symbol, qty, leverage, updated_at) VALUES (@strategy, @exchange, @marketType, @symbol, '0', @leverage, @now)
       ON CONFLICT (strategy, exchange, market_type, symbol) DO UPDATE SET leverage = excluded.leverage`,
    );
    this.#selectBalance = db.prepare<[string, string, string], BalanceRow>('SELECT * FROM dry_run_balances WHERE strategy = ? AND exchange = ? AND currency = ?');
    this.#upsertBalance = db.prepare(
      `INSERT INTO dry_run_balances (strategy, exchange, currency, moved, realized_pnl, fees, updated_at) VALUES (@strategy, @exchange, @currency, @moved, @realizedPnl, @fees, @now)
       ON CONFLICT (strategy, exchange, currency) DO UPDATE SET moved = excluded.moved, realized_pnl = excluded.realized_pnl, fees = excluded.fees, updated_at = excluded.updated_at`,
    );
    this.#insertFill = db.prepare(
      `INSERT INTO dry_run_fills (client_order_id, strategy, exchange, symbol, market_type, amount, price, fee, fee_currency, realized_pnl, liquidity, filled_at)
       VALUES (@clientOrderId, @strategy, @exchange, @symbol, @marketType, @amount, @price, @fee, @feeCurrency, @realizedPnl, @liquidity, @now)`,
    );
    this.#fill = db.transaction((order: SimulatedOrder, compute: FillComputation): SimulatedOrder => {
      const now = new Date().toISOString();
      const kept = this.#orders.get(order.clientOrderId);
      // already filled or cancelled (seen twice, or cancelled meanwhile): it stays as it is
      if (kept && kept.status !== 'open') return kept;
      const row = this.#selectPosition.get(order.strategy, order.exchange, order.marketType, order.symbol);
      const fill = compute(row ? toPosition(row) : null);
      if (!kept) this.#insertOrder.run(this.#orderParams({ ...order, status: 'open' }, now));
      if (!fill) {
        this.#finishOrder.run('cancelled', '0', null, now, order.clientOrderId);
        return this.#orders.get(order.clientOrderId) as SimulatedOrder;
      }
      const signed = order.side === 'buy' ? fill.amount : -fill.amount;
      this.#insertFill.run({
        clientOrderId: order.clientOrderId,
        strategy: order.strategy,
        exchange: order.exchange,
        symbol: order.symbol,
        marketType: order.marketType,
        amount: formatAmount(signed),
        price: formatAmount(fill.price),
        fee: formatAmount(fill.fee),
        feeCurrency: fill.feeCurrency,
        realizedPnl: formatAmount(fill.realizedPnl),
        liquidity: fill.liquidity,
        now,
      });
      this.#upsertPosition.run({
        strategy: order.strategy,
        exchange: order.exchange,
        marketType: order.marketType,
        symbol: order.symbol,
        qty: formatAmount(fill.position.qty),
        entryPrice: text(fill.position.entryPrice),
        settle: order.terms.settle,
        contract: order.terms.contract,
        contractSize: formatAmount(order.terms.contractSize),
        realizedPnl: add(row?.realized_pnl, fill.realizedPnl),
        fees: add(row?.fees, fill.fee),
        now,
      });
      this.#moveBalances(order, fill, order.terms, now);
      this.#finishOrder.run('filled', formatAmount(fill.amount), formatAmount(fill.price), now, order.clientOrderId);
      return this.#orders.get(order.clientOrderId) as SimulatedOrder;
    });
    this.#cancel = db.transaction((clientOrderId: string): SimulatedOrder | null => {
      const kept = this.#orders.get(clientOrderId);
      if (!kept || kept.status !== 'open') return kept;
      this.#finishOrder.run('cancelled', formatAmount(kept.filled), text(kept.averagePrice), new Date().toISOString(), clientOrderId);
      return this.#orders.get(clientOrderId);
    });
  }

  #orderParams(order: Omit<SimulatedOrder, 'createdAt' | 'updatedAt'>, now: string): Record<string, unknown> {
    return {
      clientOrderId: order.clientOrderId,
      strategy: order.strategy,
      exchange: order.exchange,
      marketType: order.marketType,
      symbol: order.symbol,
      marketSymbol: order.marketSymbol,
      side: order.side,
      kind: order.kind,
      amount: formatAmount(order.amount),
      price: text(order.price),
      triggerPrice: text(order.triggerPrice),
      reduceOnly: order.reduceOnly ? 1 : 0,
      leverage: formatAmount(order.leverage),
      terms: JSON.stringify(order.terms),
      status: order.status,
      filled: formatAmount(order.filled),
      averagePrice: text(order.averagePrice),
      now,
    };
  }

  /** Each currency's movement; the realised PnL counts in the settle currency, the fee in the one it was paid in. */
  #moveBalances(order: SimulatedOrder, fill: LedgerFill, terms: ContractTerms, now: string): void {
    const currencies = new Set([...fill.moved.map((movement) => movement.currency), fill.feeCurrency, ...(fill.realizedPnl !== 0 ? [terms.contract === null ? terms.quote : terms.settle] : [])]);
    for (const currency of currencies) {
      const row = this.#selectBalance.get(order.strategy, order.exchange, currency);
      const moved = fill.moved.filter((movement) => movement.currency === currency).reduce((sum, movement) => sum + movement.amount, 0);
      const realized = currency === (terms.contract === null ? terms.quote : terms.settle) ? fill.realizedPnl : 0;
      const fee = currency === fill.feeCurrency ? fill.fee : 0;
      this.#upsertBalance.run({ strategy: order.strategy, exchange: order.exchange, currency, moved: add(row?.moved, moved), realizedPnl: add(row?.realized_pnl, realized), fees: add(row?.fees, fee), now });
    }
  }

  /** Takes an order that rests (a Limit away from the price, a protective order waiting for its trigger). */
  rest(order: Omit<SimulatedOrder, 'status' | 'filled' | 'averagePrice' | 'createdAt' | 'updatedAt'>): SimulatedOrder {
    this.#insertOrder.run(this.#orderParams({ ...order, status: 'open', filled: 0, averagePrice: null }, new Date().toISOString()));
    return this.#orders.get(order.clientOrderId) as SimulatedOrder;
  }

  /**
   * Fills an order, taking it if it is new (a Market order, a marketable Limit): the fill, the
   * position, the account's money and the order's state in one transaction. An order already
   * filled or cancelled is returned as it is; a second fill of the same leg is refused by the fills' key.
   */
  fill(order: Omit<SimulatedOrder, 'createdAt' | 'updatedAt'>, compute: FillComputation): SimulatedOrder {
    return this.#fill.immediate({ ...order, createdAt: '', updatedAt: '' }, compute);
  }

  /** Cancels an open order; returns it as it now is (null: the simulator never had it). */
  cancel(clientOrderId: string): SimulatedOrder | null {
    return this.#cancel.immediate(clientOrderId);
  }

  /** The leverage an account trades a market at from now on (its position's margin and its orders'). */
  setLeverage(key: { strategy: string; exchange: string; marketType: 'swap' | 'spot'; symbol: string }, leverage: number): void {
    this.#setLeverage.run({ ...key, leverage: formatAmount(leverage), now: new Date().toISOString() });
  }
}
