import { DEFAULT_STRATEGY_SHAPING, type MarketType, type Strategy, type StrategyAccounts, type StrategyMode, type StrategyShaping } from '../../../shared/api-types.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import { FINAL_STATUSES } from '../../../shared/order-view.js';
import { StampedCache } from './data-version.js';
import type { Database } from './database.js';

export type { MarketType, Strategy, StrategyMode } from '../../../shared/api-types.js';

/**
 * Names are matched exactly in orders, but two that differ only in case (TEST_STRATEGY, test_strategy)
 * would read as one strategy in every list and log: a name is refused when another one holds it in
 * any case.
 */
export class StrategyNameTaken extends Error {
  override readonly name = 'StrategyNameTaken';
  constructor(readonly wanted: string, readonly existing: string) {
    super(existing === wanted ? `a strategy named ${existing} exists` : `a strategy named ${existing} exists, which differs only in case`);
  }
}

/** What remove() did: removed it, or why not. */
export type StrategyRemoval = { removed: Strategy } | { refused: 'not_found' } | { refused: 'orders_under_way'; orderIds: number[] };

export type StrategyInput = Pick<Strategy, 'name' | 'mode' | 'marketType' | 'maxQty' | 'symbols' | 'exchanges'> & Partial<StrategyShaping> & Partial<Pick<Strategy, 'accounts'>> & { enabled?: boolean };

const SHAPING_KEYS = Object.keys(DEFAULT_STRATEGY_SHAPING) as (keyof StrategyShaping)[];

/** The shaping settings as stored: only what differs from the defaults, so a default that improves reaches old strategies. */
function shapingJson(strategy: Partial<StrategyShaping>): string {
  const stored: Partial<Record<keyof StrategyShaping, unknown>> = {};
  for (const key of SHAPING_KEYS) if (strategy[key] !== undefined && strategy[key] !== DEFAULT_STRATEGY_SHAPING[key]) stored[key] = strategy[key];
  return JSON.stringify(stored);
}

function shapingOf(json: string): StrategyShaping {
  const stored = JSON.parse(json) as Partial<StrategyShaping>;
  const shaping = { ...DEFAULT_STRATEGY_SHAPING };
  for (const key of SHAPING_KEYS) if (stored[key] !== undefined) (shaping as Record<string, unknown>)[key] = stored[key];
  return shaping;
}

/** Only the exchanges that name accounts: an empty list means `default`, the same as none. */
function accountsJson(accounts: StrategyAccounts): string {
  return JSON.stringify(Object.fromEntries(Object.entries(accounts).filter(([, names]) => names.length > 0)));
}

interface StrategyRow {
  id: number;
  name: string;
  mode: StrategyMode;
  market_type: MarketType;
  max_qty: number | null;
  symbols: string;
  exchanges: string;
  enabled: number;
  shaping_json: string;
  accounts_json: string;
  created_at: string;
  updated_at: string;
}

function toStrategy(row: StrategyRow): Strategy {
  return {
    ...shapingOf(row.shaping_json),
    id: row.id,
    name: row.name,
    mode: row.mode,
    marketType: row.market_type,
    maxQty: row.max_qty,
    symbols: JSON.parse(row.symbols) as string[],
    exchanges: JSON.parse(row.exchanges) as ExchangeName[],
    accounts: JSON.parse(row.accounts_json) as StrategyAccounts,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What find() hands out: a copy, arrays too, so no caller changes what the next one reads. */
function copyOf(strategy: Strategy): Strategy {
  const accounts: StrategyAccounts = Object.fromEntries(Object.entries(strategy.accounts).map(([exchange, names]) => [exchange, [...names]]));
  return { ...strategy, symbols: [...strategy.symbols], exchanges: [...strategy.exchanges], accounts };
}

export class Strategies {
  readonly #list;
  readonly #findByName;
  readonly #insert;
  readonly #update;
  readonly #findIgnoringCase;
  readonly #delete;
  readonly #deletePositions;
  readonly #ordersUnderWay;
  readonly #seeded;
  readonly #markSeeded;
  readonly #cache: StampedCache<string, Strategy | null>;

  constructor(private readonly db: Database) {
    this.#list = db.prepare<[], StrategyRow>('SELECT * FROM strategies ORDER BY name');
    this.#findByName = db.prepare<[string], StrategyRow>('SELECT * FROM strategies WHERE name = ?');
    this.#insert = db.prepare<[string, StrategyMode, MarketType, number | null, string, string, number, string, string, string, string]>(
      'INSERT INTO strategies (name, mode, market_type, max_qty, symbols, exchanges, enabled, shaping_json, accounts_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#update = db.prepare<[string, StrategyMode, MarketType, number | null, string, string, number, string, string, string, number]>(
      'UPDATE strategies SET name = ?, mode = ?, market_type = ?, max_qty = ?, symbols = ?, exchanges = ?, enabled = ?, shaping_json = ?, accounts_json = ?, updated_at = ? WHERE id = ?',
    );
    this.#findIgnoringCase = db.prepare<[string, number], { name: string }>('SELECT name FROM strategies WHERE name = ? COLLATE NOCASE AND id != ? ORDER BY id LIMIT 1');
    this.#delete = db.prepare<[number]>('DELETE FROM strategies WHERE id = ?');
    this.#deletePositions = db.prepare<[string]>('DELETE FROM dry_run_positions WHERE strategy = ?');
    const finals = FINAL_STATUSES.map((status) => `'${status}'`).join(', ');
    this.#ordersUnderWay = db.prepare<[string], { id: number }>(`SELECT id FROM orders WHERE strategy = ? AND status NOT IN (${finals}) ORDER BY id LIMIT 20`);
    this.#seeded = db.prepare("SELECT value FROM meta WHERE key = 'seeded_default_strategy'");
    this.#markSeeded = db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('seeded_default_strategy', '1')");
    this.#cache = new StampedCache(db);
  }

  list(): Strategy[] {
    return this.#list.all().map(toStrategy);
  }

  /**
   * Read on every order, so a change made by the CLI or the UI applies to the next request; from the
   * cache while the file has not changed (store/data-version.ts).
   */
  find(name: string): Strategy | null {
    const strategy = this.#cache.get(name, (key) => {
      const row = this.#findByName.get(key);
      return row ? Object.freeze(toStrategy(row)) : null;
    });
    return strategy && copyOf(strategy);
  }

  /** Throws StrategyNameTaken when another strategy (not `id`) holds the name in any case. */
  #checkNameFree(name: string, id = -1): void {
    const existing = this.#findIgnoringCase.get(name, id);
    if (existing) throw new StrategyNameTaken(name, existing.name);
  }

  add(input: StrategyInput): Strategy {
    this.#checkNameFree(input.name);
    const now = new Date().toISOString();
    this.#insert.run(input.name, input.mode, input.marketType, input.maxQty, JSON.stringify(input.symbols), JSON.stringify(input.exchanges), input.enabled === false ? 0 : 1, shapingJson(input), accountsJson(input.accounts ?? {}), now, now);
    this.#cache.wrote();
    return this.find(input.name) as Strategy;
  }

  update(name: string, changes: Partial<StrategyInput>): Strategy | null {
    const current = this.find(name);
    if (!current) return null;
    const next = { ...current, ...changes };
    if (next.name !== current.name) this.#checkNameFree(next.name, current.id);
    this.#update.run(next.name, next.mode, next.marketType, next.maxQty, JSON.stringify(next.symbols), JSON.stringify(next.exchanges), next.enabled ? 1 : 0, shapingJson(next), accountsJson(next.accounts), new Date().toISOString(), current.id);
    this.#cache.wrote();
    return this.find(next.name);
  }

  /**
   * Deletes the strategy (and the positions its dry runs simulated, which a strategy made later under
   * the name must not inherit). Refused while any of its orders may still change (received, sent, open):
   * their follow-ups and the restart's recovery settle them first. The journal keeps every order under
   * its strategy's name, so history stays readable.
   */
  remove(name: string): StrategyRemoval {
    return this.db.transaction((): StrategyRemoval => {
      const current = this.find(name);
      if (!current) return { refused: 'not_found' };
      const underWay = this.#ordersUnderWay.all(current.name).map((row) => row.id);
      if (underWay.length > 0) return { refused: 'orders_under_way', orderIds: underWay };
      this.#delete.run(current.id);
      this.#deletePositions.run(current.name);
      this.#cache.wrote();
      return { removed: current };
    }).immediate();
  }

  /** The first run's strategy, so the spec's own example works at once without exchange keys. */
  ensureDefault(): void {
    const seeded = this.#seeded.get();
    if (seeded) return;
    this.db.transaction(() => {
      if (!this.find('test_strategy')) {
        this.add({ name: 'test_strategy', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
      }
      this.#markSeeded.run();
    }).immediate();
  }
}
