import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../main/engine/store/database.js';
import { recordDryRunFill } from '../support/dry-run-fill.js';
import { Strategies, type StrategyInput, StrategyNameTaken } from '../../main/engine/store/strategies.js';
import { tempDataDir } from '../support/apisify-process.js';

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(): { db: Database; strategies: Strategies } {
  const dir = tempDataDir();
  dirs.push(dir);
  const db = openDatabase(dir);
  opened.push(db);
  return { db, strategies: new Strategies(db) };
}

const SWING: StrategyInput = { name: 'swing', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] };

/** A journal row as the pipeline writes it, with only the columns the check reads mattering. */
function journalOrder(db: Database, strategy: string, status: string): number {
  const now = new Date().toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO orders (received_at, updated_at, source, strategy, exchange, symbol, side, intent, order_type, dry_run, status, request_json)
         VALUES (?, ?, 'api', ?, 'bybit', 'BTCUSDT', 'Buy', 'buy', 'market', 1, ?, '{}')`,
      )
      .run(now, now, strategy, status).lastInsertRowid,
  );
}

describe('Strategies names', () => {
  it('refuses a name another strategy holds in any case, on add and on rename', () => {
    const { strategies } = store();
    strategies.add({ ...SWING, name: 'test_strategy' });
    expect(() => strategies.add({ ...SWING, name: 'TEST_STRATEGY' })).toThrow(StrategyNameTaken);
    expect(() => strategies.add({ ...SWING, name: 'TEST_STRATEGY' })).toThrow(/test_strategy exists, which differs only in case/);
    strategies.add(SWING);
    expect(() => strategies.update('swing', { name: 'Test_Strategy' })).toThrow(StrategyNameTaken);
    expect(strategies.list().map((s) => s.name)).toEqual(['swing', 'test_strategy']);
  });

  it('lets a strategy change the case of its own name', () => {
    const { strategies } = store();
    strategies.add(SWING);
    expect(strategies.update('swing', { name: 'Swing' })?.name).toBe('Swing');
  });
});

describe('Strategies.remove', () => {
  it('removes a strategy whose orders are all final, keeping their journal rows, and drops its simulated positions', () => {
    const { db, strategies } = store();
    strategies.add(SWING);
    const filled = journalOrder(db, 'swing', 'filled');
    recordDryRunFill(db, { strategy: 'swing', exchange: 'bybit', symbol: 'BTCUSDT', clientOrderId: 'c1', signedAmount: 1, price: 100 });
    const removal = strategies.remove('swing');
    expect(removal).toMatchObject({ removed: { name: 'swing' } });
    expect(strategies.find('swing')).toBeNull();
    expect(db.prepare('SELECT id FROM orders WHERE strategy = ?').all('swing')).toEqual([{ id: filled }]);
    expect(db.prepare('SELECT * FROM dry_run_positions WHERE strategy = ?').all('swing')).toEqual([]);
  });

  it.each(['received', 'submitted', 'open', 'partially_filled'])('refuses while an order is %s, naming it', (status) => {
    const { db, strategies } = store();
    strategies.add(SWING);
    journalOrder(db, 'swing', 'filled');
    const underWay = journalOrder(db, 'swing', status);
    expect(strategies.remove('swing')).toEqual({ refused: 'orders_under_way', orderIds: [underWay] });
    expect(strategies.find('swing')).not.toBeNull();
  });

  it('says when there is no such strategy', () => {
    expect(store().strategies.remove('ghost')).toEqual({ refused: 'not_found' });
  });
});
