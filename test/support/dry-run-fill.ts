import { guessedMarket } from '../../main/engine/exchanges/dry-run-markets.js';
import type { Database } from '../../main/engine/store/database.js';
import { DryRunLedger } from '../../main/engine/store/dry-run-ledger.js';
import type { SimulatedOrder } from '../../main/engine/store/dry-run-orders.js';

/**
 * A simulated Market fill written as the simulator writes one (store/dry-run-ledger.ts: the order,
 * its fill and the position it moved in one transaction), without fees: for tests that need a fill
 * on record without placing an order, e.g. one the simulator made just before the engine died.
 */
export function recordDryRunFill(db: Database, fill: { strategy: string; exchange: string; symbol: string; clientOrderId: string; signedAmount: number; price: number }): SimulatedOrder {
  const { terms } = guessedMarket(fill.symbol, 'swap');
  const amount = Math.abs(fill.signedAmount);
  const side = fill.signedAmount > 0 ? 'buy' : 'sell';
  return new DryRunLedger(db).fill(
    { clientOrderId: fill.clientOrderId, strategy: fill.strategy, exchange: fill.exchange, marketType: 'swap', symbol: fill.symbol, marketSymbol: null, side, kind: 'market', amount, price: null, triggerPrice: null, reduceOnly: false, leverage: 1, terms, status: 'open', filled: 0, averagePrice: null },
    (position) => ({ amount, price: fill.price, liquidity: 'taker', position: { qty: (position?.qty ?? 0) + fill.signedAmount, entryPrice: fill.price }, realizedPnl: 0, fee: 0, feeCurrency: terms.settle, moved: [] }),
  );
}
