import type { MarketType, Strategy, StrategyMode } from '../../../shared/api-types.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import type { Database } from './database.js';

export type { MarketType, Strategy, StrategyMode } from '../../../shared/api-types.js';

export type StrategyInput = Pick<Strategy, 'name' | 'mode' | 'marketType' | 'maxQty' | 'symbols' | 'exchanges'> & { enabled?: boolean };

interface StrategyRow {
  id: number;
  name: string;
  mode: StrategyMode;
  market_type: MarketType;
  max_qty: number | null;
  symbols: string;
  exchanges: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

function toStrategy(row: StrategyRow): Strategy {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    marketType: row.market_type,
    maxQty: row.max_qty,
    symbols: JSON.parse(row.symbols) as string[],
    exchanges: JSON.parse(row.exchanges) as ExchangeName[],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class Strategies {
  readonly #findByName;

  constructor(private readonly db: Database) {
    this.#findByName = db.prepare<[string], StrategyRow>('SELECT * FROM strategies WHERE name = ?');
  }

  list(): Strategy[] {
    return this.db.prepare<[], StrategyRow>('SELECT * FROM strategies ORDER BY name').all().map(toStrategy);
  }

  /** Read on every order so a change made by the CLI or the UI applies to the next request. */
  find(name: string): Strategy | null {
    const row = this.#findByName.get(name);
    return row ? toStrategy(row) : null;
  }

  add(input: StrategyInput): Strategy {
    const now = new Date().toISOString();
    this.db
      .prepare('INSERT INTO strategies (name, mode, market_type, max_qty, symbols, exchanges, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.name, input.mode, input.marketType, input.maxQty, JSON.stringify(input.symbols), JSON.stringify(input.exchanges), input.enabled === false ? 0 : 1, now, now);
    return this.find(input.name) as Strategy;
  }

  update(name: string, changes: Partial<StrategyInput>): Strategy | null {
    const current = this.find(name);
    if (!current) return null;
    const next = { ...current, ...changes };
    this.db
      .prepare('UPDATE strategies SET name = ?, mode = ?, market_type = ?, max_qty = ?, symbols = ?, exchanges = ?, enabled = ?, updated_at = ? WHERE id = ?')
      .run(next.name, next.mode, next.marketType, next.maxQty, JSON.stringify(next.symbols), JSON.stringify(next.exchanges), next.enabled ? 1 : 0, new Date().toISOString(), current.id);
    return this.find(next.name);
  }

  /** The first run's strategy, so the spec's own example works at once without exchange keys. */
  ensureDefault(): void {
    const seeded = this.db.prepare("SELECT value FROM meta WHERE key = 'seeded_default_strategy'").get();
    if (seeded) return;
    this.db.transaction(() => {
      if (!this.find('test_strategy')) {
        this.add({ name: 'test_strategy', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
      }
      this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('seeded_default_strategy', '1')").run();
    }).immediate();
  }
}
