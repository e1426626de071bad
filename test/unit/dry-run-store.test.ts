import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../main/engine/store/database.js';
import { DryRunBalances } from '../../main/engine/store/dry-run-balances.js';
import { DryRunLedger, type LedgerFill } from '../../main/engine/store/dry-run-ledger.js';
import { type ContractTerms, DryRunOrders, type SimulatedOrder } from '../../main/engine/store/dry-run-orders.js';
import { DryRunPositions } from '../../main/engine/store/dry-run-positions.js';
import { Strategies } from '../../main/engine/store/strategies.js';
import { tempDataDir } from '../support/apisify-process.js';

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store() {
  const dir = tempDataDir();
  dirs.push(dir);
  const db = openDatabase(dir);
  opened.push(db);
  return { db, ledger: new DryRunLedger(db), orders: new DryRunOrders(db), positions: new DryRunPositions(db), balances: new DryRunBalances(db), strategies: new Strategies(db) };
}

const TERMS: ContractTerms = { contract: 'linear', contractSize: 1, base: 'BTC', quote: 'USDT', settle: 'USDT', maker: 0.0002, taker: 0.0006 };
const account = { strategy: 'swing', exchange: 'bybit' };

function order(clientOrderId: string, changes: Partial<SimulatedOrder> = {}): Omit<SimulatedOrder, 'createdAt' | 'updatedAt'> {
  return { clientOrderId, ...account, marketType: 'swap', symbol: 'BTCUSDT', marketSymbol: 'BTC/USDT:USDT', side: 'buy', kind: 'market', amount: 0.1, price: null, triggerPrice: null, reduceOnly: false, leverage: 1, terms: TERMS, status: 'open', filled: 0, averagePrice: null, ...changes };
}

/** Buys 0.1 at 60 000 from whatever position it meets, paying 3.6 USDT. */
const buy = (position: { qty: number } | null): LedgerFill => ({
  amount: 0.1,
  price: 60_000,
  liquidity: 'taker',
  position: { qty: (position?.qty ?? 0) + 0.1, entryPrice: 60_000 },
  realizedPnl: 0,
  fee: 3.6,
  feeCurrency: 'USDT',
  moved: [{ currency: 'USDT', amount: -3.6 }],
});

describe("the dry-run ledger's writes", () => {
  it('a fill writes the order, its fill, the position and the money together, and a leg never fills twice', () => {
    const { ledger, orders, positions, balances } = store();
    expect(ledger.fill(order('c1'), buy)).toMatchObject({ status: 'filled', filled: 0.1, averagePrice: 60_000 });
    expect(positions.get('swing', 'bybit', 'BTCUSDT', 'swap')).toMatchObject({ qty: 0.1, entryPrice: 60_000, settle: 'USDT', contract: 'linear', fees: 3.6 });
    expect(positions.fillOf('c1')).toMatchObject({ signedAmount: 0.1, price: 60_000, fee: 3.6, feeCurrency: 'USDT', liquidity: 'taker' });
    expect(balances.get(account, 'USDT')).toMatchObject({ moved: -3.6, fees: 3.6, realizedPnl: 0, starting: null });

    // the same leg again (its answer seen twice, a restart): nothing moves
    expect(ledger.fill(order('c1'), buy)).toMatchObject({ status: 'filled' });
    expect(positions.get('swing', 'bybit', 'BTCUSDT', 'swap')?.qty).toBe(0.1);
    expect(balances.get(account, 'USDT')?.moved).toBe(-3.6);
    expect(orders.get('c1')).toMatchObject({ kind: 'market', terms: TERMS });
  });

  it('a resting order is open until filled or cancelled; cancelled, a later fill does nothing', () => {
    const { ledger, orders, positions } = store();
    ledger.rest(order('r1', { kind: 'limit', price: 59_000 }));
    expect(orders.openOn('bybit', 'swap', 'BTCUSDT').map((open) => open.clientOrderId)).toEqual(['r1']);
    expect(orders.openMarkets()).toEqual([{ exchange: 'bybit', marketType: 'swap', symbol: 'BTCUSDT', marketSymbol: 'BTC/USDT:USDT' }]);
    expect(ledger.cancel('r1')).toMatchObject({ status: 'cancelled', filled: 0 });
    expect(ledger.cancel('r1')).toMatchObject({ status: 'cancelled' });
    expect(ledger.fill(orders.get('r1') as SimulatedOrder, buy)).toMatchObject({ status: 'cancelled' });
    expect(positions.get('swing', 'bybit', 'BTCUSDT', 'swap')).toBeNull();
    expect(orders.openMarkets()).toEqual([]);
    expect(ledger.cancel('never')).toBeNull();
  });

  it('an order whose fill cannot happen (reduce-only, nothing to reduce) is cancelled, moving nothing', () => {
    const { ledger, positions, balances } = store();
    ledger.rest(order('s1', { kind: 'stop_loss', side: 'sell', triggerPrice: 58_000, reduceOnly: true }));
    expect(ledger.fill(order('s1'), () => null)).toMatchObject({ status: 'cancelled', filled: 0 });
    expect(positions.fillOf('s1')).toBeNull();
    expect(balances.get(account, 'USDT')).toBeNull();
  });

  it('the leverage set for a market stays through its fills', () => {
    const { ledger, positions } = store();
    ledger.setLeverage({ ...account, marketType: 'swap', symbol: 'BTCUSDT' }, 5);
    expect(positions.get('swing', 'bybit', 'BTCUSDT', 'swap')).toMatchObject({ qty: 0, leverage: 5 });
    ledger.fill(order('c1'), buy);
    expect(positions.get('swing', 'bybit', 'BTCUSDT', 'swap')).toMatchObject({ qty: 0.1, leverage: 5 });
  });

  it('a starting balance is fixed once', () => {
    const { balances } = store();
    expect(balances.fixStarting(account, 'USDT', 10_000, 10_000)).toMatchObject({ starting: 10_000, startingValue: 10_000, moved: 0 });
    expect(balances.fixStarting(account, 'USDT', 5, 5)).toMatchObject({ starting: 10_000 });
  });
});

describe('a simulated account belongs to its strategy', () => {
  it('is renamed with it, and removed with it, its open orders then cancelled', () => {
    const { ledger, orders, positions, balances, strategies } = store();
    strategies.add({ name: 'swing', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
    ledger.fill(order('c1'), buy);
    ledger.rest(order('r1', { kind: 'limit', price: 59_000 }));
    strategies.update('swing', { name: 'swing2' });
    expect(positions.list('swing2')).toHaveLength(1);
    expect(balances.list('swing2')).toHaveLength(1);
    expect(orders.get('r1')).toMatchObject({ strategy: 'swing2', status: 'open' });
    expect(positions.list('swing')).toEqual([]);

    expect(strategies.remove('swing2')).toMatchObject({ removed: { name: 'swing2' } });
    expect(positions.list('swing2')).toEqual([]);
    expect(balances.list('swing2')).toEqual([]);
    expect(orders.get('r1')).toMatchObject({ status: 'cancelled' });
    // a strategy made later under the name starts afresh
    expect(orders.get('c1')).toMatchObject({ status: 'filled' });
  });
});
